using System.Collections.Concurrent;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Terminology;

/// <summary>
/// Asks a FHIR terminology server (<c>GET [base]/ValueSet/$validate-code?url=&amp;system=&amp;code=</c>) and caches the
/// answers. The validator is synchronous, so requests use HttpClient's synchronous Send; a failing server yields
/// Unknown (never an error about the instance).
/// </summary>
public sealed class RemoteTerminologyService : ITerminologyService
{
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly ConcurrentDictionary<(string, string?, string), CodeCheck> _cache = new();

    public RemoteTerminologyService(HttpClient http, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        _http = http;
        _base = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
    }

    /// <summary>Requests made so far (cache misses), for tests and diagnostics.</summary>
    public int RequestCount => _requests;

    private int _requests;

    public CodeCheck ValidateCode(string valueSetCanonical, string? system, string code) =>
        _cache.GetOrAdd((valueSetCanonical, system, code), key => Ask(key.Item1, key.Item2, key.Item3));

    private CodeCheck Ask(string valueSet, string? system, string code)
    {
        Interlocked.Increment(ref _requests);
        var query = "ValueSet/$validate-code?url=" + Uri.EscapeDataString(valueSet) + "&code=" + Uri.EscapeDataString(code)
            + (system is null ? "" : "&system=" + Uri.EscapeDataString(system));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, query));
            request.Headers.Accept.ParseAdd("application/fhir+json");
            using var response = _http.Send(request);
            using var stream = response.Content.ReadAsStream();
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            if (FhirJsonParser.Parse(ms.ToArray(), Serialization.ParserOptions.Lenient).Value is not Parameters p)
            {
                return new CodeCheck(CodeValidity.Unknown, $"terminology server answered {(int)response.StatusCode} without Parameters");
            }

            var result = p.Parameter.FirstOrDefault(x => x.Name?.Value == "result")?.Value as FhirBoolean;
            var message = (p.Parameter.FirstOrDefault(x => x.Name?.Value == "message")?.Value as FhirString)?.Value;
            return result?.Value switch
            {
                true => CodeCheck.Valid,
                false => new CodeCheck(CodeValidity.Invalid, message ?? $"the terminology server says '{code}' is not in {valueSet}"),
                null => new CodeCheck(CodeValidity.Unknown, message ?? "the terminology server gave no result"),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return new CodeCheck(CodeValidity.Unknown, $"terminology server unavailable: {e.Message}");
        }
    }
}
