namespace FhirIntrathecal.Fhir.Model;

/// <summary>Any datatype that may appear in a choice element: every primitive and complex type (not BackboneElement).</summary>
public abstract partial class DataType : Element
{
    private protected DataType(int slotCount)
        : base(slotCount)
    {
    }
}

/// <summary>
/// A FHIR primitive: id, extensions and a value, in one object (its id/extension slots are allocated only once set).
/// Values are kept as the specification's lexical form where the text matters (decimal, dates, base64), so what is
/// read is what is written.
/// </summary>
public abstract partial class PrimitiveType : DataType
{
    /// <summary>Slot of the value element: every primitive is (id, extension, value).</summary>
    internal const int ValueSlot = 2;

    private object? _value;

    private protected PrimitiveType()
        : base(PrimitiveSlots)
    {
    }

    /// <summary>The value as stored: string (most types, decimal as its exact text), bool, or int.</summary>
    public object? ObjectValue
    {
        get => _value;
        set => _value = value;
    }

    public bool HasValue => _value is not null;

    /// <summary>The value in the lexical form it has in JSON and XML.</summary>
    public string? ToLexical() => _value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        int i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        var v => v.ToString(),
    };

    public override string? ToString() => ToLexical();
}
