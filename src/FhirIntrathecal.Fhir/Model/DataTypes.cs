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
/// A FHIR primitive: id, extensions and a value. Values are kept as the specification's lexical form where
/// the text matters (decimal, dates, base64), so what is read is what is written.
/// </summary>
public abstract partial class PrimitiveType : DataType
{
    /// <summary>Slot of the value element: every primitive is (id, extension, value).</summary>
    internal const int ValueSlot = 2;

    private protected PrimitiveType()
        : base(3)
    {
    }

    /// <summary>The value as stored: string (most types, decimal as its exact text), bool, or int.</summary>
    public object? ObjectValue
    {
        get => Slots[ValueSlot];
        set => Slots[ValueSlot] = value;
    }

    public bool HasValue => Slots[ValueSlot] is not null;

    /// <summary>The value in the lexical form it has in JSON and XML.</summary>
    public string? ToLexical() => Slots[ValueSlot] switch
    {
        null => null,
        bool b => b ? "true" : "false",
        int i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        var v => v.ToString(),
    };

    public override string? ToString() => ToLexical();
}
