namespace FhirIntrathecal.Domain.Pump;

/// <summary>
/// Labelled intrathecal daily-dose range of a drug (ug/d) and the concentrations it comes in (ug/mL; empty = any).
/// <see cref="MaxUgPerDay"/> null = no labelled intrathecal maximum (admixture drugs), so no dose rule applies.
/// </summary>
public sealed record DrugLabel(PumpDrug Drug, decimal MinUgPerDay, decimal? MaxUgPerDay, ValueList<decimal> Concentrations);

/// <summary>
/// The labelled limits the rules and the IG invariants (profiles/input/fsh/pump-profiles-therapy.fsh) share.
/// Baclofen: maintenance 12–2003 ug/d (intrathecal baclofen labelling), 50/500/1000/2000 ug/mL. Ziconotide: at most
/// 19.2 ug/d. Morphine: at most 20 mg/d. Hydromorphone (off-label): at most 10 mg/d (PACC 2017, unverified).
/// Bupivacaine and clonidine have no intrathecal label here.
/// </summary>
public static class PumpDrugs
{
    private static readonly Dictionary<PumpDrug, DrugLabel> Labels = new DrugLabel[]
    {
        new(PumpDrug.Baclofen, 12m, 2003m, new([50m, 500m, 1000m, 2000m])),
        new(PumpDrug.Ziconotide, 0m, 19.2m, new([25m, 100m])),
        new(PumpDrug.Morphine, 0m, 20000m, new([])),
        new(PumpDrug.Hydromorphone, 0m, 10000m, new([])),
        new(PumpDrug.Bupivacaine, 0m, null, new([])),
        new(PumpDrug.Clonidine, 0m, null, new([])),
    }.ToDictionary(l => l.Drug);

    public static DrugLabel Label(PumpDrug drug) => Labels[drug];

    /// <summary>Volume left in the reservoir when the low-reservoir alarm sounds (the usual programmed value).</summary>
    public const decimal LowReservoirAlarmMl = 2m;

    /// <summary>Aspirated vs expected residual volume differing by more than this is a warning (pocket fill, stalled motor).</summary>
    public const decimal VolumeDiscrepancyMl = 2m;

    /// <summary>The largest baclofen screening bolus: no implant if 100 ug fails.</summary>
    public const decimal MaxBaclofenTrialUg = 100m;

    /// <summary>A baclofen stop counts as tapered when the rate was lowered within this many days before it.</summary>
    public const int TaperWindowDays = 30;

    /// <summary>
    /// The day the low-reservoir alarm sounds after a refill of <paramref name="fillMl"/> at <paramref name="concentrationUgPerMl"/>
    /// delivered at <paramref name="meanUgPerDay"/>: (fill − alarm reserve) × concentration / dose days later. Null when nothing is delivered.
    /// </summary>
    public static DateOnly? LowReservoirDate(DateOnly refill, decimal fillMl, decimal concentrationUgPerMl, decimal meanUgPerDay)
    {
        if (meanUgPerDay <= 0)
        {
            return null;
        }

        var days = (fillMl - LowReservoirAlarmMl) * concentrationUgPerMl / meanUgPerDay;
        return refill.AddDays((int)Math.Floor(Math.Max(0m, Math.Min(days, 36500m))));
    }
}
