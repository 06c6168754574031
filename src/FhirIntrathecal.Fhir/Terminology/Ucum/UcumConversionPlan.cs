namespace FhirIntrathecal.Fhir.Terminology.Ucum;

/// <summary>
/// Precomputed factor for a linear conversion between two units, cached per (from, to) pair.
/// </summary>
/// <remarks>
/// Most clinical conversions (g→mg, mg/dL→g/L, d→h) have a ratio that is an exact decimal, so the
/// hot path is a single decimal multiplication; other ratios (such as [lb_av]→kg's inverse) go
/// through exact rational arithmetic and are rounded once.
/// </remarks>
internal sealed class UcumConversionPlan
{
    private readonly Rational _ratio;
    private readonly decimal? _exactRatio;

    public UcumConversionPlan(Rational ratio)
    {
        _ratio = ratio;
        if (ratio.TryToDecimal(out var d) && Rational.FromDecimal(d) == ratio)
        {
            _exactRatio = d;
        }
    }

    public bool TryApply(decimal value, out decimal result)
    {
        if (_exactRatio is { } exact)
        {
            try
            {
                result = value * exact;
                if (result != 0m || value == 0m)
                {
                    result = TrimTrailingZeros(result);
                    return true;
                }

                // Underflowed to zero: let the rational path decide (it reports failure).
            }
            catch (OverflowException)
            {
                result = 0m;
                return false;
            }
        }

        return (Rational.FromDecimal(value) * _ratio).TryToDecimal(out result);
    }

    /// <summary>
    /// Drops trailing zeros (1.500 → 1.5) so results do not depend on which path computed them.
    /// </summary>
    public static decimal TrimTrailingZeros(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        if (scale == 0)
        {
            return value;
        }

        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        return new decimal(
            unchecked((int)(uint)mantissa),
            unchecked((int)(uint)(mantissa >> 32)),
            unchecked((int)(uint)(mantissa >> 64)),
            bits[3] < 0,
            (byte)scale);
    }
}
