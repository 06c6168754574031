using System.Collections.Concurrent;

namespace FhirIntrathecal.Fhir.Terminology.Ucum;

/// <summary>
/// UCUM (case-sensitive codes) validation, canonicalisation and conversion, driven by the UCUM
/// essence embedded in this assembly.
/// </summary>
/// <remarks>
/// <para>Canonical units are products of base units (m, s, g, rad, K, C, cd) and arbitrary units
/// ([iU], [arb'U]...) with integer exponents, in ordinal code order, e.g. "g.m-3"; a
/// dimensionless result is "1".</para>
/// <para>Results are rounded to System.Decimal once, from exact rational arithmetic, and have
/// trailing zeros removed. Conversions fail (return false) when a unit is invalid, the dimensions
/// differ, or the result is outside decimal's range.</para>
/// <para>Instances are immutable apart from their caches and safe to share between threads.</para>
/// </remarks>
public sealed class UcumService
{
    private const string ResourceName = "FhirIntrathecal.Fhir.Terminology.Ucum.ucum-essence.xml";

    // Unit strings may come from untrusted documents; stop caching (but keep working) past this.
    private const int MaxCacheEntries = 10_000;

    private static readonly Lazy<UcumService> DefaultInstance = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly UcumEssence _essence;
    private readonly UcumResolver _resolver;
    private readonly ConcurrentDictionary<string, UcumExpression> _expressions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string From, string To), UcumConversionPlan> _plans = new();

    // ConcurrentDictionary.Count takes every lock, so the cache sizes are tracked separately.
    private int _expressionCount;
    private int _planCount;

    private UcumService(UcumEssence essence)
    {
        _essence = essence;
        _resolver = new UcumResolver(essence);
    }

    /// <summary>The service over the embedded essence, loaded on first use.</summary>
    public static UcumService Default => DefaultInstance.Value;

    /// <summary>Version attribute of the loaded essence (e.g. "2.0.1").</summary>
    public string EssenceVersion => _essence.Version;

    /// <summary>Builds a service from a UCUM essence XML document.</summary>
    /// <exception cref="InvalidDataException">The document is not a usable essence.</exception>
    public static UcumService Load(Stream essenceXml)
    {
        ArgumentNullException.ThrowIfNull(essenceXml);
        return new UcumService(UcumEssence.Load(essenceXml));
    }

    /// <summary>Checks a UCUM expression: syntax, known atoms, and prefixes only on metric units.</summary>
    public UcumValidation Validate(string unit) => Get(unit).Validation;

    /// <summary>Expresses <paramref name="value"/> <paramref name="unit"/> in base units.</summary>
    public bool TryCanonicalize(decimal value, string unit, out decimal canonicalValue, out string canonicalUnit)
    {
        canonicalValue = 0m;
        canonicalUnit = string.Empty;
        var canonical = Get(unit).Canonical;
        if (canonical is null || !TryToCanonical(value, canonical, out var magnitude) || !magnitude.TryToDecimal(out canonicalValue))
        {
            return false;
        }

        canonicalUnit = canonical.Unit;
        return true;
    }

    /// <summary>Converts between two units of the same dimension, including the special temperature scales.</summary>
    public bool TryConvert(decimal value, string fromUnit, string toUnit, out decimal result)
    {
        result = 0m;
        var from = Get(fromUnit).Canonical;
        var to = Get(toUnit).Canonical;
        if (from is null || to is null || !string.Equals(from.Unit, to.Unit, StringComparison.Ordinal))
        {
            return false;
        }

        if (from.Special is null && to.Special is null)
        {
            return !to.Factor.IsZero && GetPlan(fromUnit, toUnit, from, to).TryApply(value, out result);
        }

        return TryToCanonical(value, from, out var magnitude)
            && TryFromCanonical(magnitude, to, out var converted)
            && converted.TryToDecimal(out result);
    }

    /// <summary>True when both units are valid and have the same dimension (so one converts to the other).</summary>
    public bool AreComparable(string unitA, string unitB)
    {
        var a = Get(unitA).Canonical;
        var b = Get(unitB).Canonical;
        return a is not null && b is not null && string.Equals(a.Unit, b.Unit, StringComparison.Ordinal);
    }

    /// <summary>English name built from the essence ("mg" → "milligram"), or null for an invalid unit.</summary>
    public string? GetDisplayName(string unit) =>
        Get(unit).Term is { } term ? UcumDisplayNames.Describe(term) : null;

    private static UcumService LoadEmbedded()
    {
        using var stream = typeof(UcumService).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing.");
        return Load(stream);
    }

    private static bool TryToCanonical(decimal value, UcumCanonical unit, out Rational magnitude)
    {
        var x = Rational.FromDecimal(value);
        if (unit.Special is not { } special)
        {
            magnitude = x * unit.Factor;
            return true;
        }

        var ok = UcumSpecialFunctions.TryToProper(special.Atom.Function!.Name, x * special.PrefixFactor, out var proper);
        magnitude = proper * special.ProperFactor;
        return ok;
    }

    private static bool TryFromCanonical(Rational magnitude, UcumCanonical unit, out Rational value)
    {
        value = Rational.Zero;
        if (unit.Special is not { } special)
        {
            if (unit.Factor.IsZero)
            {
                return false;
            }

            value = magnitude / unit.Factor;
            return true;
        }

        if (!UcumSpecialFunctions.TryFromProper(special.Atom.Function!.Name, magnitude / special.ProperFactor, out var measured))
        {
            return false;
        }

        value = measured / special.PrefixFactor;
        return true;
    }

    private UcumConversionPlan GetPlan(string fromUnit, string toUnit, UcumCanonical from, UcumCanonical to)
    {
        var key = (fromUnit, toUnit);
        if (_plans.TryGetValue(key, out var plan))
        {
            return plan;
        }

        plan = new UcumConversionPlan(from.Factor / to.Factor);
        return TryReserve(ref _planCount) ? _plans.GetOrAdd(key, plan) : plan;
    }

    private UcumExpression Get(string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (_expressions.TryGetValue(unit, out var cached))
        {
            return cached;
        }

        var expression = Analyse(unit);
        return TryReserve(ref _expressionCount) ? _expressions.GetOrAdd(unit, expression) : expression;
    }

    /// <summary>Claims a cache slot; racing adders of the same key may each claim one, which only makes the bound approximate.</summary>
    private static bool TryReserve(ref int count)
    {
        if (Volatile.Read(ref count) >= MaxCacheEntries)
        {
            return false;
        }

        Interlocked.Increment(ref count);
        return true;
    }

    private UcumExpression Analyse(string unit)
    {
        var parsed = UcumParser.Parse(_essence, unit);
        if (parsed.Term is null)
        {
            return new UcumExpression(new UcumValidation(false, parsed.Error, parsed.Position), null, null);
        }

        // Unsupported special functions parse fine but cannot be given a value.
        var evaluation = _resolver.Evaluate(parsed.Term);
        var canonical = evaluation.Canonical is { Special: { } s } && !UcumSpecialFunctions.IsSupported(s.Atom.Function!.Name)
            ? null
            : evaluation.Canonical;
        return new UcumExpression(new UcumValidation(true, null, -1), parsed.Term, canonical);
    }

    /// <summary>Everything derived from one unit string, cached so repeated use costs a lookup.</summary>
    private sealed record UcumExpression(UcumValidation Validation, UcumTerm? Term, UcumCanonical? Canonical);
}
