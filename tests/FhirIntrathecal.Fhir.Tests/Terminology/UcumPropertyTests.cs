using System.Diagnostics;
using FhirIntrathecal.Fhir.Terminology.Ucum;

namespace FhirIntrathecal.Fhir.Tests.Terminology;

public class UcumPropertyTests(ITestOutputHelper output)
{
    private static readonly UcumService Ucum = UcumService.Default;

    // Groups of mutually comparable units; every ordered pair inside a group is exercised.
    private static readonly string[][] Groups =
    [
        ["mg", "g", "kg", "ug", "ng", "[lb_av]", "[oz_av]", "[gr]", "t"],
        ["mL", "L", "dL", "uL", "m3", "cm3", "[gal_us]", "[foz_us]", "[tsp_us]"],
        ["mg/kg", "ug/g", "g/t", "[ppm]"],
        ["mg/mL", "g/L", "mg/dL", "ug/uL", "kg/m3", "g%"],
        ["mmol/L", "umol/L", "mol/m3", "nmol/mL"],
        ["wk", "d", "h", "min", "s", "ms", "a", "mo", "a_g", "mo_s"],
        ["cm", "m", "mm", "km", "[in_i]", "[ft_i]", "[mi_i]", "Ao", "[smoot]"],
        ["kg/m2", "g/cm2", "[lb_av]/[in_i]2"],
        ["/min", "Hz", "/s", "/h", "{beats}/min"],
        ["%", "1", "{score}", "[ppth]", "10*-3", "[pi]"],
        ["Cel", "[degF]", "K", "[degRe]", "[degR]", "mK"],
        ["mm[Hg]", "Pa", "kPa", "bar", "atm", "[psi]", "cm[H2O]"],
        ["10*9/L", "10*3/uL", "/nL", "10^6/mL"],
        ["[IU]", "m[IU]", "[iU]", "k[IU]"],
        ["J", "cal", "kcal", "[Btu_IT]", "eV", "erg"],
    ];

    [Fact]
    public void Conversions_round_trip_between_all_pairs_of_comparable_units()
    {
        var random = new Random(20240611);
        var values = new List<decimal> { 0m, 1m, -1m, 2.5m, 37m, 0.001m, 123456.789m, -40m };
        for (var i = 0; i < 12; i++)
        {
            values.Add(Math.Round((decimal)((random.NextDouble() * 2000) - 1000), random.Next(0, 7)));
        }

        var pairs = 0;
        foreach (var group in Groups)
        {
            foreach (var a in group)
            {
                foreach (var b in group)
                {
                    Assert.True(Ucum.AreComparable(a, b), $"{a} ~ {b}");

                    // decimal keeps ~28 significant digits and at most 28 places, so the intermediate carries a
                    // rounding error that the way back magnifies by the b->a slope; beyond that, exact.
                    Assert.True(Ucum.TryConvert(1m, b, a, out var one));
                    Assert.True(Ucum.TryConvert(0m, b, a, out var zero));
                    var slope = Math.Abs(one - zero);
                    foreach (var x in values)
                    {
                        Assert.True(Ucum.TryConvert(x, a, b, out var there), $"{x} {a} -> {b}");
                        Assert.True(Ucum.TryConvert(there, b, a, out var back), $"{there} {b} -> {a}");

                        var tolerance = (slope * ((Math.Abs(there) * 1e-26m) + 1e-27m)) + (Math.Abs(x) * 1e-26m) + 1e-27m;
                        Assert.True(Math.Abs(back - x) <= tolerance, $"{x} {a} -> {there} {b} -> {back} {a}");
                    }

                    pairs++;
                }
            }
        }

        output.WriteLine($"round-tripped {pairs} unit pairs x {values.Count} values");
    }

    [Fact]
    public void Every_essence_atom_validates_and_resolves()
    {
        var essence = LoadEmbeddedEssence();
        var resolver = new UcumResolver(essence);
        foreach (var atom in essence.Atoms.Values)
        {
            Assert.True(Ucum.Validate(atom.Code).IsValid, atom.Code);
            var canonical = resolver.Atom(atom);
            Assert.False(canonical.Factor.IsZero, atom.Code);

            var supported = !atom.IsSpecial || UcumSpecialFunctions.IsSupported(atom.Function!.Name);
            Assert.Equal(supported, Ucum.AreComparable(atom.Code, atom.Code));
        }

        Assert.True(essence.Atoms.Count > 290);
        Assert.Equal("2.0.1", Ucum.EssenceVersion);
    }

    [Fact]
    public void Load_rejects_documents_that_are_not_an_essence()
    {
        using var stream = new MemoryStream("<root xmlns='urn:other'/>"u8.ToArray());
        Assert.Throws<InvalidDataException>(() => UcumService.Load(stream));
    }

    [Fact]
    public void Load_builds_an_independent_service_from_a_stream()
    {
        using var stream = typeof(UcumService).Assembly.GetManifestResourceStream("FhirIntrathecal.Fhir.Terminology.Ucum.ucum-essence.xml")!;
        var service = UcumService.Load(stream);
        Assert.NotSame(UcumService.Default, service);
        Assert.True(service.TryConvert(1m, "g", "mg", out var mg));
        Assert.Equal(1000m, mg);
    }

    [Fact]
    public void Is_safe_to_use_from_many_threads()
    {
        var failures = 0;
        Parallel.For(0, 20_000, i =>
        {
            var unit = $"{i % 50}.mg"; // many distinct strings race to populate the caches
            if (!Ucum.TryConvert(2m, unit, "g", out var g) || g != (i % 50) * 0.002m)
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }

    [Fact]
    public void Measures_conversion_throughput()
    {
        // A measurement for the log, not a timed assertion: machines differ too much.
        string[][] pairs = [["mg", "g"], ["mg/dL", "g/L"], ["[lb_av]", "kg"], ["Cel", "[degF]"], ["/min", "Hz"]];
        const int Iterations = 200_000;
        decimal sink = 0;
        for (var i = 0; i < 1000; i++)
        {
            Ucum.TryConvert(i, pairs[i % pairs.Length][0], pairs[i % pairs.Length][1], out var warm);
            sink += warm;
        }

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            var pair = pairs[i % pairs.Length];
            Assert.True(Ucum.TryConvert(i, pair[0], pair[1], out var result));
            sink += result;
        }

        stopwatch.Stop();
        var perSecond = Iterations / stopwatch.Elapsed.TotalSeconds;
        output.WriteLine($"{Iterations} cached conversions in {stopwatch.ElapsedMilliseconds} ms = {perSecond:N0} conversions/s (checksum {sink})");
        Assert.NotEqual(0m, sink);
    }

    private static UcumEssence LoadEmbeddedEssence()
    {
        using var stream = typeof(UcumService).Assembly.GetManifestResourceStream("FhirIntrathecal.Fhir.Terminology.Ucum.ucum-essence.xml")!;
        return UcumEssence.Load(stream);
    }
}
