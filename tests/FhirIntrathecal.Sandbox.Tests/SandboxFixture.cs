using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FhirIntrathecal.Sandbox.Tests;

/// <summary>One sandbox server for the whole test collection.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public const string FhirJson = "application/fhir+json";

    private SandboxServer? _server;

    public SandboxServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions(), CancellationToken.None);
        Http = new HttpClient { BaseAddress = _server.BaseUri };
        Http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirJson));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, FhirJson);

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        Assert.StartsWith(FhirJson, response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new JsonException("empty body");
    }
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "sandbox";
}
