using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FhirIntrathecal.Fhir.Model;

/// <summary>A fast hash of UTF-8 bytes for in-memory tables (not stable across versions; never persisted).</summary>
internal static class Utf8Hash
{
    private const ulong K = 0x9E3779B97F4A7C15;

    /// <summary>
    /// A multiplicative hash of the 8-byte words (the last one overlapping) and the length: a few instructions per word,
    /// where <see cref="HashCode.AddBytes"/> mixes every 4 bytes through its full round.
    /// </summary>
    public static int Of(ReadOnlySpan<byte> utf8)
    {
        var n = utf8.Length;
        ref var start = ref MemoryMarshal.GetReference(utf8);
        var h = (ulong)n * K;
        if (n >= 8)
        {
            for (var i = 0; i < n - 8; i += 8)
            {
                h = BitOperations.RotateLeft((h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i))) * K, 29);
            }

            h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, n - 8))) * K;
        }
        else if (n >= 4)
        {
            h = (h ^ ((ulong)Unsafe.ReadUnaligned<uint>(ref start) << 32) ^ Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, n - 4))) * K;
        }
        else if (n > 0)
        {
            h = (h ^ start ^ ((ulong)Unsafe.Add(ref start, n / 2) << 8) ^ ((ulong)Unsafe.Add(ref start, n - 1) << 16)) * K;
        }

        return (int)(h >> 32) ^ (int)h;
    }
}

/// <summary>
/// An immutable map from UTF-8 names to values, looked up by span (a JSON property name straight from the input): open
/// addressing with linear probing over a power-of-two table at most half full, so a lookup is one hash and, nearly
/// always, one comparison.
/// </summary>
internal sealed class Utf8Table<TValue>
{
    public static readonly Utf8Table<TValue> Empty = new([]);

    private readonly byte[]?[] _keys;
    private readonly TValue[] _values;
    private readonly int _mask;

    public Utf8Table(IReadOnlyCollection<KeyValuePair<byte[], TValue>> entries)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, entries.Count * 2));
        _keys = new byte[]?[size];
        _values = new TValue[size];
        _mask = size - 1;
        foreach (var (key, value) in entries)
        {
            var i = Utf8Hash.Of(key) & _mask;
            while (_keys[i] is { } taken)
            {
                if (taken.AsSpan().SequenceEqual(key))
                {
                    throw new ArgumentException($"Duplicate name '{System.Text.Encoding.UTF8.GetString(key)}'.", nameof(entries));
                }

                i = (i + 1) & _mask;
            }

            _keys[i] = key;
            _values[i] = value;
        }
    }

    public bool TryGetValue(ReadOnlySpan<byte> utf8, out TValue value)
    {
        var keys = _keys;
        var i = Utf8Hash.Of(utf8) & _mask;
        while (keys[i] is { } key)
        {
            if (utf8.SequenceEqual(key))
            {
                value = _values[i];
                return true;
            }

            i = (i + 1) & _mask;
        }

        value = default!;
        return false;
    }
}
