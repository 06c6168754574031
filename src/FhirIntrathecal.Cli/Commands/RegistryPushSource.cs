using System.Globalization;
using FhirIntrathecal.Fhir.Rest.Transfer;
using FhirIntrathecal.Mapping.Fhir;
using FhirIntrathecal.Mapping.RegistryFiles;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>How a registry push avoids duplicates on a rerun.</summary>
internal enum RegistryIdempotency
{
    /// <summary>PUT [type]/[stable uuid]: no search per resource, so it scales on servers whose searches are slow (the sandbox).</summary>
    Upsert,

    /// <summary>One transaction per patient with conditional creates on business identifiers (If-None-Exist).</summary>
    Conditional,
}

/// <summary>Registry (CSV or JSON, see <see cref="RegistryInput"/>) → transactions, through the mapping.</summary>
internal static class RegistryPushSource
{
    public static bool IsRegistry(string path) => RegistryInput.IsRegistry(path);

    public static IEnumerable<PushUnit> Units(string path, RegistryIdempotency mode, int batchSize, string? recorded)
    {
        var read = RegistryInput.Read(path);
        if (read.Errors.Count > 0)
        {
            // Rows that do not parse would be silently missing from the server: refuse instead.
            throw new InvalidOperationException($"The registry has {read.Errors.Count} row error(s), first: {read.Errors[0]}. Fix them (see `convert`) before pushing.");
        }

        var when = recorded is null ? DateTimeOffset.UtcNow : DateTimeOffset.Parse(recorded, CultureInfo.InvariantCulture);
        var options = new ExportOptions(path, when);
        if (mode == RegistryIdempotency.Conditional)
        {
            return PushInputs.FromBundles("registry", DomainToFhir.TransactionBundles(read.Registry, options))
                .Select(u => u with { Bundle = PushInputs.UpsertUnconditionalCreates(u.Bundle) });
        }

        // Relative references and ids set to the mapping's stable UUIDs, so each entry becomes PUT [type]/[uuid].
        // Shared resources (the study, medications) come once per patient with the same id: send each once, since
        // a transaction may not name one resource twice.
        var resources = DomainToFhir.AllResources(read.Registry, options with { References = ReferenceStyle.Relative })
            .Select(p => p.Resource)
            .DistinctBy(r => (r.TypeInfo.Name, r.Id));
        return resources.Chunk(batchSize).Select((chunk, i) => new PushUnit($"registry#{(i + 1).ToString(CultureInfo.InvariantCulture)}", PushInputs.Transaction(chunk)));
    }
}
