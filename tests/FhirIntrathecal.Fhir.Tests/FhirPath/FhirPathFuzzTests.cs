using System.Text;
using FhirIntrathecal.Fhir.FhirPath;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Tests.FhirPath;

/// <summary>Hostile and random input must end in a FHIRPath exception, never a crash, stack overflow or hang.</summary>
public class FhirPathFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Tokens =
    [
        "Patient", "name", "given", "family", ".", ".", "(", ")", "[", "]", "{", "}", ",", "+", "-", "*", "/", "|", "&", "=", "!=", "~", "!~",
        "<", ">", "<=", ">=", "and", "or", "xor", "implies", "is", "as", "in", "contains", "div", "mod", "true", "false",
        "1", "2.5", "0", "'abc'", "'", "`x`", "`", "@2020-01-01", "@2020-01-01T10:00:00Z", "@T10:30", "@", "$this", "$index", "$total",
        "%resource", "%context", "%`vs-x`", "%", "where(", "select(", "exists()", "count()", "iif(", "ofType(", "substring(", "matches(",
        "5 'mg'", "3 days", "first()", "children()", "descendants()", "repeat(", "aggregate(", "'\\u00'", "/*", "*/", "//", "\n",
    ];

    private static readonly Patient Focus = new()
    {
        Active = true,
        Name = { new HumanName { Family = "Doe", Given = { "Jim", "J" } } },
    };

    private static void MustNotCrash(string expression)
    {
        try
        {
            FhirPathCompiler.CompileUncached(expression).Evaluate(Focus);
        }
        catch (FhirPathException)
        {
            // Expected for most random input.
        }
    }

    [Fact]
    public void Random_token_sequences_only_raise_FHIRPath_exceptions()
    {
        var random = new Random(20261121);
        int syntax = 0, runtime = 0, ok = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var sb = new StringBuilder();
            var length = random.Next(1, 24);
            for (var j = 0; j < length; j++)
            {
                sb.Append(Tokens[random.Next(Tokens.Length)]).Append(random.Next(3) == 0 ? " " : "");
            }

            try
            {
                FhirPathCompiler.CompileUncached(sb.ToString()).Evaluate(Focus);
                ok++;
            }
            catch (FhirPathSyntaxException e)
            {
                Assert.InRange(e.Position, 0, sb.Length);
                syntax++;
            }
            catch (FhirPathEvaluationException)
            {
                runtime++;
            }
        }

        output.WriteLine($"20,000 random expressions: {ok} evaluated, {syntax} syntax errors, {runtime} evaluation errors");
        Assert.True(syntax > 10_000);
    }

    [Fact]
    public void Random_characters_only_raise_FHIRPath_exceptions()
    {
        var random = new Random(7);
        const string alphabet = "abcXYZ019.()[]{}'`\"@$%+-*/|&=!~<>,:;# \t\n\\\u00e9\u0000T";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(1, 40)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            MustNotCrash(new string(chars));
        }
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(100_000)]
    public void Deep_parentheses_are_a_syntax_error_not_a_stack_overflow(int depth)
    {
        var text = new string('(', depth) + "1" + new string(')', depth);
        var e = Assert.Throws<FhirPathSyntaxException>(() => FhirPathCompiler.CompileUncached(text));
        Assert.Contains("nested deeper", e.Message, StringComparison.Ordinal);
        Assert.Equal(Parser.MaxDepth, e.Position);
    }

    [Fact]
    public void Long_chains_and_deep_unary_operators_are_bounded()
    {
        Assert.Throws<FhirPathSyntaxException>(() => FhirPathCompiler.CompileUncached(string.Concat(Enumerable.Repeat("-", 50_000)) + "1"));
        Assert.Throws<FhirPathSyntaxException>(() => FhirPathCompiler.CompileUncached("name" + string.Concat(Enumerable.Repeat(".given", 50_000))));
        Assert.Throws<FhirPathSyntaxException>(() => FhirPathCompiler.CompileUncached(string.Join(" | ", Enumerable.Repeat("1", 50_000))));
        Assert.Throws<FhirPathSyntaxException>(() => FhirPathCompiler.CompileUncached(string.Concat(Enumerable.Repeat("where(", 10_000))));
        Assert.Throws<FhirPathSyntaxException>(() => FhirPathCompiler.CompileUncached("1" + string.Concat(Enumerable.Repeat("[0]", 10_000))));

        // Just under the limit still works.
        var ok = new string('(', 100) + "1" + new string(')', 100);
        Assert.Equal([1L], FhirPathCompiler.CompileUncached(ok).Evaluate(Focus));
    }

    [Theory]
    [InlineData("99999999999999999999999999999999999999999999999999")]
    [InlineData("1.99999999999999999999999999999999999999999999999999")]
    [InlineData("2147483648")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890")]
    [InlineData("1L")]
    public void Huge_numeric_literals_are_syntax_errors(string literal)
    {
        Assert.Throws<FhirPathSyntaxException>(() => FhirPathCompiler.CompileUncached(literal));
    }

    [Theory]
    [InlineData("'abc", 0)]
    [InlineData("name.where(given = 'x", 19)]
    [InlineData("`abc", 0)]
    [InlineData("1 + /* open", 4)]
    [InlineData("'\\q'", 1)]
    [InlineData("'\\u12'", 1)]
    [InlineData("@20", 0)]
    [InlineData("@2020-13-01", 0)]
    [InlineData("name.", 5)]
    [InlineData("1 +", 3)]
    [InlineData("(1", 2)]
    [InlineData("1 2", 2)]
    [InlineData("name.given[", 11)]
    [InlineData("$foo", 0)]
    [InlineData("a.true", 2)]
    [InlineData("first(,)", 6)]
    [InlineData("1 is", 4)]
    [InlineData("#", 0)]
    public void Malformed_input_reports_the_position(string text, int position)
    {
        var e = Assert.Throws<FhirPathSyntaxException>(() => FhirPathCompiler.CompileUncached(text));
        Assert.Equal(position, e.Position);
        Assert.Equal(text, e.Expression);
    }

    [Fact]
    public void Repeat_that_never_converges_is_stopped()
    {
        var e = Assert.Throws<FhirPathEvaluationException>(() => FhirPathCompiler.Compile("(1).repeat($this + 1)").Evaluate(Focus));
        Assert.Contains("repeat()", e.Message, StringComparison.Ordinal);
        Assert.Equal([2L, 3L], FhirPathCompiler.Compile("(1 | 2).repeat(iif($this < 3, $this + 1, {}))").Evaluate(Focus).Order());
    }

    [Fact]
    public void Catastrophic_regex_backtracking_times_out_as_an_evaluation_error()
    {
        var context = new EvaluationContext { RegexTimeout = TimeSpan.FromMilliseconds(50) };
        var e = Assert.Throws<FhirPathEvaluationException>(() =>
            FhirPathCompiler.Compile("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('^(a+)+$')").Evaluate(Focus, context));
        Assert.Contains("timed out", e.Message, StringComparison.Ordinal);
    }
}
