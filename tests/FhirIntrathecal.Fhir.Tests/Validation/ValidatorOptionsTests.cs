using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Tests.Support;
using FhirIntrathecal.Fhir.Validation;
using M = FhirIntrathecal.Fhir.Validation.MessageIds;

namespace FhirIntrathecal.Fhir.Tests.Validation;

/// <summary>The reference-style options of the validator settings: best-practice level and security checks.</summary>
public sealed class ValidatorOptionsTests
{
    private static ValidationResult Validate(FhirValidatorSettings settings, string json) =>
        new FhirValidator(CanonicalResolver.CreateDefault(FhirPackages.Cache), settings).ValidateJson(System.Text.Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData(BestPracticeLevel.Warning, IssueSeverity.Warning)]
    [InlineData(BestPracticeLevel.Error, IssueSeverity.Error)]
    [InlineData(BestPracticeLevel.Ignore, null)]
    public void Best_practice_constraints_follow_the_level(BestPracticeLevel level, IssueSeverity? expected)
    {
        // dom-6 (a resource should have a narrative) is marked best practice in R4.
        var dom6 = Validate(new FhirValidatorSettings { BestPractice = level }, """{"resourceType":"Patient","id":"p"}""")
            .Issues.Where(i => i.MessageId == M.Invariant && i.Message.Contains("dom-6", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, dom6.Select(i => (IssueSeverity?)i.Severity).SingleOrDefault());
    }

    [Theory]
    [InlineData(true, IssueSeverity.Error)]
    [InlineData(false, IssueSeverity.Information)]
    public void A_string_with_html_tags_is_an_error_only_with_security_checks(bool securityChecks, IssueSeverity expected)
    {
        var result = Validate(new FhirValidatorSettings { SecurityChecks = securityChecks },
            """{"resourceType":"Patient","name":[{"text":"Standard <script>somescript</script>","family":"a < b > c"}]}""");
        var html = result.Issues.Where(i => i.MessageId == M.StringHtml).ToList();
        Assert.Equal("Patient.name[0].text", Assert.Single(html).Expression);
        Assert.Equal(expected, html[0].Severity);
    }
}
