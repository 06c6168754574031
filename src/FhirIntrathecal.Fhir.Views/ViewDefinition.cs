using FhirIntrathecal.Fhir.FhirPath;

namespace FhirIntrathecal.Fhir.Views;

/// <summary>
/// A checked, compiled SQL on FHIR v2 ViewDefinition: the resource type it reads, its constants, where filters, the
/// select tree and the flat list of output columns (in output order). Immutable; run it with <see cref="ViewRunner"/>.
/// </summary>
public sealed class ViewDefinition
{
    private readonly JsonPositions _positions;

    internal ViewDefinition(string name, string resource, IReadOnlyDictionary<string, object> constants, IReadOnlyList<ViewWhere> where, ViewSelection root, JsonPositions positions)
    {
        _positions = positions;
        Name = name;
        Resource = resource;
        Constants = constants;
        Where = where;
        Root = root;
        var columns = new List<ViewColumn>();
        root.CollectColumns(columns);
        Columns = columns;
    }

    /// <summary>The view's name (table name): <c>name</c>, else the file name given to the reader.</summary>
    public string Name { get; }

    public string Resource { get; }

    /// <summary>Constants by name, as FHIRPath System values.</summary>
    public IReadOnlyDictionary<string, object> Constants { get; }

    public IReadOnlyList<ViewWhere> Where { get; }

    /// <summary>The top selection: no columns of its own, the view's select as children.</summary>
    public ViewSelection Root { get; }

    /// <summary>Every output column, in row order; <see cref="ViewColumn.Index"/> is the position in a row.</summary>
    public IReadOnlyList<ViewColumn> Columns { get; }

    /// <summary>Line and column (1-based) in the view's JSON of the element at a view path, (0, 0) when unknown.</summary>
    public (long Line, long Column) Locate(string path) => _positions[path];
}

/// <summary>How a selection iterates over its focus.</summary>
public enum ViewIteration
{
    /// <summary>The selection's focus is its parent's.</summary>
    None,

    /// <summary>One focus per item of <c>forEach</c>; no item, no row.</summary>
    ForEach,

    /// <summary>Like forEach, but no item gives one row of nulls.</summary>
    ForEachOrNull,

    /// <summary>Every node reached by applying the <c>repeat</c> paths again and again, depth first.</summary>
    Repeat,
}

/// <summary>One select: its iteration, own columns, nested selects and unionAll branches. Its columns fill <see cref="Width"/> cells of a row from <see cref="Start"/>.</summary>
public sealed class ViewSelection
{
    internal ViewSelection(string path, ViewIteration iteration, IReadOnlyList<CompiledExpression> iterate, IReadOnlyList<ViewColumn> columns,
        IReadOnlyList<ViewSelection> selects, IReadOnlyList<ViewSelection> unionAll)
    {
        Path = path;
        Iteration = iteration;
        Iterate = iterate;
        Columns = columns;
        Selects = selects;
        UnionAll = unionAll;
    }

    /// <summary>Where the select is in the view (<c>select[1].unionAll[0]</c>).</summary>
    public string Path { get; }

    public ViewIteration Iteration { get; }

    /// <summary>The forEach/forEachOrNull expression, or the repeat expressions.</summary>
    public IReadOnlyList<CompiledExpression> Iterate { get; }

    public IReadOnlyList<ViewColumn> Columns { get; }

    public IReadOnlyList<ViewSelection> Selects { get; }

    public IReadOnlyList<ViewSelection> UnionAll { get; }

    public int Start { get; private set; }

    public int Width { get; private set; }

    /// <summary>Numbers the columns depth first (own columns, nested selects, then unionAll, whose branches share one range).</summary>
    internal int Assign(int start)
    {
        Start = start;
        var next = start;
        foreach (var c in Columns)
        {
            c.Index = next++;
        }

        foreach (var s in Selects)
        {
            next = s.Assign(next);
        }

        var unionEnd = next;
        foreach (var branch in UnionAll)
        {
            unionEnd = branch.Assign(next);
        }

        Width = unionEnd - start;
        return unionEnd;
    }

    internal void CollectColumns(List<ViewColumn> into)
    {
        into.AddRange(Columns);
        foreach (var s in Selects)
        {
            s.CollectColumns(into);
        }

        if (UnionAll.Count > 0)
        {
            UnionAll[0].CollectColumns(into);
        }
    }
}

/// <summary>One output column: name, FHIRPath, declared FHIR type (null when not given) and whether it holds a collection.</summary>
public sealed class ViewColumn
{
    internal ViewColumn(string name, CompiledExpression expression, string? type, bool collection, string? description, string path)
    {
        Name = name;
        Expression = expression;
        Type = type;
        Collection = collection;
        Description = description;
        Path = path;
    }

    public string Name { get; }

    public CompiledExpression Expression { get; }

    /// <summary>The FHIR type the view declares (<c>date</c>, <c>decimal</c>...), null when not given.</summary>
    public string? Type { get; }

    public bool Collection { get; }

    public string? Description { get; }

    /// <summary>Where the column is in the view (<c>select[0].column[2]</c>).</summary>
    public string Path { get; }

    /// <summary>Position in a row.</summary>
    public int Index { get; internal set; }
}

/// <summary>A where filter: the resource is kept only when the expression is true.</summary>
public sealed record ViewWhere(CompiledExpression Expression, string Path);
