namespace FhirIntrathecal.Mapping.Cohort;

/// <summary>The published cohort's marginals that the synthetic registry reproduces exactly.</summary>
public static class PublishedCohort
{
    public const int Male = 63;
    public const int Female = 85;
    public const int AdministrationsMale = 319;
    public const int AdministrationsFemale = 429;
    public const int Lbp = 93;
    public const int MaxAdministrations = 57;
    public const int MinAge = 28;
    public const int MaxAge = 86;
    public const int MeanAge = 52;
    public const int Dose2 = 211, Dose3 = 184, Dose4 = 154, Dose5 = 199;

    // Counts out of 748 administrations that round to the published whole percentages
    // (65% ≥ 4 weeks, 11% none, 4% unknown, 31/4/1/7% adverse events) and give mean 9.0 / median 5.
    public const int Unknown = 30;
    public const int NoEffect = 82;
    public const int OneToThreeWeeksEach = 50;
    public const int FourWeeks = 100;
    public const int FiveWeeks = 60;
    public const int SixOrMoreWeeks = 326;
    public const int SixOrMoreWeeksSum = 5462;
    public const int Drowsiness = 232;
    public const int Headache = 30;
    public const int Nausea = 7;
    public const int PainWorsening = 52;
}
