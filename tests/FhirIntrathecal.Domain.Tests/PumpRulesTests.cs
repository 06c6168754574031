using FhirIntrathecal.Domain.Pump;

namespace FhirIntrathecal.Domain.Tests;

public class PumpRulesTests
{
    private static readonly DateOnly ImplantDay = new(2019, 3, 4);

    internal static ImplantRecord Implant(Explant? explant = null, string id = "P101-I1") => new(
        id, "P101", ImplantDay,
        new PumpDevice("00643169007222", "(01)00643169007222(21)NGP123456H", "NGP123456H", "LOT8637A", "8637-40", "Medtronic", 40m),
        new CatheterDevice("8709SC", "CATH8709", SpinalLevel.T10), explant);

    internal static ProgrammeRecord Programme(string id, DateOnly start, decimal rate, DateOnly? end = null, InfusionMode mode = InfusionMode.SimpleContinuous, PumpDrug drug = PumpDrug.Baclofen, decimal concentration = 2000m) =>
        new(id, "P101-I1", start, end, drug, concentration, mode, rate, new([]), null);

    internal static RefillRecord Refill(string id, DateOnly date, decimal expected = 4m, decimal aspirated = 4m, decimal fill = 40m) =>
        new(id, "P101-I1", date, expected, aspirated, fill, PumpDrug.Baclofen, 2000m, "BAC-1", null);

    internal static PumpRegistry Registry(ImplantRecord? implant = null, IEnumerable<ProgrammeRecord>? programmes = null, IEnumerable<RefillRecord>? refills = null, IEnumerable<TrialRecord>? trials = null) => new(
        new([new PumpPatientRecord("P101", Sex.Male, 1972, PumpIndication.SpinalCordInjury, 2015)]),
        new(trials ?? []),
        new([implant ?? Implant()]),
        new(programmes ?? [Programme("P101-G1", ImplantDay, 400m)]),
        new(refills ?? []),
        new([]),
        new([]),
        new([]));

    [Fact]
    public void A_typical_pump_course_breaks_no_rule()
    {
        var refills = new[] { Refill("P101-R1", ImplantDay), Refill("P101-R2", ImplantDay.AddDays(180)) };
        Assert.Empty(PumpRules.Check(Registry(refills: refills)));
    }

    [Theory]
    [InlineData(2003, false)]
    [InlineData(2004, true)]
    [InlineData(2500, true)]
    public void Baclofen_above_the_labelled_2003_ug_per_day_is_an_error(int rate, bool error)
    {
        var v = PumpRules.Check(Registry(programmes: [Programme("P101-G1", ImplantDay, rate)]));
        Assert.Equal(error, v.Any(x => x is { Code: "pump-dose-above-label", Severity: RuleSeverity.Error }));
        if (error)
        {
            Assert.Equal($"P101-G1: baclofen rate {rate} ug/d is above the labelled maximum 2003 ug/d", Assert.Single(v).Message);
        }
    }

    [Fact]
    public void A_flex_step_above_the_label_is_an_error_even_with_a_legal_basal_rate()
    {
        var p = Programme("P101-G1", ImplantDay, 10m, drug: PumpDrug.Ziconotide, concentration: 100m) with { Mode = InfusionMode.Flex, FlexSteps = new([new FlexStep(new TimeOnly(6, 0), 20m)]) };
        var v = Assert.Single(PumpRules.Check(Registry(programmes: [p])));
        Assert.Equal(("pump-dose-above-label", "P101-G1: ziconotide rate 20 ug/d is above the labelled maximum 19.2 ug/d"), (v.Code, v.Message));
    }

    [Fact]
    public void Baclofen_at_a_concentration_it_does_not_come_in_is_an_error()
    {
        var v = Assert.Single(PumpRules.Check(Registry(programmes: [Programme("P101-G1", ImplantDay, 400m, concentration: 1500m)])));
        Assert.Equal((RuleSeverity.Error, "pump-concentration"), (v.Severity, v.Code));
        Assert.Contains("1500 ug/mL (50, 500, 1000, 2000)", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flex_mean_weights_each_step_by_its_hours()
    {
        var p = Programme("P101-G1", ImplantDay, 300m) with { Mode = InfusionMode.Flex, FlexSteps = new([new FlexStep(new TimeOnly(6, 0), 600m), new FlexStep(new TimeOnly(18, 0), 200m)]) };
        Assert.Equal(400m, p.MeanUgPerDay);
    }

    [Fact]
    public void Low_reservoir_date_follows_reservoir_concentration_and_rate()
    {
        // 40 mL − 2 mL alarm reserve = 38 mL × 500 ug/mL = 19,000 ug at 400 ug/d = 47.5 days.
        Assert.Equal(ImplantDay.AddDays(47), PumpDrugs.LowReservoirDate(ImplantDay, 40m, 500m, 400m));
        var refill = Refill("P101-R1", ImplantDay) with { ConcentrationUgPerMl = 500m };
        Assert.Equal(ImplantDay.AddDays(48), PumpRules.LowReservoirDay(refill, [Programme("P101-G1", ImplantDay, 400m)], ImplantDay.AddDays(365)));
    }

    [Fact]
    public void A_refill_after_the_low_reservoir_date_is_a_warning_that_says_by_how_much()
    {
        // 38 mL × 2000 ug/mL at 400 ug/d lasts 190 days; a rate change halfway shortens it.
        var programmes = new[] { Programme("P101-G1", ImplantDay, 400m, ImplantDay.AddDays(60)), Programme("P101-G2", ImplantDay.AddDays(60), 800m) };
        var refills = new[] { Refill("P101-R1", ImplantDay), Refill("P101-R2", ImplantDay.AddDays(140)) };
        var v = Assert.Single(PumpRules.Check(Registry(programmes: programmes, refills: refills)));
        Assert.Equal((RuleSeverity.Warning, "pump-refill-late"), (v.Severity, v.Code));
        // 60 d × 400 = 24,000 ug; the other 52,000 ug at 800 ug/d take 65 days → alarm on day 125.
        Assert.StartsWith($"P101-R2: refill on 2019-07-22 is 15 days after the low-reservoir date {ImplantDay.AddDays(125):yyyy-MM-dd} computed from refill P101-R1", v.Message, StringComparison.Ordinal);
        Assert.Empty(PumpRules.Check(Registry(programmes: programmes, refills: [refills[0], Refill("P101-R2", ImplantDay.AddDays(125))])));
    }

    [Theory]
    [InlineData(4.0, 6.5, "more", "under-delivery")]
    [InlineData(6.0, 1.0, "less", "pocket")]
    public void Aspirated_volume_differing_from_the_expected_by_more_than_2_ml_is_a_warning(double expected, double aspirated, string direction, string cause)
    {
        var r = Refill("P101-R1", ImplantDay.AddDays(30), (decimal)expected, (decimal)aspirated);
        var v = Assert.Single(PumpRules.Check(Registry(refills: [r])));
        Assert.Equal((RuleSeverity.Warning, "pump-volume-discrepancy"), (v.Severity, v.Code));
        Assert.Contains($"mL {direction} than the expected", v.Message, StringComparison.Ordinal);
        Assert.Contains(cause, v.Message, StringComparison.Ordinal);
        Assert.Empty(PumpRules.Check(Registry(refills: [r with { AspiratedMl = (decimal)expected + 2m }])));
    }

    [Fact]
    public void Filling_more_than_the_reservoir_is_an_error()
    {
        var v = Assert.Single(PumpRules.Check(Registry(refills: [Refill("P101-R1", ImplantDay.AddDays(30), fill: 45m)])));
        Assert.Equal(("pump-overfill", "P101-R1: fill 45 mL is more than the 40 mL reservoir of pump P101-I1"), (v.Code, v.Message));
    }

    [Fact]
    public void Programming_or_refilling_a_pump_that_is_not_implanted_is_an_error()
    {
        var implant = Implant(new Explant(ImplantDay.AddDays(100), ExplantReason.Infection, false));
        var programmes = new[] { Programme("P101-G1", ImplantDay, 400m, ImplantDay.AddDays(90)), Programme("P101-G2", ImplantDay.AddDays(90), 300m, ImplantDay.AddDays(100)), Programme("P101-G3", ImplantDay.AddDays(120), 300m) };
        var v = PumpRules.Check(Registry(implant, programmes, [Refill("P101-R1", ImplantDay.AddDays(110))]));
        Assert.Equal(["P101-G3", "P101-R1"], v.Where(x => x.Code == "pump-not-implanted").Select(x => x.RecordId).Order().ToArray());
        Assert.All(v.Where(x => x.Code == "pump-not-implanted"), x => Assert.Equal(RuleSeverity.Error, x.Severity));
    }

    [Fact]
    public void Stopping_baclofen_without_a_taper_is_a_warning_and_a_taper_silences_it()
    {
        var stop = ImplantDay.AddDays(200);
        var abrupt = new[] { Programme("P101-G1", ImplantDay, 400m, stop), Programme("P101-G2", stop, 0m, mode: InfusionMode.Stopped) };
        var v = Assert.Single(PumpRules.Check(Registry(programmes: abrupt)));
        Assert.Equal((RuleSeverity.Warning, "pump-abrupt-stop", "P101-G2"), (v.Severity, v.Code, v.RecordId));
        Assert.Contains("from 400 ug/d without a taper", v.Message, StringComparison.Ordinal);

        var tapered = new[] { Programme("P101-G1", ImplantDay, 400m, stop.AddDays(-14)), Programme("P101-G2", stop.AddDays(-14), 200m, stop), Programme("P101-G3", stop, 0m, mode: InfusionMode.Stopped) };
        Assert.Empty(PumpRules.Check(Registry(programmes: tapered)));
    }

    [Fact]
    public void Explanting_a_pump_that_runs_baclofen_is_an_abrupt_stop_unless_a_replacement_follows()
    {
        var explanted = Implant(new Explant(ImplantDay.AddDays(300), ExplantReason.Infection, false));
        var v = Assert.Single(PumpRules.Check(Registry(explanted, [Programme("P101-G1", ImplantDay, 400m, ImplantDay.AddDays(300))])));
        Assert.Equal(("pump-abrupt-stop", "P101-I1"), (v.Code, v.RecordId));

        var replaced = Implant(new Explant(ImplantDay.AddDays(300), ExplantReason.Replacement, true));
        Assert.Empty(PumpRules.Check(Registry(replaced, [Programme("P101-G1", ImplantDay, 400m, ImplantDay.AddDays(300))])));
    }

    [Fact]
    public void A_baclofen_screening_bolus_above_100_ug_is_an_error()
    {
        var trials = new[] { new TrialRecord("P101-T1", "P101", ImplantDay.AddDays(-20), PumpDrug.Baclofen, 100m, false), new TrialRecord("P101-T2", "P101", ImplantDay.AddDays(-19), PumpDrug.Baclofen, 150m, true) };
        var v = Assert.Single(PumpRules.Check(Registry(trials: trials)));
        Assert.Equal(("pump-trial-dose", "P101-T2: baclofen screening bolus 150 ug is above 100 ug"), (v.Code, v.Message));
    }

    [Fact]
    public void Records_pointing_at_unknown_patients_or_implants_are_errors()
    {
        var r = Registry(programmes: [Programme("P101-G1", ImplantDay, 400m) with { ImplantId = "NOPE" }]);
        var v = Assert.Single(PumpRules.Check(r));
        Assert.Equal(("pump-unknown-implant", "P101-G1: refers to unknown implant NOPE"), (v.Code, v.Message));
    }

    [Fact]
    public void Outcome_scores_off_their_scales_are_errors()
    {
        var o = new OutcomeRecord("P101-O1", "P101", ImplantDay, new([]), 5, null, 11, 120m);
        var v = PumpRules.Check(Registry() with { Outcomes = new([o]) });
        Assert.Equal(3, v.Count(x => x.Code == "pump-score-range"));
        Assert.Single(PumpRules.Check(Registry() with { Outcomes = new([o with { PennFrequency = 0, PennSeverity = 2, PainNrs = 3, OdiPercent = 40m }]) }));
    }
}
