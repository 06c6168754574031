using System.Text;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Tests.Model;

/// <summary>
/// The UTF-8 name table behind <see cref="FhirTypeInfo.TryGetByJsonName(ReadOnlySpan{byte}, out ElementInfo, out FhirTypeInfo?)"/>
/// and the shared value table of the JSON reader (<see cref="StringCache"/>), both keyed by <see cref="Utf8Hash"/>.
/// </summary>
public class Utf8TableTests
{
    private static IEnumerable<(FhirTypeInfo Type, string Name)> JsonNames() =>
        from type in ModelInfo.Types
        from element in type.Elements
        from name in element.IsChoice ? element.Types.Select(t => element.Name + t.ChoiceSuffix) : [element.Name]
        select (type, name);

    [Fact]
    public void Every_json_name_of_every_type_resolves_by_utf8_as_by_characters()
    {
        var count = 0;
        foreach (var (type, name) in JsonNames())
        {
            Assert.True(type.TryGetByJsonName(Encoding.UTF8.GetBytes(name), out var byUtf8, out var choiceByUtf8), $"{type.Name}.{name}");
            Assert.True(type.TryGetByJsonName(name, out var byChars, out var choiceByChars));
            Assert.Same(byChars, byUtf8);
            Assert.Same(choiceByChars, choiceByUtf8);
            count++;
        }

        Assert.True(count > 8_000, $"only {count} names");
    }

    [Fact]
    public void Near_misses_of_every_name_do_not_resolve_unless_they_are_names_themselves()
    {
        foreach (var (type, name) in JsonNames())
        {
            foreach (var near in new[] { name[..^1], name + "x", name[..^1] + (char)(name[^1] ^ 1), "_" + name, name.ToUpperInvariant() })
            {
                var isName = type.TryGetByJsonName(near, out _, out _);
                Assert.Equal(isName, type.TryGetByJsonName(Encoding.UTF8.GetBytes(near), out _, out _));
            }
        }
    }

    [Fact]
    public void A_table_finds_exactly_its_keys_and_refuses_duplicates()
    {
        var keys = Enumerable.Range(0, 500).Select(i => $"k{i}").Append("").Append("a").Append("exactly8").Append(new string('z', 300)).ToList();
        var table = new Utf8Table<int>([.. keys.Select((k, i) => KeyValuePair.Create(Encoding.UTF8.GetBytes(k), i))]);
        for (var i = 0; i < keys.Count; i++)
        {
            Assert.True(table.TryGetValue(Encoding.UTF8.GetBytes(keys[i]), out var value));
            Assert.Equal(i, value);
        }

        Assert.False(table.TryGetValue("k500"u8, out _));
        Assert.False(table.TryGetValue("exactly9"u8, out _));
        Assert.False(Utf8Table<int>.Empty.TryGetValue("a"u8, out _));
        Assert.Throws<ArgumentException>(() => new Utf8Table<int>([KeyValuePair.Create("a"u8.ToArray(), 1), KeyValuePair.Create("a"u8.ToArray(), 2)]));
    }

    [Fact]
    public void Shared_values_are_valid_utf8_only_and_a_hit_returns_the_same_instance()
    {
        var cache = new StringCache();
        var first = cache.GetValidUtf8("caf\u00e9"u8);
        Assert.NotNull(first);
        Assert.Same(first, cache.GetValidUtf8("caf\u00e9"u8.ToArray()));
        Assert.Equal("caf\u00e9"u8.ToArray(), first);

        byte[] invalid = [0x61, 0xC3, 0x28];  // a truncated two-byte sequence
        Assert.Null(cache.GetValidUtf8(invalid));
        Assert.Null(cache.GetValidUtf8(invalid));  // never stored, so never found as if valid
        Assert.Null(cache.GetValid(invalid));

        var s = cache.GetValid("final"u8);
        Assert.Equal("final", s);
        Assert.Same(s, cache.GetValid("final"u8));
        Assert.Equal("Körper", cache.GetValid("Körper"u8));  // not ASCII: decoded, not shared
    }

    [Fact]
    public void The_hash_depends_on_every_byte_and_on_the_length()
    {
        for (var length = 1; length <= 40; length++)
        {
            var bytes = Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26))).ToArray();
            var h = Utf8Hash.Of(bytes);
            Assert.NotEqual(h, Utf8Hash.Of(bytes.AsSpan(0, length - 1)));
            for (var i = 0; i < length; i++)
            {
                var changed = (byte[])bytes.Clone();
                changed[i] ^= 0x20;
                Assert.NotEqual(h, Utf8Hash.Of(changed));
            }
        }
    }
}
