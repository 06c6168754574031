using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>Synthetic workloads shared by the benchmarks and the performance tests (one definition of "typical").</summary>
internal static class ValidationWorkloads
{
    /// <summary>A transaction of <paramref name="entries"/> entries: half Patients, half Observations referencing them by urn:uuid.</summary>
    public static Bundle Transaction(int entries)
    {
        var bundle = new Bundle { Type = "transaction" };
        var patients = entries / 2;
        for (var i = 0; i < entries; i++)
        {
            var uuid = Uuid(i);
            Resource resource = i < patients
                ? new Patient
                {
                    Identifier = [new Identifier { System = "urn:oid:1.2.36.146.595.217.0.1", Value = "MRN" + i }],
                    Name = [new HumanName { Family = "Family" + i, Given = ["Given"] }],
                    Gender = "female",
                    BirthDate = new Date("1970-01-01"),
                }
                : new Observation
                {
                    Status = "final",
                    Code = new CodeableConcept { Coding = [new Coding { System = "http://loinc.org", Code = "29463-7", Display = "Body weight" }] },
                    Subject = new Reference { Reference_ = Uuid(i - patients) },
                    Effective = new FhirDateTime("2024-05-01T10:00:00Z"),
                    Value = new Quantity { Value = 70.5m, Unit = "kg", System = "http://unitsofmeasure.org", Code = "kg" },
                };
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = uuid,
                Resource = resource,
                Request = new Bundle.RequestComponent { Method = "POST", Url = resource.TypeInfo.Name },
            });
        }

        return bundle;
    }

    private static string Uuid(int i) => $"urn:uuid:00000000-0000-4000-8000-{i:x12}";
}
