using System.Net;
using System.Text.Json.Nodes;
using static FhirIntrathecal.Sandbox.Tests.SandboxFixture;

namespace FhirIntrathecal.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class FhirBehaviourTests(SandboxFixture fixture)
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task Metadata_is_an_R4_capability_statement_listing_the_resources_and_transaction()
    {
        using var response = await _http.GetAsync("metadata");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statement = await ReadAsync(response);

        Assert.Equal("CapabilityStatement", (string?)statement["resourceType"]);
        Assert.Equal("4.0.1", (string?)statement["fhirVersion"]);
        var rest = statement["rest"]![0]!;
        var types = rest["resource"]!.AsArray().Select(r => (string?)r!["type"]).ToHashSet();
        Assert.Superset(new HashSet<string?> { "Patient", "Observation", "MedicationAdministration", "Medication", "Device" }, types);
        var systemInteractions = rest["interaction"]!.AsArray().Select(i => (string?)i!["code"]).ToHashSet();
        Assert.Superset(new HashSet<string?> { "transaction", "batch" }, systemInteractions);
    }

    [Fact]
    public async Task Create_returns_201_with_Location_ETag_and_Last_Modified()
    {
        using var response = await _http.PostAsync("Patient", Json(Patient("Create")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await ReadAsync(response);
        var id = (string?)created["id"];

        Assert.Equal(new Uri(_http.BaseAddress!, $"Patient/{id}/_history/1"), response.Headers.Location);
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);
    }

    [Fact]
    public async Task Vread_returns_each_version_and_a_stale_If_Match_gets_412()
    {
        var v1 = await CreateAsync(Patient("Original"));
        var id = (string)v1["id"]!;

        var changed = Patient("Changed");
        changed["id"] = id;
        using (var update = new HttpRequestMessage(HttpMethod.Put, $"Patient/{id}") { Content = Json(changed) })
        {
            update.Headers.IfMatch.ParseAdd("W/\"1\"");
            using var updated = await _http.SendAsync(update);
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
            Assert.Equal("W/\"2\"", updated.Headers.ETag?.ToString());
        }

        using (var stale = new HttpRequestMessage(HttpMethod.Put, $"Patient/{id}") { Content = Json(changed) })
        {
            stale.Headers.IfMatch.ParseAdd("W/\"1\"");
            using var rejected = await _http.SendAsync(stale);
            Assert.Equal(HttpStatusCode.PreconditionFailed, rejected.StatusCode);
            Assert.Equal("OperationOutcome", (string?)(await ReadAsync(rejected))["resourceType"]);
        }

        using var version1 = await _http.GetAsync($"Patient/{id}/_history/1");
        Assert.Equal("Original", (string?)(await ReadAsync(version1))["name"]![0]!["family"]);
        using var version2 = await _http.GetAsync($"Patient/{id}/_history/2");
        Assert.Equal("Changed", (string?)(await ReadAsync(version2))["name"]![0]!["family"]);
    }

    [Fact]
    public async Task Paging_follows_next_links_to_the_end_and_sees_every_resource_once()
    {
        var system = $"urn:test:paging-{Guid.NewGuid()}";
        var created = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            created.Add((string)(await CreateAsync(Patient($"Page{i}", system, $"{i}")))["id"]!);
        }

        var seen = new List<string>();
        var pages = 0;
        for (Uri? next = new(_http.BaseAddress!, $"Patient?identifier={Uri.EscapeDataString(system + "|")}&_count=10"); next is not null; pages++)
        {
            using var response = await _http.GetAsync(next);
            var bundle = await ReadAsync(response);
            Assert.Equal(25, (int?)bundle["total"]);
            seen.AddRange(bundle["entry"]!.AsArray().Select(e => (string)e!["resource"]!["id"]!));
            var link = bundle["link"]!.AsArray().FirstOrDefault(l => (string?)l!["relation"] == "next");
            next = link is null ? null : new Uri((string)link["url"]!);
        }

        Assert.Equal(3, pages);
        Assert.Equal(25, seen.Count);
        Assert.Equal(created.Order(), seen.Order());
    }

    [Fact]
    public async Task Conditional_create_twice_makes_one_resource()
    {
        var system = "urn:test:conditional";
        var value = Guid.NewGuid().ToString();
        var ids = new List<string>();
        foreach (var expected in new[] { HttpStatusCode.Created, HttpStatusCode.OK })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = Json(Patient("Once", system, value)) };
            request.Headers.Add("If-None-Exist", $"identifier={Uri.EscapeDataString($"{system}|{value}")}");
            using var response = await _http.SendAsync(request);
            Assert.Equal(expected, response.StatusCode);
            ids.Add((string)(await ReadAsync(response))["id"]!);
        }

        Assert.Single(ids.Distinct());
        Assert.Equal(1, await CountAsync($"Patient?identifier={Uri.EscapeDataString($"{system}|{value}")}"));
    }

    [Fact]
    public async Task Transaction_resolves_urn_uuid_references()
    {
        var patientUrn = $"urn:uuid:{Guid.NewGuid()}";
        var bundle = Transaction(
            Entry("POST", "Patient", Patient("Txn"), patientUrn),
            Entry("POST", "Observation", Observation(patientUrn, "urn:test:txn")));

        using var response = await _http.PostAsync("", Json(bundle));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = (await ReadAsync(response))["entry"]!.AsArray();
        Assert.All(entries, e => Assert.Equal("201", (string?)e!["response"]!["status"]));
        var patientId = (string)entries[0]!["resource"]!["id"]!;
        Assert.Equal($"Patient/{patientId}", (string?)entries[1]!["resource"]!["subject"]!["reference"]);
    }

    [Fact]
    public async Task A_failed_transaction_leaves_nothing_behind()
    {
        var marker = $"urn:test:rollback-{Guid.NewGuid()}";
        var existing = await CreateAsync(Patient("Untouched"));
        var existingId = (string)existing["id"]!;
        var patientUrn = $"urn:uuid:{Guid.NewGuid()}";
        var changed = Patient("Overwritten");
        changed["id"] = existingId;
        var invalid = Patient("Invalid");
        invalid["birthDate"] = "not-a-date";

        // Creates and the update are applied before the invalid create's turn... and must be undone.
        var bundle = Transaction(
            Entry("POST", "Patient", Patient("New", marker, "1"), patientUrn),
            Entry("POST", "Observation", Observation(patientUrn, marker)),
            Entry("PUT", $"Patient/{existingId}", changed),
            Entry("POST", "Patient", invalid));

        using var response = await _http.PostAsync("", Json(bundle));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("OperationOutcome", (string?)(await ReadAsync(response))["resourceType"]);

        Assert.Equal(0, await CountAsync($"Patient?identifier={Uri.EscapeDataString(marker + "|")}"));
        Assert.Equal(0, await CountAsync($"Observation?identifier={Uri.EscapeDataString(marker + "|")}"));
        using var reread = await _http.GetAsync($"Patient/{existingId}");
        var current = await ReadAsync(reread);
        Assert.Equal("Untouched", (string?)current["name"]![0]!["family"]);
        Assert.Equal("1", (string?)current["meta"]!["versionId"]);
    }

    private async Task<JsonObject> CreateAsync(JsonObject resource)
    {
        using var response = await _http.PostAsync((string)resource["resourceType"]!, Json(resource));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadAsync(response);
    }

    private async Task<int> CountAsync(string search)
    {
        using var response = await _http.GetAsync(search + "&_summary=count");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (int)(await ReadAsync(response))["total"]!;
    }

    private static JsonObject Patient(string family, string? system = null, string? value = null)
    {
        var patient = new JsonObject
        {
            ["resourceType"] = "Patient",
            ["name"] = new JsonArray(new JsonObject { ["family"] = family }),
        };
        if (system is not null)
        {
            patient["identifier"] = new JsonArray(new JsonObject { ["system"] = system, ["value"] = value });
        }
        return patient;
    }

    private static JsonObject Observation(string subject, string identifierSystem) => new()
    {
        ["resourceType"] = "Observation",
        ["status"] = "final",
        ["identifier"] = new JsonArray(new JsonObject { ["system"] = identifierSystem, ["value"] = "1" }),
        ["code"] = new JsonObject { ["text"] = "Heart rate" },
        ["subject"] = new JsonObject { ["reference"] = subject },
    };

    private static JsonObject Transaction(params JsonObject[] entries) => new()
    {
        ["resourceType"] = "Bundle",
        ["type"] = "transaction",
        ["entry"] = new JsonArray(entries),
    };

    private static JsonObject Entry(string method, string url, JsonObject resource, string? fullUrl = null)
    {
        var entry = new JsonObject
        {
            ["resource"] = resource,
            ["request"] = new JsonObject { ["method"] = method, ["url"] = url },
        };
        if (fullUrl is not null)
        {
            entry["fullUrl"] = fullUrl;
        }
        return entry;
    }
}
