namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>Tree navigation, boolean not(), type reflection, trace and the clock functions.</summary>
internal static partial class Functions
{
    private static void RegisterUtility(Register add)
    {
        add("children", 0, 0, c =>
        {
            var result = new List<object>();
            foreach (var item in c.Input)
            {
                Navigation.Children(item, result);
            }

            return result;
        });
        add("descendants", 0, 0, c => Navigation.Descendants(c.Input));
        add("not", 0, 0, c => Values.SingletonBoolean(c.Input, "not()") is { } b ? Values.Bool(!b) : []);
        add("type", 0, 0, c => c.Input.Select(item => (object)(item is Model.Base b
            ? new FhirPathTypeInfo("FHIR", b.TypeInfo.Name)
            : new FhirPathTypeInfo("System", Typing.SystemTypeName(Values.ToSystem(item) ?? item) ?? "Any"))).ToList());
        add("trace", 1, 2, c =>
        {
            var name = c.StringArg(0) ?? "";
            if (c.Scope.Context.Tracer is { } tracer)
            {
                if (c.ArgCount > 1)
                {
                    var projected = new List<object>();
                    for (var i = 0; i < c.Input.Count; i++)
                    {
                        projected.AddRange(c.Lambda(1, c.Input[i], i));
                    }

                    tracer(name, projected);
                }
                else
                {
                    tracer(name, c.Input);
                }
            }

            return c.Input;
        });
        add("now", 0, 0, c => [FhirPathDateTime.FromDateTimeOffset(c.Scope.Now)]);
        add("today", 0, 0, c => [new FhirPathDate(c.Scope.Now.Year, c.Scope.Now.Month, c.Scope.Now.Day)]);
        add("timeOfDay", 0, 0, c =>
        {
            var n = c.Scope.Now;
            return [new FhirPathTime(n.Hour, n.Minute, n.Second, n.Millisecond, TemporalPrecision.Millisecond)];
        });
    }
}

/// <summary>The result of type(): a namespace and a name, navigable as <c>.namespace</c> and <c>.name</c>.</summary>
public sealed record FhirPathTypeInfo(string Namespace, string Name)
{
    public override string ToString() => Namespace + "." + Name;
}
