using System.CommandLine;

namespace FhirIntrathecal.Cli.Commands;

/// <summary>
/// Options with a fixed set of values, matched case-insensitively (<c>--output-format JSON</c> = <c>json</c>); the value
/// reaches the command in lower case. Enum-typed options are case-insensitive already.
/// </summary>
internal static class Choices
{
    public static Option<T> OneOf<T>(this Option<T> option, params string[] values)
        where T : class?
    {
        ArgumentNullException.ThrowIfNull(option);
        option.CustomParser = result => result.Tokens.Count == 0 ? null : (T)(object)result.Tokens[^1].Value.ToLowerInvariant();
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is string value && !values.Contains(value, StringComparer.Ordinal))
            {
                result.AddError($"'{value}' is not a value of {option.Name}: {string.Join(", ", values.Select(v => $"'{v}'"))}");
            }
        });
        option.CompletionSources.Add(values);
        return option;
    }
}
