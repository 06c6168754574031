using System.Text;
using System.Text.Unicode;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// Values read from JSON, created once and shared: codes, systems, units, references, extension URLs and boilerplate
/// definitions repeat across elements and resources, and strings and the model's UTF-8 value arrays are immutable, so
/// one instance serves them all. Fixed tables per thread, indexed by a hash of the UTF-8 bytes (a collision replaces the
/// entry): 4,096 entries for values of at most 64 bytes and 1,024 for longer ones up to <see cref="MaxLength"/> (kept
/// apart so long values never evict the short ones that repeat most), so memory stays bounded (about 0.7 MB per table
/// at most). On the R4 examples this shares 1.06 M of 1.67 M values held as UTF-8.
/// </summary>
internal sealed class StringCache
{
    /// <summary>The longest value shared; longer ones rarely repeat (and may be slices of immutable input instead).</summary>
    public const int MaxLength = 255;
    private const int ShortLength = 64;
    private const int ShortSize = 4096;
    private const int LongSize = 1024;
    private const int Size = ShortSize + LongSize;

    [ThreadStatic]
    private static StringCache? t_current;

    // Entries are structs: a reference into an array of arrays would cost a covariance check per lookup.
    private readonly Entry<string>[] _strings = new Entry<string>[Size];
    private readonly Entry<byte[]>[] _utf8 = new Entry<byte[]>[Size];

    public static StringCache Current => t_current ??= new StringCache();

    /// <summary>
    /// The string of these UTF-8 bytes (at most <see cref="MaxLength"/>), or null when they are not valid UTF-8. A hit
    /// needs no validation: only valid values are ever stored, and a stored string matches only ASCII bytes.
    /// </summary>
    public string? GetValid(ReadOnlySpan<byte> utf8)
    {
        var hash = Utf8Hash.Of(utf8);
        ref var entry = ref _strings[Index(hash, utf8.Length)];
        if (entry.Hash == hash && entry.Value is { } s && s.Length == utf8.Length && Ascii.Equals(utf8, s))
        {
            return s;
        }

        if (!Utf8.IsValid(utf8))
        {
            return null;
        }

        entry = new(Encoding.UTF8.GetString(utf8), hash);
        return entry.Value;
    }

    /// <summary>
    /// An array holding exactly these bytes (at most <see cref="MaxLength"/>), shared: callers never write to it; null
    /// when they are not valid UTF-8. A hit needs no validation: only valid values are ever stored.
    /// </summary>
    public byte[]? GetValidUtf8(ReadOnlySpan<byte> utf8)
    {
        var hash = Utf8Hash.Of(utf8);
        ref var entry = ref _utf8[Index(hash, utf8.Length)];
        if (entry.Hash == hash && entry.Value is { } a && utf8.SequenceEqual(a))
        {
            return a;
        }

        if (!Utf8.IsValid(utf8))
        {
            return null;
        }

        entry = new(utf8.ToArray(), hash);
        return entry.Value;
    }

    /// <summary>The table index of a value: its slot in the short or the long table (a collision only costs a copy).</summary>
    private static int Index(int hash, int length) =>
        length <= ShortLength ? hash & (ShortSize - 1) : ShortSize + (hash & (LongSize - 1));

    /// <summary>A value with its hash beside it: a different value is told apart without reading the value itself.</summary>
    private readonly record struct Entry<T>(T? Value, int Hash)
        where T : class;
}
