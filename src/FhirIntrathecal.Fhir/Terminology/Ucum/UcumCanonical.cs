using System.Globalization;
using System.Text;

namespace FhirIntrathecal.Fhir.Terminology.Ucum;

/// <summary>
/// A lone special unit (e.g. "Cel", "mCel", "[degF]"): its atom, the prefix factor applied to the
/// measured number before the atom's function, and the factor of the function's proper unit.
/// </summary>
internal sealed record UcumSpecialUse(UcumAtom Atom, Rational PrefixFactor, Rational ProperFactor);

/// <summary>
/// A unit reduced to base units: value-in-base-units = number × <see cref="Factor"/>, with the
/// dimension recorded as base-unit (or arbitrary-unit) codes and integer exponents.
/// </summary>
/// <remarks>
/// Arbitrary units ([IU], [arb'U]) are carried as their own dimensions, which is what makes them
/// comparable only with themselves. Two units are comparable exactly when their
/// <see cref="Unit"/> strings are equal.
/// </remarks>
internal sealed class UcumCanonical
{
    /// <summary>Text used for the dimensionless canonical unit.</summary>
    public const string Dimensionless = "1";

    public UcumCanonical(Rational factor, IReadOnlyDictionary<string, int> dimensions, UcumSpecialUse? special = null)
    {
        Factor = factor;
        Dimensions = dimensions;
        Special = special;
        Unit = Format(dimensions);
    }

    public Rational Factor { get; }

    public IReadOnlyDictionary<string, int> Dimensions { get; }

    /// <summary>Canonical unit string, e.g. "g.m-3"; codes in ordinal order; "1" when dimensionless.</summary>
    public string Unit { get; }

    /// <summary>Set only when the whole expression is one special unit; then <see cref="Factor"/> is unused.</summary>
    public UcumSpecialUse? Special { get; }

    public static UcumCanonical Base(string code) =>
        new(Rational.One, new Dictionary<string, int>(StringComparer.Ordinal) { [code] = 1 });

    public static UcumCanonical Scalar(Rational factor) =>
        new(factor, new Dictionary<string, int>(StringComparer.Ordinal));

    private static string Format(IReadOnlyDictionary<string, int> dimensions)
    {
        if (dimensions.Count == 0)
        {
            return Dimensionless;
        }

        var sb = new StringBuilder();
        foreach (var (code, exponent) in dimensions.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            sb.Append(code);
            if (exponent != 1)
            {
                sb.Append(exponent.ToString(CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}

/// <summary>Mutable accumulator for multiplying canonical forms while a term is evaluated.</summary>
internal sealed class UcumCanonicalBuilder
{
    // Far beyond anything decimal can express (about 77,000 digits), but small enough that an
    // expression like "Ym1000.Ym1000..." fails fast instead of multiplying gigantic integers.
    private const long MaxFactorBits = 256_000;

    private readonly Dictionary<string, int> _dimensions = new(StringComparer.Ordinal);

    public Rational Factor { get; private set; } = Rational.One;

    /// <summary>
    /// Multiplies by <paramref name="value"/>^<paramref name="exponent"/>; false on division by zero
    /// or when the factor would grow unreasonably large.
    /// </summary>
    public bool Multiply(UcumCanonical value, int exponent)
    {
        if (!MultiplyScalar(value.Factor, exponent))
        {
            return false;
        }

        foreach (var (code, power) in value.Dimensions)
        {
            var total = _dimensions.GetValueOrDefault(code) + (power * exponent);
            if (total == 0)
            {
                _dimensions.Remove(code);
            }
            else
            {
                _dimensions[code] = total;
            }
        }

        return true;
    }

    public bool MultiplyScalar(Rational factor, int exponent)
    {
        if (exponent < 0 && factor.IsZero)
        {
            return false;
        }

        var bits = (Bits(factor) * Math.Abs((long)exponent)) + Bits(Factor);
        if (bits > MaxFactorBits)
        {
            return false;
        }

        Factor *= factor.Pow(exponent);
        return true;
    }

    public UcumCanonical Build() => new(Factor, new Dictionary<string, int>(_dimensions, StringComparer.Ordinal));

    private static long Bits(Rational r) => r.Numerator.GetBitLength() + r.Denominator.GetBitLength();
}
