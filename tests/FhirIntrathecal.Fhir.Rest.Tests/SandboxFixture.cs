using FhirIntrathecal.Sandbox;

namespace FhirIntrathecal.Fhir.Rest.Tests;

/// <summary>One real sandbox server (Node, in memory) for the collection, reached through the full client chain.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private SandboxServer? _server;
    private OwnedFhirClient? _fhir;

    public SandboxServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public OwnedFhirClient Fhir => _fhir ?? throw new InvalidOperationException("Not started.");

    public FhirClient Client => Fhir.Client;

    public async ValueTask InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions(), CancellationToken.None);
        _fhir = FhirClientFactory.Create(FhirEndpoint.For(_server.BaseUri));
    }

    public async ValueTask DisposeAsync()
    {
        _fhir?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "sandbox";
}
