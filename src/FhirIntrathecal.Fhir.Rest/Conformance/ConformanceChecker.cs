using System.Diagnostics;
using System.Net;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Rest.Conformance;

/// <summary>
/// A smoke test of any FHIR server for an application's <see cref="CheckScope"/>: what /metadata claims for its resource
/// types, then real round trips (create, read, vread, update, If-Match, search, paging, transaction, conditional-create
/// idempotency, $validate when offered, delete), tagged with a run id and cleaned up afterwards.
/// </summary>
public sealed class ConformanceChecker(FhirClient client, CheckScope scope)
{
    private readonly FhirClient _client = client ?? throw new ArgumentNullException(nameof(client));
    private readonly CheckScope _scope = scope ?? throw new ArgumentNullException(nameof(scope));

    /// <summary>Patients created for the paging check; pages are fetched with _count = PageSize.</summary>
    public int PagingResources { get; init; } = 12;

    public int PageSize { get; init; } = 5;

    public async Task<CheckReport> RunAsync(IProgress<CheckRow>? progress = null, CancellationToken ct = default)
    {
        var run = new Run(_client, progress, Guid.NewGuid().ToString("N")[..12], ct);
        var started = DateTimeOffset.UtcNow;
        CapabilityStatement? metadata = null;
        await run.StepAsync("metadata", "GET /metadata", async () =>
        {
            metadata = await _client.CapabilitiesAsync(ct).ConfigureAwait(false);
            return (CheckStatus.Pass, $"{metadata.Software?.Name?.Value} {metadata.Software?.Version?.Value}".Trim());
        }).ConfigureAwait(false);
        if (metadata is null)
        {
            return new CheckReport(_client.Settings.BaseUri, started, null, null, run.Rows);
        }

        MetadataRows(run, metadata);
        await RoundTripsAsync(run, metadata).ConfigureAwait(false);
        await run.CleanupAsync().ConfigureAwait(false);
        return new CheckReport(_client.Settings.BaseUri, started, metadata.Software?.Name?.Value, metadata.FhirVersion?.Value, run.Rows);
    }

    private void MetadataRows(Run run, CapabilityStatement cs)
    {
        var version = cs.FhirVersion?.Value ?? string.Empty;
        run.Add("metadata", "FHIR version 4.0.x", version.StartsWith("4.0", StringComparison.Ordinal) ? CheckStatus.Pass : CheckStatus.Fail, version);
        var formats = cs.Format.Select(f => f.Value ?? string.Empty).ToList();
        run.Add("metadata", "JSON format", formats.Any(f => f.Contains("json", StringComparison.OrdinalIgnoreCase)) ? CheckStatus.Pass : CheckStatus.Fail, string.Join(", ", formats));
        run.Add("metadata", "XML format", formats.Any(f => f.Contains("xml", StringComparison.OrdinalIgnoreCase)) ? CheckStatus.Pass : CheckStatus.Skip,
            "optional for us; JSON is the default");
        var rest = cs.Rest.FirstOrDefault(r => r.Mode?.Value == "server");
        var system = rest?.Interaction.Select(i => i.Code?.Value).ToHashSet() ?? [];
        run.Add("metadata", "transaction declared", system.Contains("transaction") ? CheckStatus.Pass : CheckStatus.Fail, "rest.interaction");
        run.Add("metadata", "batch declared", system.Contains("batch") ? CheckStatus.Pass : CheckStatus.Warn, "rest.interaction");
        foreach (var type in _scope.Types)
        {
            var resource = rest?.Resource.FirstOrDefault(r => r.Type?.Value == type);
            if (resource is null)
            {
                run.Add("metadata", $"{type} interactions", CheckStatus.Fail, "type not in CapabilityStatement");
                continue;
            }

            var offered = resource.Interaction.Select(i => i.Code?.Value).ToHashSet();
            var missing = _scope.RequiredInteractions.Where(i => !offered.Contains(i)).ToList();
            var missingOptional = _scope.OptionalInteractions.Where(i => !offered.Contains(i)).ToList();
            var status = missing.Count > 0 ? CheckStatus.Fail : missingOptional.Count > 0 ? CheckStatus.Warn : CheckStatus.Pass;
            var detail = missing.Count + missingOptional.Count == 0
                ? string.Join(", ", offered.Order(StringComparer.Ordinal))
                : "missing: " + string.Join(", ", missing.Concat(missingOptional));
            run.Add("metadata", $"{type} interactions", status, detail);
        }
    }

    private async Task RoundTripsAsync(Run run, CapabilityStatement cs)
    {
        var c = _client;
        var ct = run.Ct;
        var identifier = SearchParameters.Empty.Identifier(_scope.IdentifierSystem, $"{run.Id}-crud");
        FhirResponse<Patient>? created = null;
        await run.StepAsync("crud", "create (201, Location, ETag)", async () =>
        {
            created = await c.CreateAsync(new Patient { Identifier = [new Identifier { System = _scope.IdentifierSystem, Value = $"{run.Id}-crud" }], Active = true }, ct: ct).ConfigureAwait(false);
            run.Created("Patient", created.Id);
            return created.Created && created.Location is not null && created.ETag is not null && created.Id is not null
                ? (CheckStatus.Pass, $"Patient/{created.Id}, ETag {created.ETag}")
                : (CheckStatus.Fail, $"status {(int)created.Status}, Location {created.Location}, ETag {created.ETag}");
        }).ConfigureAwait(false);
        if (created?.Id is not { } id)
        {
            return;
        }

        var v1 = created.VersionId ?? "1";
        await run.StepAsync("crud", "read", async () =>
        {
            var read = await c.ReadAsync<Patient>(id, ct).ConfigureAwait(false);
            return read.Active?.Value == true ? (CheckStatus.Pass, $"version {read.Meta?.VersionId?.Value}") : (CheckStatus.Fail, "content differs");
        }).ConfigureAwait(false);

        string? v2 = null;
        await run.StepAsync("crud", "update with If-Match", async () =>
        {
            var updated = await c.UpdateAsync(new Patient { Id = id, Identifier = [new Identifier { System = _scope.IdentifierSystem, Value = $"{run.Id}-crud" }], Active = false }, v1, ct).ConfigureAwait(false);
            v2 = updated.VersionId;
            return v2 is not null && v2 != v1 ? (CheckStatus.Pass, $"version {v1} → {v2}") : (CheckStatus.Fail, $"version did not change ({v2})");
        }).ConfigureAwait(false);

        await run.StepAsync("crud", "stale If-Match → 412", async () =>
        {
            try
            {
                await c.UpdateAsync(new Patient { Id = id, Active = true }, v1, ct).ConfigureAwait(false);
                return (CheckStatus.Fail, "stale update accepted: lost-update protection missing");
            }
            catch (FhirPreconditionFailedException)
            {
                return (CheckStatus.Pass, "412");
            }
            catch (FhirConflictException)
            {
                return (CheckStatus.Warn, "409 instead of 412");
            }
        }).ConfigureAwait(false);

        await run.StepAsync("crud", "vread of version 1", async () =>
        {
            var old = await c.VReadAsync<Patient>(id, v1, ct).ConfigureAwait(false);
            return old.Active?.Value == true ? (CheckStatus.Pass, $"_history/{v1}") : (CheckStatus.Fail, "old version content differs");
        }).ConfigureAwait(false);

        await run.StepAsync("crud", "history", async () =>
        {
            var history = await c.HistoryAsync("Patient", id, ct: ct).ConfigureAwait(false);
            return history.Entry.Count >= 2 ? (CheckStatus.Pass, $"{history.Entry.Count} versions") : (CheckStatus.Warn, $"{history.Entry.Count} entries");
        }).ConfigureAwait(false);

        await run.StepAsync("search", "search by identifier", async () =>
        {
            var found = await c.SearchAsync("Patient", identifier, ct: ct).ConfigureAwait(false);
            var ids = found.Entry.Select(e => e.Resource?.Id).ToList();
            return ids.Count == 1 && ids[0] == id ? (CheckStatus.Pass, "1 match") : (CheckStatus.Fail, $"{ids.Count} matches");
        }).ConfigureAwait(false);

        await run.StepAsync("search", "POST _search", async () =>
        {
            var found = await c.SearchAsync("Patient", identifier, SearchMethod.Post, ct).ConfigureAwait(false);
            return found.Entry.Count == 1 ? (CheckStatus.Pass, "1 match") : (CheckStatus.Fail, $"{found.Entry.Count} matches");
        }).ConfigureAwait(false);

        await PagingAsync(run).ConfigureAwait(false);
        await TransactionAsync(run).ConfigureAwait(false);
        await ConditionalCreateAsync(run).ConfigureAwait(false);
        await ValidateAsync(run, cs).ConfigureAwait(false);

        await run.StepAsync("crud", "delete, then read → 404/410", async () =>
        {
            var status = await c.DeleteAsync("Patient", id, ct: ct).ConfigureAwait(false);
            try
            {
                await c.ReadAsync<Patient>(id, ct).ConfigureAwait(false);
                return (CheckStatus.Fail, $"delete answered {(int)status} but the resource is still readable");
            }
            catch (FhirOperationException ex) when (ex is FhirGoneException or FhirNotFoundException)
            {
                run.Deleted("Patient", id);
                return (CheckStatus.Pass, $"delete {(int)status}, read {(int)ex.Status}");
            }
        }).ConfigureAwait(false);
    }

    private async Task PagingAsync(Run run)
    {
        var tag = $"{run.Id}-page";
        await run.StepAsync("search", $"paging ({PagingResources} matches, _count={PageSize})", async () =>
        {
            var tx = new TransactionBuilder();
            for (var i = 0; i < PagingResources; i++)
            {
                tx.Create(new Patient { Identifier = [new Identifier { System = _scope.IdentifierSystem, Value = tag }, new Identifier { System = _scope.IdentifierSystem + ":n", Value = $"{tag}-{i}" }] });
            }

            var result = await _client.TransactionAsync(tx, run.Ct).ConfigureAwait(false);
            foreach (var e in result.Entries)
            {
                run.Created(e.Identity?.Type, e.Identity?.Id);
            }

            var first = await _client.SearchAsync("Patient", SearchParameters.Empty.Identifier(_scope.IdentifierSystem, tag).Count(PageSize), ct: run.Ct).ConfigureAwait(false);
            var pages = 0;
            var ids = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var page in _client.PagesAsync(first, run.Ct).ConfigureAwait(false))
            {
                pages++;
                foreach (var e in page.Entry)
                {
                    ids.Add(e.Resource?.Id ?? string.Empty);
                }
            }

            var expectedPages = (PagingResources + PageSize - 1) / PageSize;
            return ids.Count == PagingResources && pages == expectedPages
                ? (CheckStatus.Pass, $"{ids.Count} distinct in {pages} pages")
                : (CheckStatus.Fail, $"{ids.Count} distinct of {PagingResources} in {pages} pages (expected {expectedPages})");
        }).ConfigureAwait(false);
    }

    private async Task TransactionAsync(Run run)
    {
        await run.StepAsync("transaction", $"transaction of all {_scope.Types.Count} types, urn:uuid references resolved", async () =>
        {
            var tx = _scope.Transaction(run.Id).Build();
            var result = await _client.TransactionAsync(tx, run.Ct).ConfigureAwait(false);
            foreach (var e in result.Entries)
            {
                run.Created(e.Identity?.Type, e.Identity?.Id);
            }

            if (!result.AllSucceeded || result.Entries.Any(e => e.Identity is null))
            {
                return (CheckStatus.Fail, string.Join("; ", result.Failures.Select(f => $"{f.Url}: {f.Status}")));
            }

            // The first entry whose subject names another entry's urn:uuid must now name that entry's server identity.
            var linked = tx.Entry.Select((e, i) => (Index: i, Subject: Subject(e.Resource)))
                .Select(x => (x.Index, Target: tx.Entry.FindIndex(t => t.FullUrl?.Value is { } url && url == x.Subject)))
                .FirstOrDefault(x => x.Target >= 0);
            if (linked == default)
            {
                return (CheckStatus.Pass, $"{result.Entries.Count} entries created (no subject reference to follow)");
            }

            var from = result.Entries[linked.Index].Identity!;
            var to = result.Entries[linked.Target].Identity!;
            var reference = Subject(await _client.ReadAsync<Resource>(from.Type, from.Id, run.Ct).ConfigureAwait(false));
            return reference == $"{to.Type}/{to.Id}" || reference?.EndsWith($"/{to.Type}/{to.Id}", StringComparison.Ordinal) == true
                ? (CheckStatus.Pass, $"{result.Entries.Count} entries created")
                : (CheckStatus.Fail, $"{from.Type}.subject is '{reference}', not {to.Type}/{to.Id}");
        }).ConfigureAwait(false);

        foreach (var type in _scope.Types)
        {
            var identity = run.CreatedOf(type).LastOrDefault();
            await run.StepAsync("read/search", $"{type} read + search _id", async () =>
            {
                if (identity is null)
                {
                    return (CheckStatus.Fail, "not created by the transaction");
                }

                var read = await _client.ReadAsync<Resource>(type, identity, run.Ct).ConfigureAwait(false);
                var found = await _client.SearchAsync(type, SearchParameters.Empty.Id(identity), ct: run.Ct).ConfigureAwait(false);
                return read.TypeInfo.Name == type && found.Entry.Count == 1
                    ? (CheckStatus.Pass, $"{type}/{identity}")
                    : (CheckStatus.Fail, $"read {read.TypeInfo.Name}, search found {found.Entry.Count}");
            }).ConfigureAwait(false);
        }
    }

    private async Task ConditionalCreateAsync(Run run)
    {
        var condition = SearchParameters.Empty.Identifier(_scope.IdentifierSystem, $"{run.Id}-conditional");
        await run.StepAsync("idempotency", "conditional create twice → one resource", async () =>
        {
            var make = () => new Patient { Identifier = [new Identifier { System = _scope.IdentifierSystem, Value = $"{run.Id}-conditional" }] };
            var first = await _client.CreateAsync(make(), condition, run.Ct).ConfigureAwait(false);
            run.Created("Patient", first.Id);
            var second = await _client.CreateAsync(make(), condition, run.Ct).ConfigureAwait(false);
            var found = await _client.SearchAsync("Patient", condition, ct: run.Ct).ConfigureAwait(false);
            return first.Created && !second.Created && found.Entry.Count == 1 && (second.Id is null || second.Id == first.Id)
                ? (CheckStatus.Pass, $"201 then {(int)second.Status}, 1 match")
                : (CheckStatus.Fail, $"{(int)first.Status} then {(int)second.Status}, {found.Entry.Count} matches");
        }).ConfigureAwait(false);

        await run.StepAsync("idempotency", "conditional transaction twice → same ids", async () =>
        {
            var tx = new TransactionBuilder()
                .Create(new Patient { Identifier = [new Identifier { System = _scope.IdentifierSystem, Value = $"{run.Id}-txcond" }] },
                    ifNoneExist: SearchParameters.Empty.Identifier(_scope.IdentifierSystem, $"{run.Id}-txcond"));
            var first = await _client.TransactionAsync(tx, run.Ct).ConfigureAwait(false);
            var second = await _client.TransactionAsync(tx, run.Ct).ConfigureAwait(false);
            var a = first.Entries[0].Identity?.Id;
            var b = second.Entries[0].Identity?.Id;
            run.Created("Patient", a);
            return a is not null && a == b && second.Entries[0].Status == 200
                ? (CheckStatus.Pass, $"201 then 200, Patient/{a}")
                : (CheckStatus.Fail, $"{first.Entries[0].Status} {a} then {second.Entries[0].Status} {b}");
        }).ConfigureAwait(false);
    }

    private async Task ValidateAsync(Run run, CapabilityStatement cs)
    {
        var rest = cs.Rest.FirstOrDefault(r => r.Mode?.Value == "server");
        var offered = rest is not null && (rest.Operation.Any(o => o.Name?.Value == "validate") ||
            rest.Resource.Any(r => r.Type?.Value == "Patient" && r.Operation.Any(o => o.Name?.Value == "validate")));
        if (!offered)
        {
            run.Add("operations", "$validate", CheckStatus.Skip, "not offered in CapabilityStatement");
            return;
        }

        await run.StepAsync("operations", "$validate (valid and invalid Patient)", async () =>
        {
            var ok = await _client.ValidateAsync(new Patient { Active = true }, ct: run.Ct).ConfigureAwait(false);
            var bad = await _client.ValidateAsync(new Patient { BirthDate = new Date("not-a-date") }, ct: run.Ct).ConfigureAwait(false);
            var okErrors = ok.Issue.Count(i => i.Severity?.Value is "error" or "fatal");
            var badErrors = bad.Issue.Count(i => i.Severity?.Value is "error" or "fatal");
            return okErrors == 0 && badErrors > 0 ? (CheckStatus.Pass, $"valid: 0 errors, invalid: {badErrors}") : (CheckStatus.Fail, $"valid: {okErrors} errors, invalid: {badErrors}");
        }).ConfigureAwait(false);
    }

    /// <summary>The state of one run: its rows and what it created (for cleanup).</summary>
    private sealed class Run(FhirClient client, IProgress<CheckRow>? progress, string id, CancellationToken ct)
    {
        private readonly List<(string Type, string Id)> _created = [];

        public string Id => id;

        public CancellationToken Ct => ct;

        public List<CheckRow> Rows { get; } = [];

        public void Add(string area, string check, CheckStatus status, string detail, double ms = 0)
        {
            var row = new CheckRow(area, check, status, detail, ms);
            Rows.Add(row);
            progress?.Report(row);
        }

        public void Created(string? type, string? resourceId)
        {
            if (type is not null && resourceId is not null && !_created.Contains((type, resourceId)))
            {
                _created.Add((type, resourceId));
            }
        }

        public void Deleted(string type, string resourceId) => _created.Remove((type, resourceId));

        public IEnumerable<string> CreatedOf(string type) => _created.Where(c => c.Type == type).Select(c => c.Id);

        public async Task StepAsync(string area, string check, Func<Task<(CheckStatus Status, string Detail)>> step)
        {
            var sw = Stopwatch.StartNew();
            try
            {
                var (status, detail) = await step().ConfigureAwait(false);
                Add(area, check, status, detail, sw.Elapsed.TotalMilliseconds);
            }
            catch (Exception ex) when (ex is FhirOperationException or FhirFormatException or HttpRequestException or InvalidOperationException or TimeoutException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
            {
                Add(area, check, CheckStatus.Fail, $"{ex.GetType().Name}: {ex.Message}", sw.Elapsed.TotalMilliseconds);
            }
        }

        /// <summary>Deletes what the run created, dependants first (reverse creation order), so referential checks do not block it.</summary>
        public async Task CleanupAsync()
        {
            var sw = Stopwatch.StartNew();
            var failed = new List<string>();
            var order = _created.AsEnumerable().Reverse().OrderBy(c => c.Type is "Patient" or "ResearchStudy" or "Medication" ? 1 : 0).ToList();
            foreach (var (type, resourceId) in order)
            {
                try
                {
                    var status = await client.DeleteAsync(type, resourceId, ct: ct).ConfigureAwait(false);
                    if (status is not (HttpStatusCode.OK or HttpStatusCode.NoContent or HttpStatusCode.Accepted or HttpStatusCode.NotFound or HttpStatusCode.Gone))
                    {
                        failed.Add($"{type}/{resourceId}: {(int)status}");
                    }
                }
                catch (Exception ex) when (ex is FhirOperationException or HttpRequestException)
                {
                    failed.Add($"{type}/{resourceId}: {ex.Message}");
                }
            }

            Add("cleanup", $"delete the {order.Count} resources created", failed.Count == 0 ? CheckStatus.Pass : CheckStatus.Warn,
                failed.Count == 0 ? "all deleted" : "left behind: " + string.Join("; ", failed), sw.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>The reference text of a resource's <c>subject</c> element, when it has one.</summary>
    private static string? Subject(Resource? resource) =>
        resource?.TypeInfo.GetElement("subject") is { } element && resource.GetValue(element) is Reference r ? r.Reference_?.Value : null;
}
