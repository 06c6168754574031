using System.Text;

namespace FhirIntrathecal.Fhir.FhirPath;

internal enum TokenKind
{
    End,
    Identifier,
    /// <summary>`delimited identifier` (never a keyword).</summary>
    DelimitedIdentifier,
    String,
    Number,
    Date,
    DateTime,
    Time,
    /// <summary>$this, $index, $total.</summary>
    Special,
    /// <summary>%name, %`name`, %'name'.</summary>
    External,
    Symbol,
}

internal readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    public bool Is(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

    public bool IsKeyword(string word) => Kind == TokenKind.Identifier && Text == word;

    public override string ToString() => Kind == TokenKind.End ? "end of expression" : $"'{Text}'";
}

/// <summary>Splits FHIRPath text into tokens; strings and delimited identifiers are unescaped here.</summary>
internal sealed class Lexer
{
    /// <summary>Longest numeric literal accepted: decimal has 28-29 significant digits, anything beyond is noise.</summary>
    private const int MaxNumberLength = 64;

    private readonly string _text;
    private int _pos;

    private Lexer(string text) => _text = text;

    public static List<Token> Tokenize(string text)
    {
        var lexer = new Lexer(text);
        var tokens = new List<Token>();
        while (true)
        {
            var t = lexer.Next();
            tokens.Add(t);
            if (t.Kind == TokenKind.End)
            {
                return tokens;
            }
        }
    }

    private FhirPathSyntaxException Error(string message, int position) => new(message, _text, position);

    private char Peek(int offset = 0) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private Token Next()
    {
        SkipTrivia();
        if (_pos >= _text.Length)
        {
            return new Token(TokenKind.End, "", _text.Length);
        }

        var start = _pos;
        var c = _text[_pos];
        if (char.IsAsciiLetter(c) || c == '_')
        {
            return new Token(TokenKind.Identifier, ReadIdentifierChars(), start);
        }

        if (char.IsAsciiDigit(c))
        {
            return ReadNumber(start);
        }

        switch (c)
        {
            case '\'':
                return new Token(TokenKind.String, ReadQuoted('\''), start);
            case '`':
                return new Token(TokenKind.DelimitedIdentifier, ReadQuoted('`'), start);
            case '@':
                return ReadDateTime(start);
            case '$':
                _pos++;
                if (!char.IsAsciiLetter(Peek()))
                {
                    throw Error("'$' must be followed by this, index or total", start);
                }

                var name = ReadIdentifierChars();
                if (name is not ("this" or "index" or "total"))
                {
                    throw Error($"unknown special variable '${name}'", start);
                }

                return new Token(TokenKind.Special, name, start);
            case '%':
                _pos++;
                return Peek() switch
                {
                    '`' => new Token(TokenKind.External, ReadQuoted('`'), start),
                    '\'' => new Token(TokenKind.External, ReadQuoted('\''), start),
                    var n when char.IsAsciiLetter(n) || n == '_' => new Token(TokenKind.External, ReadIdentifierChars(), start),
                    _ => throw Error("'%' must be followed by a variable name", start),
                };
        }

        // Two-character symbols first.
        if (_pos + 1 < _text.Length)
        {
            var two = _text.Substring(_pos, 2);
            if (two is "<=" or ">=" or "!=" or "!~")
            {
                _pos += 2;
                return new Token(TokenKind.Symbol, two, start);
            }
        }

        if ("+-*/|&=~<>()[]{},.".Contains(c, StringComparison.Ordinal))
        {
            _pos++;
            return new Token(TokenKind.Symbol, c.ToString(), start);
        }

        throw Error($"unexpected character '{(char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString())}'", start);
    }

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                while (_pos < _text.Length && _text[_pos] is not ('\n' or '\r'))
                {
                    _pos++;
                }
            }
            else if (c == '/' && Peek(1) == '*')
            {
                var end = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Error("unterminated comment", _pos);
                }

                _pos = end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private string ReadIdentifierChars()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private Token ReadNumber(int start)
    {
        while (char.IsAsciiDigit(Peek()))
        {
            _pos++;
        }

        // A '.' is part of the number only when a digit follows (1.toString() is an invocation on 1).
        if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
        {
            _pos++;
            while (char.IsAsciiDigit(Peek()))
            {
                _pos++;
            }
        }

        if (_pos - start > MaxNumberLength)
        {
            throw Error($"numeric literal longer than {MaxNumberLength} characters", start);
        }

        // FHIRPath 2.0 long literals (1L) are not R4, reject them clearly.
        if (char.IsAsciiLetter(Peek()) && Peek() == 'L' && !char.IsAsciiLetterOrDigit(Peek(1)))
        {
            throw Error("long integer literals (L suffix) are not supported in FHIRPath N1", start);
        }

        return new Token(TokenKind.Number, _text[start.._pos], start);
    }

    private string ReadQuoted(char quote)
    {
        var start = _pos;
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error(quote == '\'' ? "unterminated string" : "unterminated delimited identifier", start);
            }

            var c = _text[_pos++];
            if (c == quote)
            {
                return sb.ToString();
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (_pos >= _text.Length)
            {
                throw Error("unterminated escape sequence", _pos - 1);
            }

            var e = _text[_pos++];
            switch (e)
            {
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case '`': sb.Append('`'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length || !int.TryParse(_text.AsSpan(_pos, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code))
                    {
                        throw Error("invalid \\u escape: four hex digits expected", _pos - 2);
                    }

                    sb.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw Error($"invalid escape sequence '\\{e}'", _pos - 2);
            }
        }
    }

    private int Digits(int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (!char.IsAsciiDigit(Peek(i)))
            {
                return -1;
            }
        }

        _pos += count;
        return count;
    }

    private Token ReadDateTime(int start)
    {
        _pos++; // '@'
        if (Peek() == 'T')
        {
            _pos++;
            if (!ReadTime())
            {
                throw Error("invalid time literal", start);
            }

            return new Token(TokenKind.Time, _text[(start + 2).._pos], start);
        }

        if (Digits(4) < 0)
        {
            throw Error("invalid date/time literal: four-digit year expected after '@'", start);
        }

        if (Peek() == '-' && char.IsAsciiDigit(Peek(1)))
        {
            _pos++;
            if (Digits(2) < 0)
            {
                throw Error("invalid date literal: two-digit month expected", start);
            }

            if (Peek() == '-' && char.IsAsciiDigit(Peek(1)))
            {
                _pos++;
                if (Digits(2) < 0)
                {
                    throw Error("invalid date literal: two-digit day expected", start);
                }
            }
        }

        if (Peek() != 'T')
        {
            return new Token(TokenKind.Date, _text[(start + 1).._pos], start);
        }

        _pos++;
        if (char.IsAsciiDigit(Peek()))
        {
            if (!ReadTime())
            {
                throw Error("invalid time part in date/time literal", start);
            }

            ReadOffset(start);
        }

        return new Token(TokenKind.DateTime, _text[(start + 1).._pos], start);
    }

    private bool ReadTime()
    {
        if (Digits(2) < 0)
        {
            return false;
        }

        if (Peek() == ':' && char.IsAsciiDigit(Peek(1)))
        {
            _pos++;
            if (Digits(2) < 0)
            {
                return false;
            }

            if (Peek() == ':' && char.IsAsciiDigit(Peek(1)))
            {
                _pos++;
                if (Digits(2) < 0)
                {
                    return false;
                }

                if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
                {
                    _pos++;
                    while (char.IsAsciiDigit(Peek()))
                    {
                        _pos++;
                    }
                }
            }
        }

        return true;
    }

    private void ReadOffset(int start)
    {
        if (Peek() == 'Z')
        {
            _pos++;
        }
        else if (Peek() is '+' or '-' && char.IsAsciiDigit(Peek(1)) && char.IsAsciiDigit(Peek(2)) && Peek(3) == ':')
        {
            _pos++;
            Digits(2);
            _pos++;
            if (Digits(2) < 0)
            {
                throw Error("invalid time-zone offset", start);
            }
        }
    }
}
