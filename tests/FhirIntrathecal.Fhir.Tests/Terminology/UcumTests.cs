using FhirIntrathecal.Fhir.Terminology.Ucum;

namespace FhirIntrathecal.Fhir.Tests.Terminology;

public class UcumTests
{
    private static readonly UcumService Ucum = UcumService.Default;

    [Theory]
    [InlineData("mg")]
    [InlineData("g")]
    [InlineData("kg")]
    [InlineData("ug")]
    [InlineData("mL")]
    [InlineData("L")]
    [InlineData("dL")]
    [InlineData("mg/kg")]
    [InlineData("mg/mL")]
    [InlineData("mg/dL")]
    [InlineData("mmol/L")]
    [InlineData("wk")]
    [InlineData("d")]
    [InlineData("h")]
    [InlineData("min")]
    [InlineData("s")]
    [InlineData("ms")]
    [InlineData("a")]
    [InlineData("mo")]
    [InlineData("%")]
    [InlineData("cm")]
    [InlineData("m")]
    [InlineData("mm")]
    [InlineData("[in_i]")]
    [InlineData("[lb_av]")]
    [InlineData("kg/m2")]
    [InlineData("/min")]
    [InlineData("{score}")]
    [InlineData("{beats}/min")]
    [InlineData("Cel")]
    [InlineData("[degF]")]
    [InlineData("mm[Hg]")]
    [InlineData("10*9/L")]
    [InlineData("10^3")]
    [InlineData("10*-3")]
    [InlineData("[IU]")]
    [InlineData("m[IU]/mL")]
    [InlineData("[arb'U]")]
    [InlineData("'")]
    [InlineData("''")]
    [InlineData("cd")]
    [InlineData("dam")]
    [InlineData("mL{total}")]
    [InlineData("(kg.m)/s2")]
    [InlineData("kg.m/s2")]
    [InlineData("10.L")]
    [InlineData("2.mg")]
    [InlineData("1")]
    [InlineData("s-1")]
    [InlineData("m+2")]
    [InlineData("m[H2O]")]
    [InlineData("B[10.nV]")]
    [InlineData("[m/s2/Hz^(1/2)]")]
    [InlineData("g%")]
    [InlineData("%[slope]")]
    [InlineData("umol/(24.h)")]
    [InlineData("m2{x}/s")]
    public void Valid_expressions_are_accepted(string unit)
    {
        var result = Ucum.Validate(unit);

        Assert.True(result.IsValid, result.Error);
        Assert.Null(result.Error);
        Assert.Equal(-1, result.Position);
    }

    [Theory]
    [InlineData("", 0, "empty unit expression at 0")]
    [InlineData("xyz", 0, "unknown unit 'xyz' at 0")]
    [InlineData("mg/xyz", 3, "unknown unit 'xyz' at 3")]
    [InlineData("Kg", 0, "unknown unit 'Kg' at 0")]
    [InlineData("k[in_i]", 0, "prefix 'k' cannot be used with non-metric unit '[in_i]' at 0")]
    [InlineData("mg.kwk", 3, "prefix 'k' cannot be used with non-metric unit 'wk' at 3")]
    [InlineData("mg/", 3, "unexpected end of expression at 3: expected a unit")]
    [InlineData("mg//L", 3, "expected a unit but found '/' at 3")]
    [InlineData("(mg", 0, "missing ')' for '(' at 0")]
    [InlineData("mg)", 2, "unexpected ')' at 2")]
    [InlineData("mg.(", 4, "unexpected end of expression at 4: expected a unit")]
    [InlineData("m g", 1, "invalid character ' ' at 1")]
    [InlineData("2mg", 1, "expected '.' or '/' but found 'mg' at 1")]
    [InlineData("m2g", 2, "expected '.' or '/' but found 'g' at 2")]
    [InlineData("{abc", 0, "missing '}' for annotation starting at 0")]
    [InlineData("mg{a b}", 4, "invalid character ' ' in annotation at 4")]
    [InlineData("mg}", 2, "unexpected '}' at 2")]
    [InlineData("[in_i", 0, "missing ']' for '[' at 0")]
    [InlineData("in_i]", 4, "unexpected ']' at 4")]
    [InlineData("m-", 1, "exponent sign '-' must be followed by digits at 1")]
    [InlineData("\u00b5g", 0, "invalid character '\u00b5' at 0")]
    [InlineData("m99999", 1, "exponent '99999' out of range (at most 1000) at 1")]
    [InlineData("mg/(/s)", 4, "expected a unit but found '/' at 4")]
    [InlineData("mg{x}2", 5, "expected '.' or '/' but found '2' at 5")]
    public void Invalid_expressions_report_message_and_position(string unit, int position, string error)
    {
        var result = Ucum.Validate(unit);

        Assert.False(result.IsValid);
        Assert.Equal(error, result.Error);
        Assert.Equal(position, result.Position);
    }

    [Theory]
    [InlineData("1", "g", "mg", "1000")]
    [InlineData("1000", "mg", "g", "1")]
    [InlineData("5", "mg/mL", "g/L", "5")]
    [InlineData("1", "[lb_av]", "g", "453.59237")]
    [InlineData("1", "[lb_av]", "kg", "0.45359237")]
    [InlineData("1", "[in_i]", "cm", "2.54")]
    [InlineData("37", "Cel", "[degF]", "98.6")]
    [InlineData("98.6", "[degF]", "Cel", "37")]
    [InlineData("-40", "Cel", "[degF]", "-40")]
    [InlineData("0", "Cel", "K", "273.15")]
    [InlineData("300", "K", "Cel", "26.85")]
    [InlineData("32", "[degF]", "K", "273.15")]
    [InlineData("1", "[degRe]", "Cel", "1.25")]
    [InlineData("1", "wk", "d", "7")]
    [InlineData("1", "a", "d", "365.25")]
    [InlineData("1", "mo", "d", "30.4375")]
    [InlineData("1", "mm[Hg]", "Pa", "133.322")]
    [InlineData("760", "mm[Hg]", "kPa", "101.32472")]
    [InlineData("1", "10*3/uL", "10*9/L", "1")]
    [InlineData("5", "10*3/uL", "/L", "5000000000")]
    [InlineData("1", "10^3", "1", "1000")]
    [InlineData("1", "mg/dL", "g/L", "0.01")]
    [InlineData("1", "mg/kg", "ug/g", "1")]
    [InlineData("1", "mmol/L", "umol/L", "1000")]
    [InlineData("1", "h", "min", "60")]
    [InlineData("1.5", "s", "ms", "1500")]
    [InlineData("60", "/min", "Hz", "1")]
    [InlineData("50", "%", "1", "0.5")]
    [InlineData("1", "kg/m2", "g/cm2", "0.1")]
    [InlineData("1", "dam", "m", "10")]
    [InlineData("3", "10.L", "L", "30")]
    [InlineData("2", "[IU]/mL", "m[IU]/L", "2000000")]
    [InlineData("1", "[iU]", "[IU]", "1")]
    [InlineData("20", "{beats}/min", "/min", "20")]
    [InlineData("1", "m/s/s", "m.s-2", "1")]
    [InlineData("1", "kg.m/s2", "N", "1")]
    [InlineData("20", "dB", "B", "2")]
    [InlineData("2", "B", "1", "100")]
    [InlineData("-1", "B", "1", "0.1")]
    [InlineData("7", "[pH]", "mol/L", "0.0000001")]
    [InlineData("1", "[ft_i]", "[in_i]", "12")]
    [InlineData("1", "[gal_us]", "L", "3.785411784")]
    public void Converts_exactly(string value, string from, string to, string expected)
    {
        Assert.True(Ucum.TryConvert(decimal.Parse(value), from, to, out var result), $"{from} -> {to}");
        Assert.Equal(decimal.Parse(expected), result);
        Assert.Equal(expected, result.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("mg", "mL")]
    [InlineData("mg", "xyz")]
    [InlineData("xyz", "mg")]
    [InlineData("[IU]", "mg")]
    [InlineData("[IU]", "[arb'U]")]
    [InlineData("[IU]", "1")]
    [InlineData("Cel", "Cel/s")]
    [InlineData("Cel2", "K2")]
    [InlineData("mg", "0")]
    public void Refuses_conversions_that_have_no_meaning(string from, string to)
    {
        Assert.False(Ucum.TryConvert(1m, from, to, out var result));
        Assert.Equal(0m, result);
    }

    [Fact]
    public void Refuses_results_outside_decimal_range()
    {
        Assert.False(Ucum.TryConvert(79m, "Yg", "yg", out _));
        Assert.False(Ucum.TryConvert(1m, "yg", "Yg", out _));
        Assert.False(Ucum.TryConvert(-5m, "1", "B", out _)); // log of a negative quantity
    }

    [Theory]
    [InlineData("mg", "kg", true)]
    [InlineData("mg/dL", "g/L", true)]
    [InlineData("mmol/L", "mol/m3", true)]
    [InlineData("mg", "mL", false)]
    [InlineData("Cel", "K", true)]
    [InlineData("Cel", "[degF]", true)]
    [InlineData("[degF]", "mK", true)]
    [InlineData("[IU]", "[iU]", true)]
    [InlineData("[IU]/L", "m[IU]/mL", true)]
    [InlineData("[IU]", "mg", false)]
    [InlineData("[IU]", "[arb'U]", false)]
    [InlineData("[IU]", "1", false)]
    [InlineData("%", "1", true)]
    [InlineData("{score}", "1", true)]
    [InlineData("{score}", "%", true)]
    [InlineData("/min", "Hz", true)]
    [InlineData("kg/m2", "[lb_av]/[in_i]2", true)]
    [InlineData("mm[Hg]", "Pa", true)]
    [InlineData("mm[Hg]", "kg", false)]
    [InlineData("xyz", "xyz", false)]
    [InlineData("Cel/s", "K/s", false)]
    public void Reports_comparability(string a, string b, bool expected)
    {
        Assert.Equal(expected, Ucum.AreComparable(a, b));
        Assert.Equal(expected, Ucum.AreComparable(b, a));
    }

    [Theory]
    [InlineData("1", "mg", "0.001", "g")]
    [InlineData("1", "m2", "1", "m2")]
    [InlineData("1", "mg/dL", "10", "g.m-3")]
    [InlineData("30", "/min", "0.5", "s-1")]
    [InlineData("7", "%", "0.07", "1")]
    [InlineData("3", "{score}", "3", "1")]
    [InlineData("37", "Cel", "310.15", "K")]
    [InlineData("1", "N", "1000", "g.m.s-2")]
    [InlineData("2", "[IU]", "2", "[iU]")]
    [InlineData("1", "10*9/L", "1000000000000", "m-3")]
    [InlineData("1", "mmol/L", "602213670000000000000000", "m-3")]
    [InlineData("1", "kg/m2", "1000", "g.m-2")]
    [InlineData("1", "[in_i]", "0.0254", "m")]
    [InlineData("1", "L", "0.001", "m3")]
    [InlineData("1", "cd", "1", "cd")]
    [InlineData("1", "deg", "0.0174532925199432957692369077", "rad")]
    public void Canonicalizes_to_base_units(string value, string unit, string expectedValue, string expectedUnit)
    {
        Assert.True(Ucum.TryCanonicalize(decimal.Parse(value), unit, out var canonicalValue, out var canonicalUnit));
        Assert.Equal(expectedUnit, canonicalUnit);
        Assert.Equal(decimal.Parse(expectedValue), canonicalValue);
    }

    [Theory]
    [InlineData("g.m-3")]
    [InlineData("m2")]
    [InlineData("s-1")]
    [InlineData("g.m.s-2")]
    [InlineData("K")]
    public void Canonical_units_are_their_own_canonical_form(string unit)
    {
        Assert.True(Ucum.TryCanonicalize(1m, unit, out var value, out var canonicalUnit));
        Assert.Equal(1m, value);
        Assert.Equal(unit, canonicalUnit);
    }

    [Theory]
    [InlineData("mg", "milligram")]
    [InlineData("kg/m2", "kilogram per square meter")]
    [InlineData("/min", "per minute")]
    [InlineData("mg/dL", "milligram per deciliter")]
    [InlineData("[lb_av]", "pound")]
    [InlineData("Cel", "degree Celsius")]
    [InlineData("10*9/L", "10^9 per liter")]
    [InlineData("kg.m/s2", "kilogram * meter per square second")]
    [InlineData("{score}", "{score}")]
    public void Derives_display_names(string unit, string expected) =>
        Assert.Equal(expected, Ucum.GetDisplayName(unit));

    [Fact]
    public void Has_no_display_name_for_invalid_units() => Assert.Null(Ucum.GetDisplayName("xyz"));

    [Fact]
    public void Prefers_whole_atoms_and_longest_prefixes()
    {
        // "cd" is candela, not centi-day; "dam" is deka-meter; "Pa" is pascal, not peta-year.
        Assert.True(Ucum.TryCanonicalize(1m, "cd", out _, out var cd));
        Assert.Equal("cd", cd);
        Assert.True(Ucum.TryConvert(1m, "dam", "dm", out var dam));
        Assert.Equal(100m, dam);
        Assert.True(Ucum.AreComparable("Pa", "N/m2"));
        Assert.True(Ucum.TryConvert(1m, "Mibit", "bit", out var mebibit));
        Assert.Equal(1048576m, mebibit);
    }

    [Fact]
    public void Hostile_expressions_fail_fast_instead_of_exhausting_resources()
    {
        var deep = new string('(', 10_000) + "m" + new string(')', 10_000);
        var nested = Ucum.Validate(deep);
        Assert.False(nested.IsValid);
        Assert.Equal("parentheses nested deeper than 32 at 32", nested.Error);

        // Syntactically fine, but the magnitude would need millions of digits.
        var huge = string.Join('.', Enumerable.Repeat("Ym1000", 50));
        Assert.True(Ucum.Validate(huge).IsValid);
        Assert.False(Ucum.TryCanonicalize(1m, huge, out _, out _));
        Assert.False(Ucum.AreComparable(huge, huge));
    }

    [Fact]
    public void Special_units_only_convert_when_they_stand_alone()
    {
        Assert.True(Ucum.Validate("Cel/s").IsValid); // grammatical, but no value is defined for it
        Assert.False(Ucum.TryCanonicalize(1m, "Cel/s", out _, out _));
        Assert.True(Ucum.TryConvert(1000m, "mCel", "Cel", out var celsius));
        Assert.Equal(1m, celsius);
        Assert.True(Ucum.TryConvert(36.6m, "Cel{oral}", "K", out var kelvin));
        Assert.Equal(309.75m, kelvin);
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => Ucum.Validate(null!));
        Assert.Throws<ArgumentNullException>(() => UcumService.Load(null!));
    }
}
