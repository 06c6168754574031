using System.Buffers;
using System.Collections;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Serialization.Json;

/// <summary>Arrays: repeating elements read into lists, and the check that null primitive items are aligned with <c>_name</c>.</summary>
internal ref partial struct JsonResourceReader
{
    private void ReadList(Base target, ElementInfo element, FhirTypeInfo type, IList? list)
    {
        var isPrimitive = type.Kind == TypeKind.Primitive;
        if (list is { Count: > 0 } && (!isPrimitive || AnyHasValue(list)))
        {
            ReportDuplicate(element, list, type);
            _reader.Skip();
            return;
        }

        // Items are gathered in a pooled array first, so a new list is created at its exact size.
        var items = ArrayPool<object?>.Shared.Rent(8);
        var index = 0;
        _path.SetIndex(0);
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            _path.SetIndex(index);
            var existing = list is not null && index < list.Count ? list[index] as Base : null;
            object? item;
            if (_reader.TokenType == JsonTokenType.Null)
            {
                if (!isPrimitive)
                {
                    Issue(IssueSeverity.Error, ParseCodes.Empty, "null is only allowed in arrays of primitives (aligned with their _element companion).");
                }

                item = existing ?? (isPrimitive ? type.CreateInstance() : null);
            }
            else
            {
                // A rejected value keeps its position (an empty primitive) for a later _element companion.
                item = ReadValue(element, type, existing) ?? existing ?? (isPrimitive ? type.CreateInstance() : null);
            }

            // A primitive item without value (null, or refused) needs its id or extension from _name: checked at the object's end.
            _valuelessItems |= isPrimitive && item is PrimitiveType { HasValue: false };
            if (index == items.Length)
            {
                items = Grow(items);
            }

            items[index++] = item;
        }

        if (index == 0)
        {
            Issue(IssueSeverity.Error, ParseCodes.Empty, "Empty arrays are not allowed in FHIR JSON.");
        }

        var gathered = items.AsSpan(0, index);
        if (list is null)
        {
            list = type.CreateList(gathered);
        }
        else
        {
            for (var i = 0; i < gathered.Length; i++)
            {
                if (gathered[i] is { } item)
                {
                    SetAt(list, i, item);
                }
            }

            RemoveNulls(list);
        }

        gathered.Clear();
        ArrayPool<object?>.Shared.Return(items);
        if (list.Count > 0)
        {
            target.SetValue(element, list);
        }
    }

    private static object?[] Grow(object?[] items)
    {
        var larger = ArrayPool<object?>.Shared.Rent(items.Length * 2);
        items.AsSpan().CopyTo(larger);
        items.AsSpan().Clear();
        ArrayPool<object?>.Shared.Return(items);
        return larger;
    }

    private void CheckPrimitiveLists(Base target, FhirTypeInfo type)
    {
        foreach (var element in type.PrimitiveListElements)
        {
            if (target.GetValue(element) is IList list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is PrimitiveType p && !p.HasValue && !HasMetadata(p))
                    {
                        AddIssue(IssueSeverity.Error, ParseCodes.PrimitiveAlignment,
                            $"'{element.Name}[{i}]' is null and has no id or extension in '_{element.Name}'.", _path.With($"{element.Name}[{i}]"));
                    }
                }
            }
        }
    }

    private static bool AnyHasValue(IList list)
    {
        foreach (var item in list)
        {
            if (item is PrimitiveType { HasValue: true })
            {
                return true;
            }
        }

        return false;
    }

    private static void SetAt(IList list, int index, object? value)
    {
        while (list.Count <= index)
        {
            list.Add(null);
        }

        list[index] = value;
    }

    private static void RemoveNulls(IList list)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i] is null)
            {
                list.RemoveAt(i);
            }
        }
    }
}
