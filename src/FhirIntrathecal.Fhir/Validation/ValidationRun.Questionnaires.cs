using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// Questionnaire's own rules and a QuestionnaireResponse against its Questionnaire (when the canonical resolves), as the
/// reference validator checks them: linkIds exist, one answer unless the item repeats, answers of the item's type and
/// options, required items answered in a completed response, and no answers on items their enableWhen disables.
/// </summary>
internal sealed partial class ValidationRun
{
    private void ValidateQuestionnaire(Questionnaire questionnaire, string path)
    {
        var all = new Dictionary<string, Questionnaire.ItemComponent>(StringComparer.Ordinal);
        CollectQuestionnaireItems(questionnaire.Item, all);
        WalkQuestionnaireItems(questionnaire.Item, path + ".item", all);
    }

    private void WalkQuestionnaireItems(List<Questionnaire.ItemComponent> items, string path, Dictionary<string, Questionnaire.ItemComponent> all)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var at = $"{path}[{i}]";
            foreach (var question in item.EnableWhen.Select(e => e.Question?.Value).OfType<string>())
            {
                if (!all.ContainsKey(question))
                {
                    Report(IssueSeverity.Error, IssueTypes.BusinessRule, MessageIds.QuestionnaireEnableWhen,
                        $"Questions with an enableWhen must refer to a question in the questionnaire: '{question}' is not a linkId of it.", at, null, null);
                }
                else if (IsInside(item.Item, question))
                {
                    Report(IssueSeverity.Error, IssueTypes.BusinessRule, MessageIds.QuestionnaireEnableWhen,
                        "Questions with an enableWhen cannot refer to an inner question for its enableWhen condition.", at, null, null);
                }
            }

            WalkQuestionnaireItems(item.Item, at + ".item", all);
        }
    }

    private static bool IsInside(List<Questionnaire.ItemComponent> items, string linkId) =>
        items.Any(i => i.LinkId?.Value == linkId || IsInside(i.Item, linkId));

    private static void CollectQuestionnaireItems(List<Questionnaire.ItemComponent> items, Dictionary<string, Questionnaire.ItemComponent> into)
    {
        foreach (var item in items)
        {
            if (item.LinkId?.Value is { } id)
            {
                into.TryAdd(id, item);
            }

            CollectQuestionnaireItems(item.Item, into);
        }
    }

    private void ValidateQuestionnaireResponse(QuestionnaireResponse response, string path)
    {
        if (response.Questionnaire?.Value is not { } canonical || Validator.Resolver.ResolveCanonical(canonical) is not Questionnaire questionnaire)
        {
            return;
        }

        var all = new Dictionary<string, Questionnaire.ItemComponent>(StringComparer.Ordinal);
        CollectQuestionnaireItems(questionnaire.Item, all);
        var answers = new Dictionary<string, List<DataType>>(StringComparer.Ordinal);
        CollectAnswers(response.Item, answers);
        var completed = response.Status?.Value is "completed" or "amended";
        ValidateResponseItems(response.Item, questionnaire.Item, path, all, answers, completed);
    }

    private static void CollectAnswers(List<QuestionnaireResponse.ItemComponent> items, Dictionary<string, List<DataType>> into)
    {
        foreach (var item in items)
        {
            if (item.LinkId?.Value is { } id)
            {
                if (!into.TryGetValue(id, out var list))
                {
                    into[id] = list = [];
                }

                list.AddRange(item.Answer.Select(a => a.Value).OfType<DataType>());
            }

            CollectAnswers(item.Item, into);
            foreach (var answer in item.Answer)
            {
                CollectAnswers(answer.Item, into);
            }
        }
    }

    private void ValidateResponseItems(List<QuestionnaireResponse.ItemComponent> items, List<Questionnaire.ItemComponent> definitions, string path,
        Dictionary<string, Questionnaire.ItemComponent> all, Dictionary<string, List<DataType>> answers, bool completed)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var at = $"{path}.item[{i}]";
            var linkId = item.LinkId?.Value;
            var definition = definitions.FirstOrDefault(d => d.LinkId?.Value == linkId);
            if (definition is null)
            {
                Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.QuestionnaireResponseItem, linkId is not null && all.ContainsKey(linkId)
                    ? $"Item with linkId '{linkId}' is not at the right level of the questionnaire."
                    : $"LinkId '{linkId}' not found in questionnaire.", at, null, null);
                continue;
            }

            ValidateResponseAnswers(item, definition, at, answers);
            ValidateResponseItems(item.Item, definition.Item, at, all, answers, completed);
            for (var j = 0; j < item.Answer.Count; j++)
            {
                ValidateResponseItems(item.Answer[j].Item, definition.Item, $"{at}.answer[{j}]", all, answers, completed);
            }
        }

        if (!completed)
        {
            return;
        }

        foreach (var required in definitions.Where(d => d.Required?.Value == true && d.Type?.Value is not "display"))
        {
            if (!items.Any(i => i.LinkId?.Value == required.LinkId?.Value) && IsEnabled(required, answers))
            {
                Report(IssueSeverity.Error, IssueTypes.Required, MessageIds.QuestionnaireResponseRequired,
                    $"No response found for required item with id = '{required.LinkId?.Value}'.", path, null, null);
            }
        }
    }

    private void ValidateResponseAnswers(QuestionnaireResponse.ItemComponent item, Questionnaire.ItemComponent definition, string at, Dictionary<string, List<DataType>> answers)
    {
        if (item.Answer.Count > 0 && !IsEnabled(definition, answers))
        {
            Report(IssueSeverity.Error, IssueTypes.BusinessRule, MessageIds.QuestionnaireResponseNotEnabled,
                $"Item has answer, even though it is not enabled (item id = '{definition.LinkId?.Value}').", at, null, null);
        }

        if (item.Answer.Count > 1 && definition.Repeats?.Value != true)
        {
            Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.QuestionnaireResponseAnswer,
                $"Only one response answer item with this linkId ('{definition.LinkId?.Value}') is allowed.", at, null, null);
        }

        for (var j = 0; j < item.Answer.Count; j++)
        {
            if (item.Answer[j].Value is not { } value)
            {
                continue;
            }

            var type = definition.Type?.Value;
            var valueType = value.TypeInfo.Name;
            var options = definition.AnswerOption.Select(o => o.Value).OfType<DataType>().ToList();
            string? problem = null;
            if (type is "choice" or "open-choice" && options.Count > 0 && !options.Any(o => o.TypeInfo.Name == valueType) && !(type == "open-choice" && valueType == "string"))
            {
                problem = $"Option list has no option values of type {valueType}.";
            }
            else if (ExpectedAnswerType(type) is { } expected && !expected.Contains(valueType, StringComparer.Ordinal))
            {
                problem = $"Answer value must be of type {string.Join(" or ", expected)} for an item of type {type}, not {valueType}.";
            }

            if (problem is not null)
            {
                Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.QuestionnaireResponseAnswer, problem, $"{at}.answer[{j}]", null, null);
            }
        }
    }

    /// <summary>The answer[x] types an item type allows (R4 Questionnaire.item.type); null when any.</summary>
    private static string[]? ExpectedAnswerType(string? itemType) => itemType switch
    {
        "boolean" => ["boolean"],
        "decimal" => ["decimal"],
        "integer" => ["integer"],
        "date" => ["date"],
        "dateTime" => ["dateTime"],
        "time" => ["time"],
        "string" or "text" => ["string"],
        "url" => ["uri"],
        "choice" => ["Coding", "string", "integer", "date", "time"],
        "open-choice" => ["Coding", "string", "integer", "date", "time"],
        "attachment" => ["Attachment"],
        "reference" => ["Reference"],
        "quantity" => ["Quantity"],
        _ => null,
    };

    /// <summary>enableWhen with enableBehavior (all | any; one condition needs none).</summary>
    private static bool IsEnabled(Questionnaire.ItemComponent definition, Dictionary<string, List<DataType>> answers)
    {
        if (definition.EnableWhen.Count == 0)
        {
            return true;
        }

        var results = definition.EnableWhen.Select(e => ConditionHolds(e, answers.GetValueOrDefault(e.Question?.Value ?? "") ?? []));
        return definition.EnableBehavior?.Value == "all" ? results.All(r => r) : results.Any(r => r);
    }

    private static bool ConditionHolds(Questionnaire.EnableWhenComponent condition, List<DataType> given)
    {
        var op = condition.Operator?.Value;
        if (op == "exists")
        {
            var wanted = (condition.Answer as FhirBoolean)?.Value ?? true;
            return (given.Count > 0) == wanted;
        }

        if (condition.Answer is not { } expected)
        {
            return false;
        }

        return op switch
        {
            "=" => given.Any(g => AnswersEqual(g, expected)),
            "!=" => given.Count > 0 && !given.Any(g => AnswersEqual(g, expected)),
            ">" or "<" or ">=" or "<=" => given.Any(g => CompareAnswers(g, expected) is { } c && op switch
            {
                ">" => c > 0,
                "<" => c < 0,
                ">=" => c >= 0,
                _ => c <= 0,
            }),
            _ => true,
        };
    }

    private static bool AnswersEqual(DataType a, DataType b) => (a, b) switch
    {
        (Coding x, Coding y) => x.Code?.Value == y.Code?.Value && (x.System?.Value is null || y.System?.Value is null || x.System.Value == y.System.Value),
        (PrimitiveType x, PrimitiveType y) => x.ToLexical() == y.ToLexical(),
        _ => false,
    };

    private static int? CompareAnswers(DataType a, DataType b) =>
        a is PrimitiveType pa && b is PrimitiveType pb
            ? decimal.TryParse(pa.ToLexical(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x)
              && decimal.TryParse(pb.ToLexical(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var y)
                ? x.CompareTo(y)
                : string.CompareOrdinal(pa.ToLexical(), pb.ToLexical())
            : null;
}
