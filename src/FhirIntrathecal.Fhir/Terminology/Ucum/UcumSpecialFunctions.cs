namespace FhirIntrathecal.Fhir.Terminology.Ucum;

/// <summary>
/// The function pairs behind UCUM special units (UCUM §21, "special units on non-ratio scales").
/// </summary>
/// <remarks>
/// For a special unit defined as f(v U), a measured number x stands for the proper quantity
/// f⁻¹(x) × v × U. <see cref="TryToProper"/> computes f⁻¹, <see cref="TryFromProper"/> computes f.
/// The temperature scales are affine, so they stay exact in rational arithmetic (37 Cel is exactly
/// 98.6 [degF]); the logarithmic and trigonometric ones can only be done in double precision.
/// </remarks>
internal static class UcumSpecialFunctions
{
    private static readonly Rational CelsiusOffset = Parse("273.15");
    private static readonly Rational FahrenheitOffset = Parse("459.67");

    // 273.15 K × 4/5: the Réaumur zero expressed in the 5/4 K steps of the definition degRe(5 K/4).
    private static readonly Rational ReaumurOffset = Parse("218.52");

    public static bool IsSupported(string name) => name is "Cel" or "degF" or "degRe" or "ln" or "lg" or "lgTimes2"
        or "pH" or "hpX" or "hpC" or "hpM" or "hpQ" or "tanTimes100" or "100tan" or "sqrt" or "ld";

    public static bool TryToProper(string name, Rational x, out Rational result)
    {
        switch (name)
        {
            case "Cel":
                result = x + CelsiusOffset;
                return true;
            case "degF":
                result = x + FahrenheitOffset;
                return true;
            case "degRe":
                result = x + ReaumurOffset;
                return true;
        }

        var v = x.ToDouble();
        var proper = name switch
        {
            "ln" => Math.Exp(v),
            "lg" => Math.Pow(10, v),
            "lgTimes2" => Math.Pow(10, v / 2),
            "pH" or "hpX" => Math.Pow(10, -v),
            "hpC" => Math.Pow(100, -v),
            "hpM" => Math.Pow(1000, -v),
            "hpQ" => Math.Pow(50000, -v),

            // The essence gives these a proper unit of "deg" while tan works in radians.
            "tanTimes100" or "100tan" => Math.Atan(v / 100) * 180 / Math.PI,
            "sqrt" => v * v,
            "ld" => Math.Pow(2, v),
            _ => double.NaN,
        };
        return Rational.TryFromDouble(proper, out result);
    }

    public static bool TryFromProper(string name, Rational y, out Rational result)
    {
        switch (name)
        {
            case "Cel":
                result = y - CelsiusOffset;
                return true;
            case "degF":
                result = y - FahrenheitOffset;
                return true;
            case "degRe":
                result = y - ReaumurOffset;
                return true;
        }

        var v = y.ToDouble();

        // Logarithms of zero or negative quantities are undefined; NaN/∞ make TryFromDouble fail.
        var measured = name switch
        {
            "ln" => Math.Log(v),
            "lg" => Math.Log10(v),
            "lgTimes2" => 2 * Math.Log10(v),
            "pH" or "hpX" => -Math.Log10(v),
            "hpC" => -Math.Log(v) / Math.Log(100),
            "hpM" => -Math.Log(v) / Math.Log(1000),
            "hpQ" => -Math.Log(v) / Math.Log(50000),
            "tanTimes100" or "100tan" => 100 * Math.Tan(v * Math.PI / 180),
            "sqrt" => v < 0 ? double.NaN : Math.Sqrt(v),
            "ld" => Math.Log2(v),
            _ => double.NaN,
        };
        return Rational.TryFromDouble(measured, out result);
    }

    private static Rational Parse(string literal) =>
        Rational.TryParse(literal, out var value) ? value : throw new InvalidOperationException(literal);
}
