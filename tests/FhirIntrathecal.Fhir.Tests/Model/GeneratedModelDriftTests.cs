using FhirIntrathecal.Fhir.Tests.Support;
using FhirIntrathecal.ModelGen;

namespace FhirIntrathecal.Fhir.Tests.Model;

public class GeneratedModelDriftTests
{
    [Fact]
    public void Committed_generated_model_matches_what_the_generator_produces_from_the_R4_definitions()
    {
        var committedFolder = Path.Combine(RepoPaths.Root, "src", "FhirIntrathecal.Fhir", "Model", "Generated");
        var expected = CodeEmitter.Emit(SpecReader.Read(FhirPackages.CoreFolder));
        var committed = Directory.GetFiles(committedFolder, "*.g.cs").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);

        var missing = expected.Keys.Except(committed.Keys).ToList();
        var stale = committed.Keys.Except(expected.Keys).ToList();
        var changed = expected.Where(kv => committed.TryGetValue(kv.Key, out var text) && text != kv.Value).Select(kv => kv.Key).ToList();
        Assert.True(missing.Count + stale.Count + changed.Count == 0,
            $"Generated model drifted (run ./scripts/generate-model.sh): missing {string.Join(", ", missing)}; stale {string.Join(", ", stale)}; changed {string.Join(", ", changed)}");
        Assert.True(expected.Count > 200);
    }
}
