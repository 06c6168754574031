using System.Collections;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>Walking model instances: child elements by name, all children, descendants.</summary>
internal static class Navigation
{
    /// <summary>Appends the values of element <paramref name="name"/> of <paramref name="item"/>; System values have no children.</summary>
    public static void Child(object item, string name, List<object> result)
    {
        if (item is FhirPathTypeInfo info)
        {
            if (name is "name" or "namespace")
            {
                result.Add(name == "name" ? info.Name : info.Namespace);
            }

            return;
        }

        if (item is not Base b)
        {
            return;
        }

        var type = b.TypeInfo;
        var element = type.GetElement(name);
        if (element is null)
        {
            if (type.TryGetByJsonName(name, out var choice, out var choiceType) && choiceType is not null)
            {
                throw new FhirPathRuntimeError(
                    $"'{name}' is not a FHIRPath name: choice elements are navigated as '{choice.Name}' (use {choice.Name}.ofType({choiceType.Name}))");
            }

            return;
        }

        if (b is PrimitiveType && element.Index == PrimitiveType.ValueSlot)
        {
            return;
        }

        Add(b.GetValue(element), result);
    }

    /// <summary>
    /// The values of element <paramref name="name"/> of one item, as <see cref="Child(object, string, List{object})"/>
    /// gives them, in a collection of the exact size (none allocated when empty): the common one-item step of a path.
    /// </summary>
    public static IReadOnlyList<object> Child(object item, string name)
    {
        if (item is Base b && b.TypeInfo.GetElement(name) is { } element && !(b is PrimitiveType && element.Index == PrimitiveType.ValueSlot))
        {
            switch (b.GetValue(element))
            {
                case null:
                    return [];
                case IList list:
                    var items = new List<object>(list.Count);
                    AddItems(list, items);
                    return items;
                case var value:
                    return [value];
            }
        }

        var result = new List<object>();
        Child(item, name, result);
        return result;
    }

    /// <summary>
    /// The value of element <paramref name="name"/> of one item when it has at most one (null for none), as
    /// <see cref="Child(object, string, List{object})"/> would give it; false when it has several or the name needs
    /// the full navigation (not an element of the type: maybe an error to report; a type's name or namespace).
    /// </summary>
    public static bool TryChild(object item, string name, out object? value)
    {
        value = null;
        if (item is not Base b)
        {
            return item is not FhirPathTypeInfo;  // System values have no children
        }

        if (b.TypeInfo.GetElement(name) is not { } element)
        {
            return false;
        }

        if (b is PrimitiveType && element.Index == PrimitiveType.ValueSlot)
        {
            return true;
        }

        switch (b.GetValue(element))
        {
            case IList list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } v)
                    {
                        if (value is not null)
                        {
                            value = null;
                            return false;
                        }

                        value = v;
                    }
                }

                return true;
            case var single:
                value = single;
                return true;
        }
    }

    /// <summary>Every child value, in definition order (the primitive's own value is not a child).</summary>
    public static void Children(object item, List<object> result)
    {
        if (item is not Base b)
        {
            return;
        }

        foreach (var child in b.Children())
        {
            if (b is PrimitiveType && child.Element.Index == PrimitiveType.ValueSlot)
            {
                continue;
            }

            result.Add(child.Value);
        }
    }

    /// <summary>All descendants, breadth-first per level like children() repeated.</summary>
    public static List<object> Descendants(IReadOnlyList<object> input)
    {
        var result = new List<object>();
        var level = new List<object>(input);
        while (level.Count > 0)
        {
            var next = new List<object>();
            foreach (var item in level)
            {
                Children(item, next);
            }

            result.AddRange(next);
            level = next;
        }

        return result;
    }

    private static void Add(object? value, List<object> result)
    {
        switch (value)
        {
            case null:
                return;
            case IList list:
                AddItems(list, result);
                return;
            default:
                result.Add(value);
                return;
        }
    }

    /// <summary>The non-null items of a model list, by index (no boxed enumerator).</summary>
    private static void AddItems(IList list, List<object> result)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is { } v)
            {
                result.Add(v);
            }
        }
    }
}
