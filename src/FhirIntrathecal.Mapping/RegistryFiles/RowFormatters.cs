using System.Globalization;
using FhirIntrathecal.Domain;

namespace FhirIntrathecal.Mapping.RegistryFiles;

/// <summary>Domain records → registry rows in the column order of <see cref="RegistryCsv"/>.</summary>
internal static class RowFormatters
{
    internal static string S(decimal? d) => d?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    internal static string S(int? i) => i?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    internal static string S(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;

    internal static string S(bool? b) => b switch { null => string.Empty, true => "yes", false => "no" };

    public static string[] Patient(PatientRecord p) =>
        [p.RegistryId, Codes.Sex.Format(p.Sex), S(p.BirthYear), Codes.Diagnosis.Format(p.Diagnosis.Kind), S(p.Diagnosis.OnsetYear)];

    public static string[] Administration(AdministrationRecord a) =>
    [
        a.Id, a.PatientId, S(a.Date), S(a.DoseMg), a.Injectate.Product, a.Injectate.LotNumber ?? string.Empty,
        Codes.Diluent.Format(a.Injectate.Diluent), S(a.Injectate.VolumeMl), S(a.NeedleGauge), Codes.Position.Format(a.Position),
        Codes.Level.Format(a.Level), S(a.BedRestHours), Codes.Stage.Format(a.Stage), S(a.WeightKg), S(a.Sedation?.Score),
        S(a.Pain?.NrsBaseline), S(a.Pain?.FollowUp?.Nrs), S(a.Pain?.FollowUp?.Date), S(a.Pain?.FollowUp?.FunctionImproved),
        Codes.Relief.Format(a.Outcome.Kind), a.Outcome.Kind == ReliefKind.Relief ? S(a.Outcome.Weeks) : string.Empty,
        S(a.Neurotoxicity?.BladderDysfunction), S(a.Neurotoxicity?.BowelDysfunction), S(a.Neurotoxicity?.NewRadiculopathy),
        string.Join(';', a.AdverseEvents.Select(e => $"{Codes.AdverseEvent.Format(e.Kind)}:{Codes.Severity.Format(e.Severity)}:{Codes.AeOutcome.Format(e.Outcome)}")),
    ];
}
