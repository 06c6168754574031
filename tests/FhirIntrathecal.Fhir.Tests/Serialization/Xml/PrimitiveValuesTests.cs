using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Xml;

namespace FhirIntrathecal.Fhir.Tests.Serialization.Xml;

public class PrimitiveValuesTests
{
    [Theory]
    [InlineData("boolean", "true", true)]
    [InlineData("boolean", "false", false)]
    [InlineData("integer", "-12", -12)]
    [InlineData("integer", "0", 0)]
    [InlineData("positiveInt", "+7", 7)]
    [InlineData("unsignedInt", "0", 0)]
    [InlineData("decimal", "1.50", "1.50")]
    [InlineData("decimal", "-1.000000000000000000e245", "-1.000000000000000000e245")]
    [InlineData("string", " padded\ttext ", " padded\ttext ")]
    public void Values_convert_to_what_the_model_holds(string type, string text, object expected)
    {
        var value = PrimitiveValues.Convert(ModelInfo.GetTypeInfo(type)!, text, validate: true, out var error, out var warning);
        Assert.Null(error);
        Assert.Null(warning);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("boolean", "True")]
    [InlineData("boolean", "1")]
    [InlineData("integer", "01")]
    [InlineData("integer", "+1")]
    [InlineData("integer", "2147483648")]
    [InlineData("integer", "1.0")]
    [InlineData("positiveInt", "0")]
    [InlineData("unsignedInt", "-1")]
    [InlineData("decimal", ".5")]
    [InlineData("decimal", "1.")]
    [InlineData("decimal", "01")]
    [InlineData("decimal", "NaN")]
    [InlineData("string", "")]
    public void Values_that_cannot_be_held_are_errors(string type, string text)
    {
        Assert.Null(PrimitiveValues.Convert(ModelInfo.GetTypeInfo(type)!, text, validate: false, out var error, out _));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("date", "2024", true)]
    [InlineData("date", "2024-02-30", true)]  // the pattern's view; calendar checks belong to the validator
    [InlineData("date", "2024-13", false)]
    [InlineData("dateTime", "2024-01-02T03:04:05.123+14:00", true)]
    [InlineData("dateTime", "2024-01-02T03:04", false)]
    [InlineData("instant", "2024-01-02T03:04:05Z", true)]
    [InlineData("instant", "2024-01-02", false)]
    [InlineData("time", "23:59:60", true)]
    [InlineData("time", "24:00:00", false)]
    [InlineData("code", "a b", true)]
    [InlineData("code", "a  b", false)]
    [InlineData("code", "CHEST\u00A0", false)]
    [InlineData("id", "a-Z.0", true)]
    [InlineData("id", "a_b", false)]
    [InlineData("oid", "urn:oid:1.2.3", true)]
    [InlineData("oid", "urn:oid:1.02", false)]
    [InlineData("uuid", "urn:uuid:c757873d-ec9a-4326-a141-556f43239520", true)]
    [InlineData("uuid", "urn:uuid:C757873D-ec9a-4326-a141-556f43239520", false)]
    [InlineData("uri", "http://x/y?z", true)]
    [InlineData("uri", "http://x/ y", false)]
    [InlineData("base64Binary", "aGVsbG8=", true)]
    [InlineData("base64Binary", "a", false)]
    [InlineData("string", "   ", false)]
    public void Pattern_checks_follow_the_R4_definitions(string type, string text, bool valid)
    {
        Assert.Equal(valid, PrimitiveValues.IsValidLexical(type, text));
        var value = PrimitiveValues.Convert(ModelInfo.GetTypeInfo(type)!, text, validate: true, out var error, out var warning);
        Assert.Null(error);
        Assert.Equal(text, value);  // kept either way: lossless
        Assert.Equal(valid, warning is null);
    }
}
