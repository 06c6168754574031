using System.Text;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// Short values read from JSON, created once and shared: codes, systems, units and references repeat across elements
/// and resources, and strings and the model's UTF-8 value arrays are immutable, so one instance serves them all. Fixed
/// tables per thread (4,096 entries of at most 64 bytes each, indexed by a hash of the UTF-8 bytes; a collision
/// replaces the entry), so memory stays bounded.
/// </summary>
internal sealed class StringCache
{
    public const int MaxLength = 64;
    private const int Size = 4096;

    [ThreadStatic]
    private static StringCache? t_current;

    private readonly string?[] _strings = new string?[Size];
    private readonly byte[]?[] _utf8 = new byte[]?[Size];

    public static StringCache Current => t_current ??= new StringCache();

    /// <summary>The string of these UTF-8 bytes (valid UTF-8, at most <see cref="MaxLength"/> bytes).</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        ref var slot = ref _strings[Index(utf8)];
        if (slot is { } s && s.Length == utf8.Length && Ascii.Equals(utf8, s))
        {
            return s;
        }

        return slot = Encoding.UTF8.GetString(utf8);
    }

    /// <summary>An array holding exactly these bytes (at most <see cref="MaxLength"/>), shared: callers never write to it.</summary>
    public byte[] GetUtf8(ReadOnlySpan<byte> utf8)
    {
        ref var slot = ref _utf8[Index(utf8)];
        if (slot is { } a && utf8.SequenceEqual(a))
        {
            return a;
        }

        return slot = utf8.ToArray();
    }

    private static int Index(ReadOnlySpan<byte> utf8)
    {
        var hash = new HashCode();
        hash.AddBytes(utf8);
        return hash.ToHashCode() & (Size - 1);
    }
}
