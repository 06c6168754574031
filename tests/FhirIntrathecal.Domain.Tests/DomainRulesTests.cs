using FhirIntrathecal.Domain;

namespace FhirIntrathecal.Domain.Tests;

public class DomainRulesTests
{
    internal static AdministrationRecord Valid(string id = "P001-A01", DateOnly? date = null) => new(
        id, "P001", date ?? new DateOnly(2010, 3, 4), 3m, new Injectate("Midazolam", "LOT", Diluent.Glucose5Percent, 2m),
        25, PatientPosition.Recumbent, LumbarLevel.L3L4, 3m, TreatmentStage.IntrathecalMidazolam, 75m,
        new Sedation(1), new PainAssessment(8, new FollowUp(new DateOnly(2010, 4, 1), 3, true)), ReliefOutcome.ForWeeks(6),
        new NeurotoxicityScreen(false, false, false), new([]));

    private static List<RuleViolation> Check(AdministrationRecord a, AdministrationRecord? previous = null) => DomainRules.Check(a, previous).ToList();

    [Fact]
    public void A_typical_administration_breaks_no_rule() => Assert.Empty(Check(Valid()));

    [Theory]
    [InlineData(1.9)]
    [InlineData(5.5)]
    [InlineData(0)]
    public void Dose_outside_2_to_5_mg_is_an_error(double dose)
    {
        var v = Assert.Single(Check(Valid() with { DoseMg = (decimal)dose, WeightKg = null }));
        Assert.Equal((RuleSeverity.Error, "dose-range"), (v.Severity, v.Code));
        Assert.Contains("outside 2–5 mg", v.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Dose_limits_are_inclusive(int dose) => Assert.DoesNotContain(Check(Valid() with { DoseMg = dose, WeightKg = null }), v => v.Code == "dose-range");

    [Fact]
    public void Volume_above_3_ml_is_an_error()
    {
        var a = Valid() with { Injectate = Valid().Injectate with { VolumeMl = 3.5m } };
        var v = Assert.Single(Check(a));
        Assert.Equal((RuleSeverity.Error, "volume"), (v.Severity, v.Code));
        Assert.Contains("3.5 mL", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Less_than_4_weeks_after_the_previous_administration_is_a_warning()
    {
        var previous = Valid("P001-A01", new DateOnly(2010, 3, 4));
        var v = Assert.Single(Check(Valid("P001-A02", new DateOnly(2010, 3, 25)), previous));
        Assert.Equal((RuleSeverity.Warning, "interval"), (v.Severity, v.Code));
        Assert.Contains("21 days", v.Message, StringComparison.Ordinal);
        Assert.Empty(Check(Valid("P001-A02", new DateOnly(2010, 4, 1)), previous));
    }

    [Fact]
    public void An_administration_dated_before_the_previous_one_is_an_error()
    {
        var v = Assert.Single(Check(Valid("P001-A02", new DateOnly(2010, 1, 1)) with { Pain = null }, Valid()));
        Assert.Equal((RuleSeverity.Error, "date-order"), (v.Severity, v.Code));
    }

    [Theory]
    [InlineData(5, 60, true)] // 0.083 mg/kg
    [InlineData(2, 120, true)] // 0.017 mg/kg
    [InlineData(3, 75, false)] // 0.04 mg/kg
    public void Dose_per_kg_outside_0_02_to_0_06_is_a_warning(int dose, int kg, bool warns)
    {
        var violations = Check(Valid() with { DoseMg = dose, WeightKg = kg });
        Assert.Equal(warns, violations.Any(v => v is { Code: "dose-per-kg", Severity: RuleSeverity.Warning }));
    }

    [Fact]
    public void Sedation_must_be_on_the_0_to_3_scale() =>
        Assert.Contains(Check(Valid() with { Sedation = new Sedation(4) }), v => v is { Code: "sedation-range", Severity: RuleSeverity.Error });

    [Theory]
    [InlineData(11, 3)]
    [InlineData(8, -1)]
    public void Nrs_must_be_0_to_10(int baseline, int followUp) =>
        Assert.Contains(Check(Valid() with { Pain = new PainAssessment(baseline, new FollowUp(new DateOnly(2010, 4, 1), followUp, null)) }), v => v.Code == "nrs-range");

    [Fact]
    public void Follow_up_before_the_administration_is_an_error() =>
        Assert.Contains(Check(Valid() with { Pain = new PainAssessment(8, new FollowUp(new DateOnly(2010, 1, 1), 3, null)) }), v => v.Code == "date-order");

    [Fact]
    public void Registry_check_orders_each_patients_administrations_by_date_and_flags_unknown_patients()
    {
        var patient = new PatientRecord("P001", Sex.Female, 1961, new Diagnosis(DiagnosisKind.FailedBackSurgerySyndrome, null));
        var registry = new Registry(new([patient]), new([Valid("P001-A02", new DateOnly(2010, 3, 20)), Valid("P001-A01", new DateOnly(2010, 3, 4)), Valid("P002-A01") with { PatientId = "P002" }]));
        var violations = DomainRules.Check(registry);
        Assert.Contains(violations, v => v is { Code: "interval", RecordId: "P001-A02" });
        Assert.Contains(violations, v => v is { Code: "unknown-patient" });
    }

    [Fact]
    public void Relief_and_responder_are_derived_from_the_scores()
    {
        var pain = new PainAssessment(8, new FollowUp(new DateOnly(2010, 4, 1), 3, true));
        Assert.Equal(62.5m, pain.ReliefPercent);
        Assert.True(pain.Responder);
        Assert.False((pain with { FollowUp = pain.FollowUp! with { FunctionImproved = false } }).Responder);
        Assert.Null(new PainAssessment(8, null).Responder);
    }

    [Fact]
    public void Records_with_lists_compare_by_content() =>
        Assert.Equal(Valid() with { AdverseEvents = new([new AdverseEventRecord(AdverseEventKind.Nausea, Severity.Mild, AdverseEventOutcome.Resolved)]) },
                     Valid() with { AdverseEvents = new([new AdverseEventRecord(AdverseEventKind.Nausea, Severity.Mild, AdverseEventOutcome.Resolved)]) });
}
