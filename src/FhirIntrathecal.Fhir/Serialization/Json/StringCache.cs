using System.Text;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>
/// Short strings read from JSON, created once and shared: codes, systems, units and references repeat across elements
/// and resources, and a string is immutable, so one instance serves them all. A fixed table per thread (4,096 strings
/// of at most 64 bytes, indexed by a hash of the UTF-8 bytes; a collision replaces the entry), so memory stays bounded.
/// </summary>
internal sealed class StringCache
{
    public const int MaxLength = 64;
    private const int Size = 4096;

    [ThreadStatic]
    private static StringCache? t_current;

    private readonly string?[] _strings = new string?[Size];

    public static StringCache Current => t_current ??= new StringCache();

    /// <summary>The string of these UTF-8 bytes (valid UTF-8, at most <see cref="MaxLength"/> bytes).</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        var hash = new HashCode();
        hash.AddBytes(utf8);
        ref var slot = ref _strings[hash.ToHashCode() & (Size - 1)];
        if (slot is { } s && s.Length == utf8.Length && Ascii.Equals(utf8, s))
        {
            return s;
        }

        return slot = Encoding.UTF8.GetString(utf8);
    }
}
