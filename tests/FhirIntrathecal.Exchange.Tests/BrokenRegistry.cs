namespace FhirIntrathecal.Exchange.Tests;

/// <summary>
/// The deliberately broken registry (TestData/broken-registry): a bad date, a missing id, a 9 mg dose, a 1-week
/// interval, a stray quote and an extra field, among valid rows. What every host must make of it.
/// </summary>
public static class BrokenRegistry
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "TestData", "broken-registry");

    public static readonly string[] Accepted =
    [
        "administration P001-A01", "administration P003-A01", "administration P003-A02",
        "patient P001", "patient P002", "patient P003",
    ];

    public static readonly string[] Refused =
    [
        "administration (line 4)", "administration P001-A02", "administration P002-A01", "administration P003-A03", "administration P003-A04",
    ];

    /// <summary>(code, file name, line, column) of every diagnostic, in order.</summary>
    public static readonly (string Code, string File, int Line, int Column)[] Diagnostics =
    [
        ("REGISTRY_FORMAT", "administrations.csv", 3, 15),
        ("REGISTRY_REQUIRED", "administrations.csv", 4, 1),
        ("RULE_DOSE_RANGE", "administrations.csv", 5, 26),
        ("RULE_INTERVAL", "administrations.csv", 7, 15),
        ("REGISTRY_MALFORMED", "administrations.csv", 8, 1),
        ("REGISTRY_MALFORMED", "administrations.csv", 9, 169),
    ];
}
