using System.Collections.Immutable;

namespace FhirIntrathecal.Fhir.Rest.Transfer;

public sealed record PullOptions
{
    public required string OutDirectory { get; init; }

    /// <summary>Only this patient's compartment (and the shared Medication/ResearchStudy resources).</summary>
    public string? PatientId { get; init; }

    /// <summary>Only resources changed after this instant (_lastUpdated=gt / _since).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Types to pull (required: the library knows no application's types).</summary>
    public ImmutableArray<string> Types { get; init; } = [];

    /// <summary>Use Bulk Data $export instead of paged searches.</summary>
    public bool Bulk { get; init; }

    public int PageSize { get; init; } = 200;

    /// <summary>Also write bundle.json, a collection Bundle of everything pulled.</summary>
    public bool WriteBundle { get; init; } = true;
}

public sealed record PullProgress(string Type, long Resources, int Pages);

public sealed record PullResult(IReadOnlyDictionary<string, long> Counts, string? BundlePath, TimeSpan Elapsed, bool Resumed)
{
    public long Total => Counts.Values.Sum();
}
