using System.Globalization;
using System.Numerics;

namespace FhirIntrathecal.Fhir.Terminology.Ucum;

/// <summary>Outcome of parsing: either a term or an error with its 0-based position.</summary>
internal sealed record UcumParseResult(UcumTerm? Term, string? Error, int Position);

/// <summary>
/// Recursive-descent parser for the UCUM grammar (main-term, term, component, annotatable), resolving
/// each unit symbol to prefix + atom against the essence as it goes.
/// </summary>
internal sealed class UcumParser
{
    // UCUM sets no limit, but unbounded exponents let one short string allocate huge numbers.
    private const int MaxExponent = 1000;

    // Each "(" recurses; a bound keeps a hostile "((((..." from exhausting the stack.
    private const int MaxNesting = 32;

    private readonly UcumEssence _essence;
    private readonly UcumLexer _lexer;
    private readonly string _text;
    private UcumToken _current;
    private int _depth;
    private string? _error;
    private int _errorPosition;

    private UcumParser(UcumEssence essence, string text)
    {
        _essence = essence;
        _text = text;
        _lexer = new UcumLexer(text);
        _current = _lexer.Next();
    }

    public static UcumParseResult Parse(UcumEssence essence, string text)
    {
        if (text.Length == 0)
        {
            return new UcumParseResult(null, "empty unit expression at 0", 0);
        }

        var parser = new UcumParser(essence, text);
        var term = parser.ParseMain();
        return term is null
            ? new UcumParseResult(null, parser._error, parser._errorPosition)
            : new UcumParseResult(term, null, -1);
    }

    /// <summary>Resolves a symbol to prefix + atom, preferring a whole-symbol atom (so "cd" is candela).</summary>
    public static (UcumPrefix? Prefix, UcumAtom? Atom, string? Error) ResolveSymbol(UcumEssence essence, string symbol, int position)
    {
        if (essence.Atoms.TryGetValue(symbol, out var whole))
        {
            return (null, whole, null);
        }

        UcumPrefix? nonMetricPrefix = null;
        UcumAtom? nonMetricAtom = null;
        foreach (var prefix in essence.PrefixesLongestFirst)
        {
            if (symbol.Length <= prefix.Code.Length || !symbol.StartsWith(prefix.Code, StringComparison.Ordinal))
            {
                continue;
            }

            if (essence.Atoms.TryGetValue(symbol[prefix.Code.Length..], out var atom))
            {
                if (atom.IsMetric)
                {
                    return (prefix, atom, null);
                }

                nonMetricPrefix ??= prefix;
                nonMetricAtom ??= atom;
            }
        }

        return nonMetricAtom is not null
            ? (null, null, $"prefix '{nonMetricPrefix!.Code}' cannot be used with non-metric unit '{nonMetricAtom.Code}' at {position}")
            : (null, null, $"unknown unit '{symbol}' at {position}");
    }

    private UcumTerm? ParseMain()
    {
        // main-term ::= "/" term | term
        var leadingSlash = _current.Kind == UcumTokenKind.Slash;
        if (leadingSlash)
        {
            Advance();
        }

        var term = ParseTerm(leadingSlash);
        if (term is null)
        {
            return null;
        }

        return _current.Kind switch
        {
            UcumTokenKind.End => term,
            UcumTokenKind.CloseParen => Fail($"unexpected ')' at {_current.Position}", _current.Position),
            _ => Unexpected("'.' or '/'"),
        };
    }

    private UcumTerm? ParseTerm(bool firstDivides)
    {
        // term ::= term "." component | term "/" component | component, i.e. left to right.
        var parts = new List<UcumTermPart>();
        var divide = firstDivides;
        while (true)
        {
            var component = ParseComponent();
            if (component is null)
            {
                return null;
            }

            parts.Add(new UcumTermPart(divide, component));
            if (_current.Kind is not (UcumTokenKind.Dot or UcumTokenKind.Slash))
            {
                return new UcumTerm(parts);
            }

            divide = _current.Kind == UcumTokenKind.Slash;
            Advance();
        }
    }

    private UcumComponent? ParseComponent()
    {
        var token = _current;
        switch (token.Kind)
        {
            case UcumTokenKind.Symbol:
                return ParseAnnotatable(token);
            case UcumTokenKind.Number:
                Advance();
                return new UcumFactorComponent(token.Position, BigInteger.Parse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture));
            case UcumTokenKind.Annotation:
                Advance();
                return new UcumAnnotationComponent(token.Position, token.Text);
            case UcumTokenKind.OpenParen:
                return ParseGroup(token);
            case UcumTokenKind.End:
                return Fail<UcumComponent>($"unexpected end of expression at {token.Position}: expected a unit", token.Position);
            default:
                return Unexpected<UcumComponent>("a unit");
        }
    }

    private UcumComponent? ParseAnnotatable(UcumToken symbol)
    {
        var (prefix, atom, error) = ResolveSymbol(_essence, symbol.Text, symbol.Position);
        if (atom is null)
        {
            return Fail<UcumComponent>(error!, symbol.Position);
        }

        Advance();
        var exponent = 1;
        if (_current.Kind == UcumTokenKind.Exponent)
        {
            if (!int.TryParse(_current.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
                || Math.Abs(exponent) > MaxExponent)
            {
                return Fail<UcumComponent>($"exponent '{_current.Text}' out of range (at most {MaxExponent}) at {_current.Position}", _current.Position);
            }

            Advance();
        }

        string? annotation = null;
        if (_current.Kind == UcumTokenKind.Annotation)
        {
            annotation = _current.Text;
            Advance();
        }

        return new UcumUnitComponent(symbol.Position, symbol.Text, prefix, atom, exponent, annotation);
    }

    private UcumComponent? ParseGroup(UcumToken open)
    {
        if (_depth == MaxNesting)
        {
            return Fail<UcumComponent>($"parentheses nested deeper than {MaxNesting} at {open.Position}", open.Position);
        }

        Advance();
        _depth++;
        var inner = ParseTerm(firstDivides: false);
        _depth--;
        if (inner is null)
        {
            return null;
        }

        if (_current.Kind == UcumTokenKind.CloseParen)
        {
            Advance();
            return new UcumGroupComponent(open.Position, inner);
        }

        return _current.Kind == UcumTokenKind.End
            ? Fail<UcumComponent>($"missing ')' for '(' at {open.Position}", open.Position)
            : Unexpected<UcumComponent>("'.', '/' or ')'");
    }

    private void Advance() => _current = _lexer.Next();

    private UcumTerm? Unexpected(string expected) => Unexpected<UcumTerm>(expected);

    private T? Unexpected<T>(string expected)
        where T : class
    {
        if (_current.Kind == UcumTokenKind.Error)
        {
            return Fail<T>(_current.Text, _current.Position);
        }

        var shown = _current.Kind == UcumTokenKind.End ? "end of expression" : $"'{_current.Text}'";
        return Fail<T>($"expected {expected} but found {shown} at {_current.Position}", _current.Position);
    }

    private UcumTerm? Fail(string message, int position) => Fail<UcumTerm>(message, position);

    private T? Fail<T>(string message, int position)
        where T : class
    {
        _error = message;
        _errorPosition = Math.Clamp(position, 0, _text.Length);
        return null;
    }
}
