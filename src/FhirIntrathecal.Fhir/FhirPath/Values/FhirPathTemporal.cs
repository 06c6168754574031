using System.Globalization;
using System.Text;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>How much of a date/time value is known.</summary>
public enum TemporalPrecision
{
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
}

/// <summary>
/// A FHIRPath Date, DateTime or Time: components down to <see cref="Precision"/>, plus an optional time-zone offset.
/// Partial values compare per the specification: when the common components are equal but the precisions differ the result is unknown.
/// </summary>
public abstract class FhirPathTemporal : IEquatable<FhirPathTemporal>
{
    private protected FhirPathTemporal(int year, int month, int day, int hour, int minute, int second, int millisecond, TemporalPrecision precision, TimeSpan? offset)
    {
        Year = year;
        Month = month;
        Day = day;
        Hour = hour;
        Minute = minute;
        Second = second;
        Millisecond = millisecond;
        Precision = precision;
        Offset = offset;
    }

    public int Year { get; }

    public int Month { get; }

    public int Day { get; }

    public int Hour { get; }

    public int Minute { get; }

    public int Second { get; }

    public int Millisecond { get; }

    public TemporalPrecision Precision { get; }

    /// <summary>Time-zone offset, null when the value has none (dates and times never have one).</summary>
    public TimeSpan? Offset { get; }

    /// <summary>The first precision this kind has: Year for dates and date-times, Hour for times.</summary>
    internal abstract TemporalPrecision MinPrecision { get; }

    internal abstract TemporalPrecision MaxPrecision { get; }

    internal int Component(TemporalPrecision p) => p switch
    {
        TemporalPrecision.Year => Year,
        TemporalPrecision.Month => Month,
        TemporalPrecision.Day => Day,
        TemporalPrecision.Hour => Hour,
        TemporalPrecision.Minute => Minute,
        TemporalPrecision.Second => Second,
        _ => Millisecond,
    };

    /// <summary>Compares per FHIRPath: null when the values cannot be ordered (different precision with equal common parts).</summary>
    internal static int? Compare(FhirPathTemporal a, FhirPathTemporal b)
    {
        if (a is FhirPathTime != b is FhirPathTime)
        {
            return null;
        }

        // Normalize to UTC when both carry an offset; a missing offset is taken as UTC (the engine has no local zone).
        if (a.Precision >= TemporalPrecision.Hour && b.Precision >= TemporalPrecision.Hour && (a.Offset is not null || b.Offset is not null))
        {
            if (a.Offset is null || b.Offset is null)
            {
                // One side local, the other zoned: the order depends on an unknown zone.
                return null;
            }

            a = a.ToUtc();
            b = b.ToUtc();
        }

        var pa = a.Precision == TemporalPrecision.Millisecond ? TemporalPrecision.Second : a.Precision;
        var pb = b.Precision == TemporalPrecision.Millisecond ? TemporalPrecision.Second : b.Precision;
        var common = pa < pb ? pa : pb;
        for (var p = a.MinPrecision; p <= common; p++)
        {
            int c;
            if (p == TemporalPrecision.Second)
            {
                c = (a.Second * 1000 + a.Millisecond).CompareTo(b.Second * 1000 + b.Millisecond);
            }
            else
            {
                c = a.Component(p).CompareTo(b.Component(p));
            }

            if (c != 0)
            {
                return c;
            }
        }

        return pa == pb ? 0 : null;
    }

    internal abstract FhirPathTemporal With(int year, int month, int day, int hour, int minute, int second, int millisecond, TemporalPrecision precision, TimeSpan? offset);

    private FhirPathTemporal ToUtc()
    {
        if (Offset is not { } offset || offset == TimeSpan.Zero)
        {
            return Offset is null ? With(Year, Month, Day, Hour, Minute, Second, Millisecond, Precision, TimeSpan.Zero) : this;
        }

        var dt = this is FhirPathTime
            ? new DateTime(2000, 1, 1, Hour, Minute, Second, Millisecond, DateTimeKind.Unspecified)
            : new DateTime(Year, Month == 0 ? 1 : Month, Day == 0 ? 1 : Day, Hour, Minute, Second, Millisecond, DateTimeKind.Unspecified);
        var utc = dt - offset;
        return With(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second, utc.Millisecond, Precision, TimeSpan.Zero);
    }

    /// <summary>Adds a calendar amount (negative to subtract); the result keeps this value's precision.</summary>
    internal FhirPathTemporal Add(decimal amount, TemporalPrecision unit)
    {
        if (this is FhirPathTime)
        {
            var t = new DateTime(2000, 1, 1, Hour, Minute, Second, Millisecond, DateTimeKind.Unspecified);
            t = unit switch
            {
                TemporalPrecision.Hour => t.AddHours((double)decimal.Truncate(amount)),
                TemporalPrecision.Minute => t.AddMinutes((double)decimal.Truncate(amount)),
                TemporalPrecision.Second => t.AddSeconds((double)decimal.Truncate(amount)),
                TemporalPrecision.Millisecond => t.AddMilliseconds((double)decimal.Truncate(amount)),
                _ => throw new FhirPathRuntimeError("cannot add a date-sized quantity to a time"),
            };
            return With(0, 0, 0, t.Hour, t.Minute, t.Second, t.Millisecond, Precision, Offset);
        }

        var dt = new DateTime(Year, Month == 0 ? 1 : Month, Day == 0 ? 1 : Day, Hour, Minute, Second, Millisecond, DateTimeKind.Unspecified);
        var whole = (int)decimal.Truncate(amount);
        try
        {
            dt = unit switch
            {
                TemporalPrecision.Year => dt.AddYears(whole),
                TemporalPrecision.Month => dt.AddMonths(whole),
                TemporalPrecision.Day => dt.AddDays(whole),
                TemporalPrecision.Hour => dt.AddHours(whole),
                TemporalPrecision.Minute => dt.AddMinutes(whole),
                TemporalPrecision.Second => dt.AddSeconds(whole),
                _ => dt.AddMilliseconds(whole),
            };
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new FhirPathRuntimeError("date/time arithmetic out of range", e);
        }

        return With(dt.Year, Precision >= TemporalPrecision.Month ? dt.Month : 0, Precision >= TemporalPrecision.Day ? dt.Day : 0,
            dt.Hour, dt.Minute, dt.Second, dt.Millisecond, Precision, Offset);
    }

    public bool Equals(FhirPathTemporal? other) =>
        other is not null && GetType() == other.GetType() && Precision == other.Precision && Offset == other.Offset && ToString() == other.ToString();

    public override bool Equals(object? obj) => Equals(obj as FhirPathTemporal);

    /// <summary>The FHIRPath literal text without the leading '@' (times print without their 'T').</summary>
    public abstract override string ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    private protected void AppendDate(StringBuilder sb)
    {
        sb.Append(Year.ToString("D4", CultureInfo.InvariantCulture));
        if (Precision >= TemporalPrecision.Month)
        {
            sb.Append('-').Append(Month.ToString("D2", CultureInfo.InvariantCulture));
        }

        if (Precision >= TemporalPrecision.Day)
        {
            sb.Append('-').Append(Day.ToString("D2", CultureInfo.InvariantCulture));
        }
    }

    private protected void AppendTime(StringBuilder sb)
    {
        sb.Append(Hour.ToString("D2", CultureInfo.InvariantCulture));
        if (Precision >= TemporalPrecision.Minute)
        {
            sb.Append(':').Append(Minute.ToString("D2", CultureInfo.InvariantCulture));
        }

        if (Precision >= TemporalPrecision.Second)
        {
            sb.Append(':').Append(Second.ToString("D2", CultureInfo.InvariantCulture));
        }

        if (Precision >= TemporalPrecision.Millisecond)
        {
            sb.Append('.').Append(Millisecond.ToString("D3", CultureInfo.InvariantCulture));
        }

        if (Offset is { } o)
        {
            if (o == TimeSpan.Zero)
            {
                sb.Append('Z');
            }
            else
            {
                sb.Append(o < TimeSpan.Zero ? '-' : '+').Append(o.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Parses the pieces shared by all three kinds; returns false on any malformed or out-of-range part.</summary>
    internal static bool TryParseParts(string s, bool date, bool time, out int[] parts, out TemporalPrecision precision, out TimeSpan? offset)
    {
        parts = new int[7];
        precision = TemporalPrecision.Year;
        offset = null;
        var i = 0;
        var any = false;
        if (date)
        {
            if (!Num(s, ref i, 4, out parts[0]))
            {
                return false;
            }

            precision = TemporalPrecision.Year;
            any = true;
            if (i < s.Length && s[i] == '-')
            {
                i++;
                if (!Num(s, ref i, 2, out parts[1]) || parts[1] is < 1 or > 12)
                {
                    return false;
                }

                precision = TemporalPrecision.Month;
                if (i < s.Length && s[i] == '-')
                {
                    i++;
                    if (!Num(s, ref i, 2, out parts[2]) || parts[2] < 1 || parts[2] > DateTime.DaysInMonth(Math.Max(parts[0], 1), parts[1]))
                    {
                        return false;
                    }

                    precision = TemporalPrecision.Day;
                }
            }

            if (!time)
            {
                return i == s.Length;
            }

            if (i == s.Length)
            {
                return true;
            }

            if (s[i] != 'T')
            {
                return false;
            }

            i++;
            if (i == s.Length)
            {
                return true;
            }

            if (precision != TemporalPrecision.Day)
            {
                return false;
            }
        }

        if (!Num(s, ref i, 2, out parts[3]) || parts[3] > 23)
        {
            return false;
        }

        precision = TemporalPrecision.Hour;
        any = true;
        if (i < s.Length && s[i] == ':')
        {
            i++;
            if (!Num(s, ref i, 2, out parts[4]) || parts[4] > 59)
            {
                return false;
            }

            precision = TemporalPrecision.Minute;
            if (i < s.Length && s[i] == ':')
            {
                i++;
                if (!Num(s, ref i, 2, out parts[5]) || parts[5] > 59)
                {
                    return false;
                }

                precision = TemporalPrecision.Second;
                if (i < s.Length && s[i] == '.')
                {
                    i++;
                    var start = i;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        i++;
                    }

                    if (i == start)
                    {
                        return false;
                    }

                    var frac = s[start..Math.Min(i, start + 3)].PadRight(3, '0');
                    parts[6] = int.Parse(frac, CultureInfo.InvariantCulture);
                    precision = TemporalPrecision.Millisecond;
                }
            }
        }

        if (date && i < s.Length)
        {
            if (s[i] == 'Z')
            {
                offset = TimeSpan.Zero;
                i++;
            }
            else if (s[i] is '+' or '-')
            {
                var sign = s[i] == '-' ? -1 : 1;
                i++;
                if (!Num(s, ref i, 2, out var oh) || i >= s.Length || s[i] != ':')
                {
                    return false;
                }

                i++;
                if (!Num(s, ref i, 2, out var om) || oh > 14 || om > 59)
                {
                    return false;
                }

                offset = new TimeSpan(sign * oh, sign * om, 0);
            }
        }

        return any && i == s.Length;
    }

    private static bool Num(string s, ref int i, int count, out int value)
    {
        value = 0;
        if (i + count > s.Length)
        {
            return false;
        }

        for (var k = 0; k < count; k++)
        {
            var c = s[i + k];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        i += count;
        return true;
    }
}

/// <summary>A FHIRPath Date (year, year-month or full date).</summary>
public sealed class FhirPathDate : FhirPathTemporal
{
    public FhirPathDate(int year, int month = 0, int day = 0, TemporalPrecision precision = TemporalPrecision.Day)
        : base(year, month, day, 0, 0, 0, 0, precision > TemporalPrecision.Day ? TemporalPrecision.Day : precision, null)
    {
    }

    internal override TemporalPrecision MinPrecision => TemporalPrecision.Year;

    internal override TemporalPrecision MaxPrecision => TemporalPrecision.Day;

    public static bool TryParse(string text, out FhirPathDate? value)
    {
        value = TryParseParts(text, true, false, out var p, out var precision, out _) ? new FhirPathDate(p[0], p[1], p[2], precision) : null;
        return value is not null;
    }

    public FhirPathDateTime ToDateTime() => new(Year, Month, Day, 0, 0, 0, 0, Precision, null);

    internal override FhirPathTemporal With(int year, int month, int day, int hour, int minute, int second, int millisecond, TemporalPrecision precision, TimeSpan? offset) =>
        new FhirPathDate(year, month, day, precision);

    public override string ToString()
    {
        var sb = new StringBuilder();
        AppendDate(sb);
        return sb.ToString();
    }
}

/// <summary>A FHIRPath DateTime: date, optional time down to milliseconds, optional offset.</summary>
public sealed class FhirPathDateTime : FhirPathTemporal
{
    public FhirPathDateTime(int year, int month, int day, int hour, int minute, int second, int millisecond, TemporalPrecision precision, TimeSpan? offset)
        : base(year, month, day, hour, minute, second, millisecond, precision, precision >= TemporalPrecision.Hour ? offset : null)
    {
    }

    internal override TemporalPrecision MinPrecision => TemporalPrecision.Year;

    internal override TemporalPrecision MaxPrecision => TemporalPrecision.Millisecond;

    public static bool TryParse(string text, out FhirPathDateTime? value)
    {
        value = TryParseParts(text, true, true, out var p, out var precision, out var offset)
            ? new FhirPathDateTime(p[0], p[1], p[2], p[3], p[4], p[5], p[6], precision, offset) : null;
        return value is not null;
    }

    public static FhirPathDateTime FromDateTimeOffset(DateTimeOffset dto) =>
        new(dto.Year, dto.Month, dto.Day, dto.Hour, dto.Minute, dto.Second, dto.Millisecond, TemporalPrecision.Millisecond, dto.Offset);

    internal override FhirPathTemporal With(int year, int month, int day, int hour, int minute, int second, int millisecond, TemporalPrecision precision, TimeSpan? offset) =>
        new FhirPathDateTime(year, month, day, hour, minute, second, millisecond, precision, offset);

    public override string ToString()
    {
        var sb = new StringBuilder();
        AppendDate(sb);
        if (Precision >= TemporalPrecision.Hour)
        {
            sb.Append('T');
            AppendTime(sb);
        }

        return sb.ToString();
    }
}

/// <summary>A FHIRPath Time of day (no date, no offset).</summary>
public sealed class FhirPathTime : FhirPathTemporal
{
    public FhirPathTime(int hour, int minute, int second, int millisecond, TemporalPrecision precision)
        : base(0, 0, 0, hour, minute, second, millisecond, precision < TemporalPrecision.Hour ? TemporalPrecision.Hour : precision, null)
    {
    }

    internal override TemporalPrecision MinPrecision => TemporalPrecision.Hour;

    internal override TemporalPrecision MaxPrecision => TemporalPrecision.Millisecond;

    public static bool TryParse(string text, out FhirPathTime? value)
    {
        value = TryParseParts(text, false, true, out var p, out var precision, out _)
            ? new FhirPathTime(p[3], p[4], p[5], p[6], precision) : null;
        return value is not null;
    }

    internal override FhirPathTemporal With(int year, int month, int day, int hour, int minute, int second, int millisecond, TemporalPrecision precision, TimeSpan? offset) =>
        new FhirPathTime(hour, minute, second, millisecond, precision);

    public override string ToString()
    {
        var sb = new StringBuilder();
        AppendTime(sb);
        return sb.ToString();
    }
}
