using FhirIntrathecal.Fhir.Definitions;
using FhirIntrathecal.Fhir.Serialization;
using FhirIntrathecal.Fhir.Terminology;
using FhirIntrathecal.Fhir.Tests.Support;
using FhirIntrathecal.Fhir.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FhirIntrathecal.Fhir.Tests.Validation;

public sealed class TerminologyTests
{
    private static readonly Lazy<LocalTerminologyService> Local = new(() => new LocalTerminologyService(CanonicalResolver.CreateDefault(FhirPackages.Cache)));

    [Theory]
    [InlineData("http://hl7.org/fhir/ValueSet/administrative-gender", "http://hl7.org/fhir/administrative-gender", "male", CodeValidity.Valid)]
    [InlineData("http://hl7.org/fhir/ValueSet/administrative-gender", "http://hl7.org/fhir/administrative-gender", "man", CodeValidity.Invalid)]
    [InlineData("http://hl7.org/fhir/ValueSet/administrative-gender", null, "female", CodeValidity.Valid)]
    // is-a filter over a local hierarchy: v3 ActCode _ActEncounterCode descendants.
    [InlineData("http://terminology.hl7.org/ValueSet/v3-ActEncounterCode", "http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", CodeValidity.Valid)]
    [InlineData("http://terminology.hl7.org/ValueSet/v3-ActEncounterCode", "http://terminology.hl7.org/CodeSystem/v3-ActCode", "CPT", CodeValidity.Invalid)]
    [InlineData("http://hl7.org/fhir/ValueSet/ucum-units", "http://unitsofmeasure.org", "mg/dL", CodeValidity.Valid)]
    [InlineData("http://hl7.org/fhir/ValueSet/ucum-units", "http://unitsofmeasure.org", "mg//dL", CodeValidity.Invalid)]
    [InlineData("http://hl7.org/fhir/ValueSet/condition-code", "http://snomed.info/sct", "39065001", CodeValidity.Unknown)]
    public void Local_membership(string valueSet, string? system, string code, CodeValidity expected) =>
        Assert.Equal(expected, Local.Value.ValidateCode(valueSet, system, code).Validity);

    [Fact]
    public void Expansion_handles_nested_value_sets_and_excludes()
    {
        var expansion = Local.Value.Expander.Expand("http://hl7.org/fhir/ValueSet/observation-status");
        Assert.NotNull(expansion);
        Assert.True(expansion.ContainsCode("http://hl7.org/fhir/observation-status", "final"));
        Assert.False(expansion.IsIncomplete);
    }

    [Fact]
    public async Task Unknown_systems_go_to_the_terminology_server_and_answers_are_cached()
    {
        var requests = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/fhir/ValueSet/$validate-code", (HttpContext ctx) =>
        {
            Interlocked.Increment(ref requests);
            var ok = ctx.Request.Query["code"] == "39065001";
            ctx.Response.ContentType = "application/fhir+json";
            return ctx.Response.WriteAsync($$"""{"resourceType":"Parameters","parameter":[{"name":"result","valueBoolean":{{(ok ? "true" : "false")}}},{"name":"message","valueString":"server says {{(ok ? "yes" : "no")}}"}]}""");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient();
        var remote = new RemoteTerminologyService(http, new Uri(address + "/fhir"));
        var validator = new FhirValidator(CanonicalResolver.CreateDefault(FhirPackages.Cache), new FhirValidatorSettings { RemoteTerminology = remote });

        var bad = """{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"1"}]},"interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"NOPE"}]}]}""";
        var result = validator.ValidateJson(System.Text.Encoding.UTF8.GetBytes(bad));
        NegativeFixture.AssertIssue(result, MessageIds.BindingExtensible, "Observation.interpretation[0]", IssueSeverity.Warning);
        Assert.Equal(CodeValidity.Valid, remote.ValidateCode("http://hl7.org/fhir/ValueSet/condition-code", "http://snomed.info/sct", "39065001").Validity);
        Assert.Equal(CodeValidity.Valid, remote.ValidateCode("http://hl7.org/fhir/ValueSet/condition-code", "http://snomed.info/sct", "39065001").Validity);
        Assert.Equal(1, remote.RequestCount); // the second look-up is served from the cache
        Assert.Equal(1, requests);
        Assert.Equal(CodeValidity.Invalid, remote.ValidateCode("http://hl7.org/fhir/ValueSet/condition-code", "http://snomed.info/sct", "2").Validity);
        await app.StopAsync();
    }
}
