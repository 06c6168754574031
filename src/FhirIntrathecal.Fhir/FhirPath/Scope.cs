using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>
/// Per-evaluation state: the context, the focus of the whole expression and the current $this/$index/$total. The scope
/// of the whole expression is also the holder of the shared state (<see cref="Root"/>: one object per evaluation);
/// nested scopes refer to it.
/// </summary>
internal class Scope
{
    private readonly Root _root;

    private Scope(Root? root, IReadOnlyList<object> @this, int index, IReadOnlyList<object>? total)
    {
        _root = root ?? (Root)this;
        This = @this;
        Index = index;
        Total = total;
    }

    public static Scope Create(EvaluationContext context, string text, IReadOnlyList<object> focus) => new Root(context, text, focus);

    public EvaluationContext Context => _root.RootContext;

    public string Text => _root.RootText;

    /// <summary>The input of the whole expression: <c>%context</c> (the root scope's <c>$this</c>).</summary>
    public IReadOnlyList<object> ContextFocus => _root.This;

    public IReadOnlyList<object> This { get; }

    public int Index { get; }

    public IReadOnlyList<object>? Total { get; }

    public DateTimeOffset Now => _root.Clock;

    public Base? Resource => Context.Resource ?? (ContextFocus.Count == 1 && ContextFocus[0] is Base { TypeInfo.IsResource: true } r ? r : null);

    public Base? RootResource => Context.RootResource ?? Resource;

    /// <summary>A nested scope for one iteration of a lambda argument.</summary>
    public Scope Iteration(object item, int index, IReadOnlyList<object>? total = null) => new(_root, [item], index, total);

    public Scope WithThis(IReadOnlyList<object> @this) => new(_root, @this, Index, Total);

    /// <summary>
    /// The scope of the whole expression, holding what its nested scopes share. One per evaluation, so kept small: the
    /// focus is its own <c>$this</c>, and the clock is boxed only when now()/today()/timeOfDay() reads it.
    /// </summary>
    private sealed class Root(EvaluationContext context, string text, IReadOnlyList<object> focus) : Scope(null, focus, -1, null)
    {
        private object? _clock;

        public EvaluationContext RootContext { get; } = context;

        public string RootText { get; } = text;

        /// <summary>The clock of this evaluation: read once, so every now() of one evaluation gives the same instant.</summary>
        public DateTimeOffset Clock => (DateTimeOffset)(_clock ??= Context.Now ?? DateTimeOffset.Now);
    }
}
