using System.Globalization;

namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>
/// Pratt parser for the FHIRPath N1 grammar. Binding powers follow the grammar's precedence, lowest first:
/// implies; or xor; and; in contains; = ~ != !~; &lt; &gt; &lt;= &gt;=; |; is as; + - &amp;; * / div mod; unary + -; . [] (postfix).
/// Nesting is bounded by <see cref="MaxDepth"/> so hostile input ends in a syntax error, not a stack overflow.
/// </summary>
internal sealed class Parser
{
    /// <summary>Maximum depth of the syntax tree (parentheses, operators, invocation chains, arguments together).</summary>
    public const int MaxDepth = 256;

    private const int PrefixPower = 130;

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _pos;
    private int _depth;

    private Parser(string text)
    {
        _text = text;
        _tokens = Lexer.Tokenize(text);
    }

    public static Node Parse(string text)
    {
        var parser = new Parser(text);
        var node = parser.Expression(0);
        var end = parser.Current;
        if (end.Kind != TokenKind.End)
        {
            throw parser.Error($"unexpected {end} after a complete expression", end.Position);
        }

        return node;
    }

    private Token Current => _tokens[_pos];

    private FhirPathSyntaxException Error(string message, int position) => new(message, _text, position);

    private Token Advance() => _tokens[_pos++ < _tokens.Count - 1 ? _pos - 1 : _tokens.Count - 1];

    private void Expect(string symbol)
    {
        var t = Current;
        if (!t.Is(symbol))
        {
            throw Error($"expected '{symbol}' but found {t}", t.Position);
        }

        _pos++;
    }

    private void Enter(int position)
    {
        if (++_depth > MaxDepth || !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Error($"expression nested deeper than {MaxDepth} levels", position);
        }
    }

    /// <summary>Left binding power of the current token as an infix/postfix operator, 0 when it is not one.</summary>
    private static int InfixPower(Token t)
    {
        if (t.Kind == TokenKind.Symbol)
        {
            return t.Text switch
            {
                "." or "[" => 140,
                "*" or "/" => 120,
                "+" or "-" or "&" => 110,
                "|" => 90,
                "<" or ">" or "<=" or ">=" => 80,
                "=" or "~" or "!=" or "!~" => 70,
                _ => 0,
            };
        }

        if (t.Kind == TokenKind.Identifier)
        {
            return t.Text switch
            {
                "div" or "mod" => 120,
                "is" or "as" => 100,
                "in" or "contains" => 60,
                "and" => 50,
                "or" or "xor" => 40,
                "implies" => 30,
                _ => 0,
            };
        }

        return 0;
    }

    private Node Expression(int minPower)
    {
        var start = Current.Position;
        Enter(start);
        var left = Prefix();
        var chain = 0;
        while (true)
        {
            var t = Current;
            var power = InfixPower(t);
            if (power == 0 || power <= minPower)
            {
                break;
            }

            // Every operator adds a level to the tree even though this loop is iterative: keep the tree's depth bounded
            // for the recursive evaluator.
            Enter(t.Position);
            chain++;
            _pos++;
            if (t.Is("."))
            {
                left = Invocation(left);
            }
            else if (t.Is("["))
            {
                var index = Expression(0);
                Expect("]");
                left = new IndexerNode(t.Position, left, index);
            }
            else if (t.Text is "is" or "as")
            {
                left = new TypeOperatorNode(t.Position, t.Text == "as", left, QualifiedType());
            }
            else
            {
                // All binary operators are left-associative.
                var right = Expression(power);
                left = new BinaryNode(t.Position, t.Text, left, right);
            }
        }

        _depth -= chain + 1;
        return left;
    }

    private Node Prefix()
    {
        var t = Advance();
        switch (t.Kind)
        {
            case TokenKind.End:
                throw Error("unexpected end of expression", t.Position);
            case TokenKind.String:
                return new LiteralNode(t.Position, t.Text);
            case TokenKind.Number:
                return NumberOrQuantity(t);
            case TokenKind.Date:
                return FhirPathDate.TryParse(t.Text, out var d) ? new LiteralNode(t.Position, d) : throw Error($"invalid date literal '@{t.Text}'", t.Position);
            case TokenKind.DateTime:
                return FhirPathDateTime.TryParse(t.Text, out var dt) ? new LiteralNode(t.Position, dt) : throw Error($"invalid date/time literal '@{t.Text}'", t.Position);
            case TokenKind.Time:
                return FhirPathTime.TryParse(t.Text, out var tm) ? new LiteralNode(t.Position, tm) : throw Error($"invalid time literal '@{t.Text}'", t.Position);
            case TokenKind.Special:
                return new SpecialNode(t.Position, t.Text);
            case TokenKind.External:
                return new VariableNode(t.Position, t.Text);
            case TokenKind.DelimitedIdentifier:
                return Identifier(null, t);
            case TokenKind.Identifier:
                switch (t.Text)
                {
                    case "true": return new LiteralNode(t.Position, true);
                    case "false": return new LiteralNode(t.Position, false);
                    case "and" or "or" or "xor" or "implies" or "div" or "mod":
                        throw Error($"'{t.Text}' is an operator and needs a left operand", t.Position);
                }

                return Identifier(null, t);
        }

        switch (t.Text)
        {
            case "(":
                var inner = Expression(0);
                Expect(")");
                return inner;
            case "{":
                Expect("}");
                return new LiteralNode(t.Position, null);
            case "+" or "-":
                var operand = Expression(PrefixPower);
                return new UnaryNode(t.Position, t.Text == "-", operand);
            default:
                throw Error($"unexpected {t}", t.Position);
        }
    }

    private LiteralNode NumberOrQuantity(Token t)
    {
        object value;
        if (t.Text.Contains('.', StringComparison.Ordinal))
        {
            if (t.Text.Replace(".", "", StringComparison.Ordinal).TrimStart('0').Length > 28
                || !decimal.TryParse(t.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
            {
                throw Error($"decimal literal '{t.Text}' has more than 28 significant digits and cannot be represented exactly", t.Position);
            }

            value = d;
        }
        else
        {
            if (!int.TryParse(t.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            {
                throw Error($"integer literal '{t.Text}' is outside the 32-bit range of FHIRPath Integer", t.Position);
            }

            value = (long)i;
        }

        var next = Current;
        if (next.Kind == TokenKind.String)
        {
            _pos++;
            return new LiteralNode(t.Position, new FhirPathQuantity(Convert.ToDecimal(value, CultureInfo.InvariantCulture), next.Text));
        }

        if (next.Kind == TokenKind.Identifier && FhirPathQuantity.CalendarKeyword(next.Text) is { } unit)
        {
            _pos++;
            return new LiteralNode(t.Position, new FhirPathQuantity(Convert.ToDecimal(value, CultureInfo.InvariantCulture), unit));
        }

        return new LiteralNode(t.Position, value);
    }

    private Node Invocation(Node target)
    {
        var t = Advance();
        if (t.Kind is TokenKind.Identifier or TokenKind.DelimitedIdentifier)
        {
            if (t.Kind == TokenKind.Identifier && t.Text is "true" or "false" or "and" or "or" or "xor" or "implies" or "div" or "mod")
            {
                throw Error($"'{t.Text}' cannot be used as a name after '.'", t.Position);
            }

            return Identifier(target, t);
        }

        if (t.Kind == TokenKind.Special)
        {
            throw Error($"'${t.Text}' cannot follow '.'", t.Position);
        }

        throw Error($"expected a name or function after '.', found {t}", t.Position);
    }

    /// <summary>A name: element navigation, or a function call when '(' follows.</summary>
    private Node Identifier(Node? target, Token name)
    {
        if (!Current.Is("("))
        {
            return new MemberNode(name.Position, target, name.Text);
        }

        _pos++;
        var args = new List<Node>();
        if (!Current.Is(")"))
        {
            while (true)
            {
                args.Add(Expression(0));
                if (Current.Is(","))
                {
                    _pos++;
                    continue;
                }

                break;
            }
        }

        Expect(")");
        try
        {
            return new FunctionNode(name.Position, target, name.Text, [.. args]);
        }
        catch (FhirPathRuntimeError e)
        {
            throw Error(e.Message, name.Position);
        }
    }

    private TypeSpecifier QualifiedType()
    {
        var t = Advance();
        if (t.Kind is not (TokenKind.Identifier or TokenKind.DelimitedIdentifier))
        {
            throw Error($"expected a type name, found {t}", t.Position);
        }

        if (t.Text is "System" or "FHIR" && Current.Is(".") && _tokens[_pos + 1].Kind is TokenKind.Identifier or TokenKind.DelimitedIdentifier)
        {
            _pos++;
            var name = Advance();
            return new TypeSpecifier(t.Text, name.Text, t.Position);
        }

        return new TypeSpecifier(null, t.Text, t.Position);
    }
}
