namespace FhirIntrathecal.Domain;

public enum RuleSeverity { Warning, Error }

/// <summary>A broken domain rule. <see cref="Code"/> is stable for programs; <see cref="Message"/> is for people.</summary>
public sealed record RuleViolation(RuleSeverity Severity, string Code, string RecordId, string Message);

/// <summary>The clinical rules of single-shot intrathecal midazolam.</summary>
public static class DomainRules
{
    public const decimal MinDoseMg = 2m;
    public const decimal MaxDoseMg = 5m;
    public const decimal MaxVolumeMl = 3m;
    public const int MinIntervalDays = 28;
    public const decimal MinDosePerKg = 0.02m;
    public const decimal MaxDosePerKg = 0.06m;

    /// <summary>Checks one administration alone, and against the patient's previous one (if any).</summary>
    public static IEnumerable<RuleViolation> Check(AdministrationRecord a, AdministrationRecord? previous = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.DoseMg is < MinDoseMg or > MaxDoseMg)
        {
            yield return Error("dose-range", a, $"dose {a.DoseMg} mg is outside {MinDoseMg}–{MaxDoseMg} mg");
        }

        if (a.Injectate.VolumeMl is <= 0 or > MaxVolumeMl)
        {
            yield return Error("volume", a, $"injectate volume {a.Injectate.VolumeMl} mL must be more than 0 and at most {MaxVolumeMl} mL");
        }

        if (a.DosePerKg is { } perKg && (perKg < MinDosePerKg || perKg > MaxDosePerKg))
        {
            yield return Warning("dose-per-kg", a, $"dose {a.DoseMg} mg for {a.WeightKg} kg is {perKg:0.###} mg/kg, outside {MinDosePerKg}–{MaxDosePerKg} mg/kg");
        }

        if (a.Sedation is { Score: < 0 or > 3 } s)
        {
            yield return Error("sedation-range", a, $"sedation score {s.Score} is not on the 0–3 scale");
        }

        foreach (var v in CheckPain(a))
        {
            yield return v;
        }

        if (a.Outcome is { Kind: ReliefKind.Relief, Weeks: null or < 1 } || a.Outcome is { Kind: ReliefKind.NoEffect, Weeks: not 0 } || a.Outcome is { Kind: ReliefKind.Unknown, Weeks: not null })
        {
            yield return Error("relief-duration", a, $"relief outcome {a.Outcome.Kind} with {a.Outcome.Weeks?.ToString() ?? "no"} weeks is inconsistent");
        }

        if (previous is not null)
        {
            var days = a.Date.DayNumber - previous.Date.DayNumber;
            if (days < 0)
            {
                yield return Error("date-order", a, $"date {a.Date:yyyy-MM-dd} is before the previous administration {previous.Id} on {previous.Date:yyyy-MM-dd}");
            }
            else if (days < MinIntervalDays)
            {
                yield return Warning("interval", a, $"only {days} days since the previous administration {previous.Id}; at least 4 weeks are advised");
            }
        }
    }

    private static IEnumerable<RuleViolation> CheckPain(AdministrationRecord a)
    {
        if (a.Pain is not { } p)
        {
            yield break;
        }

        if (p.NrsBaseline is < 0 or > 10)
        {
            yield return Error("nrs-range", a, $"baseline NRS {p.NrsBaseline} is outside 0–10");
        }

        if (p.FollowUp is { Nrs: < 0 or > 10 } bad)
        {
            yield return Error("nrs-range", a, $"follow-up NRS {bad.Nrs} is outside 0–10");
        }

        if (p.FollowUp is { } f && f.Date < a.Date)
        {
            yield return Error("date-order", a, $"follow-up {f.Date:yyyy-MM-dd} is before the administration on {a.Date:yyyy-MM-dd}");
        }
    }

    /// <summary>Checks a whole registry: every administration, in date order per patient, plus patient-level facts.</summary>
    public static IReadOnlyList<RuleViolation> Check(Registry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var violations = new List<RuleViolation>();
        var patients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in registry.Patients)
        {
            if (!patients.Add(p.RegistryId))
            {
                violations.Add(new(RuleSeverity.Error, "duplicate-patient", p.RegistryId, $"patient {p.RegistryId} appears twice"));
            }
        }

        // Rows arrive in file order; the interval rule needs each patient's administrations by date.
        foreach (var group in registry.Administrations.GroupBy(a => a.PatientId, StringComparer.Ordinal))
        {
            if (!patients.Contains(group.Key))
            {
                violations.Add(new(RuleSeverity.Error, "unknown-patient", group.First().Id, $"administration refers to unknown patient {group.Key}"));
            }

            AdministrationRecord? previous = null;
            foreach (var a in group.OrderBy(a => a.Date))
            {
                violations.AddRange(Check(a, previous));
                previous = a;
            }
        }

        return violations;
    }

    private static RuleViolation Error(string code, AdministrationRecord a, string message) => new(RuleSeverity.Error, code, a.Id, $"{a.Id}: {message}");

    private static RuleViolation Warning(string code, AdministrationRecord a, string message) => new(RuleSeverity.Warning, code, a.Id, $"{a.Id}: {message}");
}
