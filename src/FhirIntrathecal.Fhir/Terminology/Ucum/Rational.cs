using System.Globalization;
using System.Numerics;

namespace FhirIntrathecal.Fhir.Terminology.Ucum;

/// <summary>
/// Exact rational number used for unit factors.
/// </summary>
/// <remarks>
/// Every factor in the UCUM essence is a finite decimal literal, so products and quotients of
/// them are exactly representable as fractions. Using System.Decimal directly would lose
/// exactness on divisions (K/9) and underflow on constants like Planck's (1e-34), so factors
/// are kept as fractions and only rounded to decimal once, at the very end of a conversion.
/// </remarks>
internal readonly struct Rational : IEquatable<Rational>
{
    private static readonly BigInteger[] SmallPowersOfTen = BuildPowers(64);
    private static readonly BigInteger DecimalMantissaMax = (BigInteger.One << 96) - 1;

    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("Rational denominator cannot be zero.");
        }

        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }

        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!gcd.IsOne && !gcd.IsZero)
        {
            numerator /= gcd;
            denominator /= gcd;
        }

        Numerator = numerator;
        _denominator = numerator.IsZero ? BigInteger.One : denominator;
    }

    public static Rational One => new(BigInteger.One, BigInteger.One);

    public static Rational Zero => new(BigInteger.Zero, BigInteger.One);

    private readonly BigInteger _denominator;

    public BigInteger Numerator { get; }

    // A default(Rational) has a zero denominator field; treat it as 1 so default means 0.
    public BigInteger Denominator => _denominator.IsZero ? BigInteger.One : _denominator;

    public bool IsZero => Numerator.IsZero;

    public bool IsOne => Numerator.IsOne && Denominator.IsOne;

    public static Rational FromInteger(long value) => new(value, BigInteger.One);

    public static Rational FromDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = new BigInteger((uint)bits[0])
            | (new BigInteger((uint)bits[1]) << 32)
            | (new BigInteger((uint)bits[2]) << 64);
        var scale = (bits[3] >> 16) & 0xFF;
        if (bits[3] < 0)
        {
            mantissa = -mantissa;
        }

        return new Rational(mantissa, PowerOfTen(scale));
    }

    /// <summary>Parses literals as written in the essence: "1e-18", "6.0221367", "3.14159...".</summary>
    public static bool TryParse(string text, out Rational result)
    {
        result = Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var exponent = 0;
        var e = s.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            if (!int.TryParse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            {
                return false;
            }

            s = s[..e];
        }

        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }

        var dot = s.IndexOf('.');
        var digits = dot >= 0 ? string.Concat(s.AsSpan(0, dot), s.AsSpan(dot + 1)) : s;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        exponent -= dot >= 0 ? s.Length - dot - 1 : 0;
        var mantissa = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        if (negative)
        {
            mantissa = -mantissa;
        }

        result = exponent >= 0
            ? new Rational(mantissa * PowerOfTen(exponent), BigInteger.One)
            : new Rational(mantissa, PowerOfTen(-exponent));
        return true;
    }

    public static BigInteger PowerOfTen(int exponent) =>
        exponent < SmallPowersOfTen.Length ? SmallPowersOfTen[exponent] : BigInteger.Pow(10, exponent);

    public static Rational operator *(Rational a, Rational b) =>
        new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Rational operator /(Rational a, Rational b) =>
        new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public static Rational operator +(Rational a, Rational b) =>
        new((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static Rational operator -(Rational a, Rational b) =>
        new((a.Numerator * b.Denominator) - (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    public static bool operator ==(Rational a, Rational b) => a.Equals(b);

    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);

    public static Rational Multiply(Rational a, Rational b) => a * b;

    public static Rational Divide(Rational a, Rational b) => a / b;

    public static Rational Add(Rational a, Rational b) => a + b;

    public static Rational Subtract(Rational a, Rational b) => a - b;

    public Rational Pow(int exponent)
    {
        if (exponent == 0)
        {
            return One;
        }

        var n = BigInteger.Pow(Numerator, Math.Abs(exponent));
        var d = BigInteger.Pow(Denominator, Math.Abs(exponent));
        return exponent > 0 ? new Rational(n, d) : new Rational(d, n);
    }

    /// <summary>Lossy conversion, only for the non-linear special units (logarithms, tangents).</summary>
    public double ToDouble()
    {
        var n = (double)Numerator;
        var d = (double)Denominator;
        if (!double.IsInfinity(n) && !double.IsInfinity(d))
        {
            return n / d;
        }

        // Huge operands: go through logarithms rather than overflowing to infinity.
        return Math.Exp(BigInteger.Log(BigInteger.Abs(Numerator)) - BigInteger.Log(Denominator)) * Numerator.Sign;
    }

    /// <summary>
    /// Rounds to the nearest System.Decimal keeping as many significant digits as decimal allows,
    /// with trailing zeros removed. Fails when the magnitude is outside decimal's range, including a
    /// non-zero value too small to be anything but zero.
    /// </summary>
    public bool TryToDecimal(out decimal result)
    {
        result = 0m;
        if (Numerator.IsZero)
        {
            return true;
        }

        var n = BigInteger.Abs(Numerator);
        var d = Denominator;
        var integerPart = n / d;
        if (integerPart > DecimalMantissaMax)
        {
            return false;
        }

        const int MaxScale = 28;
        var scale = integerPart.IsZero ? MaxScale : Math.Max(0, MaxScale - (int)Math.Floor(BigInteger.Log10(integerPart)) - 1);
        BigInteger q;
        while (true)
        {
            // Round half away from zero on the magnitude.
            q = ((2 * n * PowerOfTen(scale)) + d) / (2 * d);
            if (q <= DecimalMantissaMax || scale == 0)
            {
                break;
            }

            scale--;
        }

        if (q.IsZero || q > DecimalMantissaMax)
        {
            return false;
        }

        while (scale > 0 && (q % 10).IsZero)
        {
            q /= 10;
            scale--;
        }

        var bits = (UInt128)q;
        result = new decimal(
            unchecked((int)(uint)bits),
            unchecked((int)(uint)(bits >> 32)),
            unchecked((int)(uint)(bits >> 64)),
            Numerator.Sign < 0,
            (byte)scale);
        return true;
    }

    /// <summary>Inverse of <see cref="ToDouble"/>; via decimal's round-trip text so 0.1 stays 0.1.</summary>
    public static bool TryFromDouble(double value, out Rational result)
    {
        result = Zero;
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return false;
        }

        return TryParse(value.ToString("R", CultureInfo.InvariantCulture), out result);
    }

    public bool Equals(Rational other) => Numerator == other.Numerator && Denominator == other.Denominator;

    public override bool Equals(object? obj) => obj is Rational other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Numerator, Denominator);

    public override string ToString() =>
        Denominator.IsOne ? Numerator.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");

    private static BigInteger[] BuildPowers(int count)
    {
        var powers = new BigInteger[count];
        powers[0] = BigInteger.One;
        for (var i = 1; i < count; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
