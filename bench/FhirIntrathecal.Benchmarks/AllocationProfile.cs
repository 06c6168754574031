using System.Collections;
using System.Diagnostics;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Benchmarks;

/// <summary>
/// Where parse allocation goes (no profiler needed): bytes allocated per input byte measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>, beside an estimate of what the parsed model retains, broken down
/// by kind of object (primitives, complex elements, lists, strings, boxed values). The corpus arrays are never modified,
/// so they are parsed with <see cref="FhirJsonParser.ParseImmutable"/> (long values reference them, as
/// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> does); the default copying parse is
/// measured beside it.
/// <c>dotnet run -c Release --project bench/FhirIntrathecal.Benchmarks -- alloc-profile</c>
/// </summary>
public static class AllocationProfile
{
    public static int Run()
    {
        var files = Corpus.R4Examples;
        var input = files.Sum(f => (long)f.Length);
        foreach (var f in files)
        {
            FhirJsonParser.ParseImmutable(f);
        }

        var copying = GC.GetAllocatedBytesForCurrentThread();
        foreach (var f in files)
        {
            FhirJsonParser.Parse(f);
        }

        copying = GC.GetAllocatedBytesForCurrentThread() - copying;
        var parsed = new List<Resource?>(files.Count);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        foreach (var f in files)
        {
            parsed.Add(FhirJsonParser.ParseImmutable(f).Value);
        }

        sw.Stop();
        var ours = GC.GetAllocatedBytesForCurrentThread() - before - (files.Count * 8L);

        before = GC.GetAllocatedBytesForCurrentThread();
        var swDoc = Stopwatch.StartNew();
        foreach (var f in files)
        {
            using var doc = JsonDocument.Parse(f);
        }

        swDoc.Stop();
        var docBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        var census = new Census();
        foreach (var r in parsed)
        {
            if (r is not null)
            {
                census.Walk(r);
            }
        }

        Console.WriteLine($"input: {files.Count} files, {input:N0} bytes");
        Console.WriteLine($"ours: allocated {ours:N0} B = {(double)ours / input:F2} B/input B, {input / 1e6 / sw.Elapsed.TotalSeconds:F0} MB/s (single pass, not a benchmark)");
        Console.WriteLine($"ours, copying (Parse(span)): allocated {copying:N0} B = {(double)copying / input:F2} B/input B");
        Console.WriteLine($"JsonDocument.Parse: allocated {docBytes:N0} B = {(double)docBytes / input:F2} B/input B, {input / 1e6 / swDoc.Elapsed.TotalSeconds:F0} MB/s");
        census.Print(input, ours);
        return 0;
    }

    private sealed class Census
    {
        private readonly Dictionary<string, (long Count, long Bytes)> _rows = new(StringComparer.Ordinal);
        private readonly HashSet<object> _shared = new(ReferenceEqualityComparer.Instance);

        public void Walk(Base node)
        {
            var elements = node.TypeInfo.Elements;
            // A slot array (16 header + 8 length + 8 for its shape + 8 per present element) exists only when an element
            // is present: an instance without values shares its shape's empty array.
            var present = elements.Count(e => (node is not PrimitiveType || e.Index < elements.Count - 1) && node.PeekValue(e) is not null);
            if (node is PrimitiveType)
            {
                // One object: header 16 + one field (the value, or once an id/extension is set a slot array ending with it).
                Add("primitive objects", 24);
                if (present > 0)
                {
                    Add("primitive id/extension arrays", 40 + (8L * present));
                }
            }
            else
            {
                // Object header 16 + Slots reference 8.
                Add(node is Resource ? "resource objects" : "complex objects", 24);
                if (present > 0)
                {
                    Add("complex slot arrays", 32 + (8L * present));
                }
            }

            foreach (var e in elements)
            {
                // Each slot as stored (reading it through GetValue would decode UTF-8 and make a bare value's primitive).
                var v = node.PeekValue(e);
                if (e.HoldsBareValue && v is not (null or Base))
                {
                    Add("bare primitive values", 0);  // no primitive object: its value alone, counted below
                }

                switch (v)
                {
                    case null:
                        break;
                    case Utf8Slice:
                        // Array reference, offset, length, escaped flag.
                        Add("UTF-8 slices of the input", 40);
                        break;
                    case byte[] utf8:
                        // A value kept as UTF-8: its array (counted once when several values share it).
                        if (_shared.Add(utf8))
                        {
                            Add(utf8.Length > 1000 ? "UTF-8 values > 1000 B" : "UTF-8 values", 24 + utf8.Length + 7 & ~7);
                        }
                        else
                        {
                            Add("UTF-8 values shared", 0);
                        }

                        break;
                    case IList list:
                        Add("lists (object + array)", 32 + 24 + (8L * list.Count));
                        foreach (var item in list)
                        {
                            Value(item);
                        }

                        break;
                    default:
                        Value(v);
                        break;
                }
            }
        }

        public void Print(long input, long allocated)
        {
            long total = 0;
            foreach (var (name, (count, bytes)) in _rows.OrderByDescending(r => r.Value.Bytes))
            {
                total += bytes;
                Console.WriteLine($"  {name,-26} {count,12:N0} objects {bytes,15:N0} B {(double)bytes / input,6:F2} B/input B");
            }

            Console.WriteLine($"  {"retained (estimate)",-26} {"",12} {"",8} {total,15:N0} B {(double)total / input,6:F2} B/input B");
            Console.WriteLine($"  {"garbage (rest)",-26} {"",12} {"",8} {allocated - total,15:N0} B {(double)(allocated - total) / input,6:F2} B/input B");
        }

        private void Value(object? v)
        {
            switch (v)
            {
                case null:
                    break;
                case Base b:
                    Walk(b);
                    break;
                case bool:
                    break;  // the reader shares one box per value
                case string s when !_shared.Add(s):
                    Add("strings shared", 0);
                    break;
                case string s:
                    Add(s.Length > 1000 ? "strings > 1000 chars" : "strings", 22 + (2L * s.Length) + 7 & ~7);
                    break;
                default:
                    Add("boxed " + v.GetType().Name, 24);
                    break;
            }
        }

        private void Add(string name, long bytes)
        {
            _rows.TryGetValue(name, out var row);
            _rows[name] = (row.Count + 1, row.Bytes + bytes);
        }
    }
}
