using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Fhir.Views;

/// <summary>
/// Runs a <see cref="ViewDefinition"/> over resources (SQL on FHIR v2 "Processing algorithm"): the where filters, then the
/// select tree, where nested selects multiply rows, forEach gives one row per item, forEachOrNull a row of nulls when
/// there is none, repeat walks the tree depth first and unionAll concatenates. A cell holds null, a bool, long, decimal,
/// string, a <see cref="FhirPathTemporal"/>, or for a collection column an <see cref="IReadOnlyList{T}"/> of those. An
/// element that is not a primitive is kept as its FHIR JSON text (never dropped). Thread-safe: one runner serves every thread.
/// </summary>
public sealed class ViewRunner(ViewDefinition view)
{
    /// <summary>The SQL on FHIR variable giving the 0-based index of the current forEach/forEachOrNull/repeat item.</summary>
    public const string RowIndexVariable = "rowIndex";

    [ThreadStatic]
    private static EvaluationContext? t_context;

    private static readonly object[] SmallIndexes = Enumerable.Range(0, 256).Select(i => (object)(long)i).ToArray();

    public ViewDefinition View => view;

    /// <summary>The rows of one resource (none when it is of another type or a where filter is not true).</summary>
    /// <exception cref="ViewEvaluationException">A column or filter failed for this resource; the issue names it.</exception>
    public IReadOnlyList<object?[]> Run(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Rows(resource);
    }

    /// <summary>Streams the rows of one resource to <paramref name="emit"/>.</summary>
    public void Run(Resource resource, Action<object?[]> emit)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(emit);
        foreach (var row in Rows(resource))
        {
            emit(row);
        }
    }

    private List<object?[]> Rows(Resource resource)
    {
        if (resource.TypeInfo.Name != view.Resource)
        {
            return [];
        }

        // The view's constants are bound into its expressions when it is read (ViewDefinitionReader): only %rowIndex
        // is a variable here. One context per thread, reused: every evaluation of this resource ends before emit runs.
        var context = t_context ??= new EvaluationContext();
        context.Resource = resource;
        try
        {
            var run = new Evaluation(view, context, resource);
            for (var i = 0; i < view.Where.Count; i++)
            {
                if (!run.WhereIsTrue(view.Where[i], resource))
                {
                    return [];
                }
            }

            return run.Process(view.Root, resource, 0);
        }
        finally
        {
            context.Resource = null;  // the thread's context does not keep the resource alive
        }
    }

    private sealed class Evaluation(ViewDefinition view, EvaluationContext context, Resource resource)
    {
        public bool WhereIsTrue(ViewWhere where, object focus)
        {
            var result = Evaluate(where.Expression, [focus], 0, where.Path);
            return result.Count switch
            {
                0 => false,
                1 when FhirPathEvaluator.ToSystemValue(result[0]) is bool b => b,
                _ => throw Fail(ViewCodes.WhereNotBoolean, $"'{where.Expression.Text}' gave {Describe(result)}", where.Path),
            };
        }

        /// <summary>The row fragments of a selection: arrays of <see cref="ViewSelection.Width"/> cells.</summary>
        public List<object?[]> Process(ViewSelection selection, object focus, long rowIndex)
        {
            if (selection.Iteration == ViewIteration.None && Wrapped(selection) is { } only)
            {
                return Process(only, focus, rowIndex);
            }

            var rows = new List<object?[]>();
            switch (selection.Iteration)
            {
                case ViewIteration.None:
                    AddRows(selection, focus, rowIndex, rows);
                    break;
                case ViewIteration.ForEach:
                case ViewIteration.ForEachOrNull:
                    var items = Evaluate(selection.Iterate[0], [focus], rowIndex, selection.Path);
                    for (var i = 0; i < items.Count; i++)
                    {
                        AddRows(selection, items[i], i, rows);
                    }

                    if (items.Count == 0 && selection.Iteration == ViewIteration.ForEachOrNull)
                    {
                        // The row of nulls still has its %rowIndex (0): own columns are evaluated on an empty focus.
                        var nulls = new object?[selection.Width];
                        foreach (var column in selection.Columns)
                        {
                            nulls[column.Index - selection.Start] = Cell(column, [], 0);
                        }

                        rows.Add(nulls);
                    }

                    break;
                case ViewIteration.Repeat:
                    var index = 0L;
                    foreach (var node in RepeatNodes(selection, focus, rowIndex))
                    {
                        AddRows(selection, node, index++, rows);
                    }

                    break;
            }

            return rows;
        }

        private IEnumerable<object> RepeatNodes(ViewSelection selection, object focus, long rowIndex)
        {
            // Depth first, children of every repeat path in turn; the stack holds pending siblings (bounded by the input).
            var pending = new Stack<IEnumerator<object>>();
            pending.Push(Children(selection, focus, rowIndex).GetEnumerator());
            while (pending.Count > 0)
            {
                var top = pending.Peek();
                if (!top.MoveNext())
                {
                    top.Dispose();
                    pending.Pop();
                    continue;
                }

                yield return top.Current;
                pending.Push(Children(selection, top.Current, rowIndex).GetEnumerator());
            }
        }

        private List<object> Children(ViewSelection selection, object node, long rowIndex)
        {
            var children = new List<object>();
            IReadOnlyList<object> focus = [node];
            foreach (var expression in selection.Iterate)
            {
                children.AddRange(Evaluate(expression, focus, rowIndex, selection.Path));
            }

            return children;
        }

        private void AddRows(ViewSelection selection, object focus, long rowIndex, List<object?[]> rows)
        {
            if (Wrapped(selection) is { } only)
            {
                // A selection that only wraps one select (a view's top): its rows are the child's, as they are.
                rows.AddRange(Process(only, focus, rowIndex));
                return;
            }

            var own = new object?[selection.Width];
            IReadOnlyList<object> items = [focus]; // one focus collection for every column of the row
            foreach (var column in selection.Columns)
            {
                own[column.Index - selection.Start] = Cell(column, items, rowIndex);
            }

            if (selection.Selects.Count == 0 && selection.UnionAll.Count == 0)
            {
                rows.Add(own);
                return;
            }

            List<object?[]> combined = [own];
            foreach (var child in selection.Selects)
            {
                combined = Product(combined, Process(child, focus, rowIndex), child.Start - selection.Start, child.Width);
                if (combined.Count == 0)
                {
                    return;
                }
            }

            if (selection.UnionAll.Count > 0)
            {
                var union = new List<object?[]>();
                foreach (var branch in selection.UnionAll)
                {
                    union.AddRange(Process(branch, focus, rowIndex));
                }

                var first = selection.UnionAll[0];
                combined = Product(combined, union, first.Start - selection.Start, first.Width);
            }

            rows.AddRange(combined);
        }

        /// <summary>The one select that <paramref name="selection"/> only wraps (a view's top), whose rows are its rows as they are.</summary>
        private static ViewSelection? Wrapped(ViewSelection selection) =>
            selection.Columns.Count == 0 && selection.Selects.Count == 1 && selection.UnionAll.Count == 0
            && selection.Selects[0] is { } only && only.Start == selection.Start && only.Width == selection.Width ? only : null;

        private static List<object?[]> Product(List<object?[]> left, List<object?[]> right, int offset, int width)
        {
            var result = new List<object?[]>(left.Count * right.Count);
            foreach (var l in left)
            {
                for (var i = 0; i < right.Count; i++)
                {
                    var row = i == right.Count - 1 ? l : (object?[])l.Clone();
                    Array.Copy(right[i], 0, row, offset, width);
                    result.Add(row);
                }
            }

            return result;
        }

        private object? Cell(ViewColumn column, IReadOnlyList<object> focus, long rowIndex)
        {
            if (!column.Collection && focus.Count == 1 && column.Expression.TryEvaluateSingle(focus[0], out var single))
            {
                // A path with at most one value here (most columns): no collections, same cell.
                return single is null ? null : Value(single);
            }

            var result = Evaluate(column.Expression, focus, rowIndex, column.Path + ".path");
            if (column.Collection)
            {
                return result.Select(Value).ToList();
            }

            return result.Count switch
            {
                0 => null,
                1 => Value(result[0]),
                _ => throw Fail(ViewCodes.NotSingle, $"column '{column.Name}' ('{column.Expression.Text}') gave {Describe(result)}", column.Path + ".path"),
            };
        }

        private IReadOnlyList<object> Evaluate(CompiledExpression expression, IReadOnlyList<object> focus, long rowIndex, string path)
        {
            context.Variables[RowIndexVariable] = rowIndex < SmallIndexes.Length ? SmallIndexes[rowIndex] : rowIndex;
            try
            {
                return expression.Evaluate(focus, context);
            }
            catch (FhirPathEvaluationException e)
            {
                throw Fail(ViewCodes.Evaluation, $"'{expression.Text}': {e.Reason}", path, e);
            }
        }

        private ViewEvaluationException Fail(string code, string detail, string path, Exception? inner = null)
        {
            var (line, column) = view.Locate(path);
            // The subject is named only when something failed (not a string per resource and view).
            return new ViewEvaluationException(new ViewIssue(code, detail, path, line, column, resource.TypeInfo.Name + "/" + resource.Id), inner);
        }

        private static string Describe(IReadOnlyList<object> result) =>
            result.Count == 1 ? $"a {Typing(result[0])}" : $"{result.Count} items";

        private static string Typing(object item) => item is Base b ? b.TypeInfo.Name : item.GetType().Name;
    }

    /// <summary>A result item as a cell: primitives by System value, other elements as their FHIR JSON text.</summary>
    internal static object? Value(object item) => item switch
    {
        PrimitiveType p => FhirPathEvaluator.ToSystemValue(p),
        Base b => FhirJsonSerializer.SerializeToString(b),
        FhirPathQuantity q => q.ToString(),
        _ => item,
    };
}
