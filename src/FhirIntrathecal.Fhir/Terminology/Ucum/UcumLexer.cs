namespace FhirIntrathecal.Fhir.Terminology.Ucum;

internal enum UcumTokenKind
{
    End,
    Symbol,
    Number,
    Exponent,
    Annotation,
    Dot,
    Slash,
    OpenParen,
    CloseParen,
    Error,
}

/// <summary>A lexical token; <see cref="Position"/> is the 0-based offset of its first character.</summary>
internal readonly record struct UcumToken(UcumTokenKind Kind, string Text, int Position);

/// <summary>
/// Splits a UCUM case-sensitive expression into tokens, pulled one at a time so the parser reports
/// the leftmost problem first.
/// </summary>
/// <remarks>
/// Unit symbols are everything except the operators, parentheses, braces, digits and signs, because
/// digits and signs after a symbol start its exponent ("m2", "s-1"). Two exceptions come from the
/// essence itself: square-bracketed parts are opaque ("[m/s2/Hz^(1/2)]", "B[10.nV]", "m[H2O]") and
/// the atoms "10*" and "10^" begin with digits.
/// </remarks>
internal sealed class UcumLexer(string text)
{
    private int _pos;
    private UcumTokenKind _previous = UcumTokenKind.End;

    public UcumToken Next()
    {
        var token = Read();
        _previous = token.Kind;
        return token;
    }

    private UcumToken Read()
    {
        if (_pos >= text.Length)
        {
            return new UcumToken(UcumTokenKind.End, string.Empty, text.Length);
        }

        var start = _pos;
        var c = text[_pos];
        switch (c)
        {
            case '.':
                _pos++;
                return new UcumToken(UcumTokenKind.Dot, ".", start);
            case '/':
                _pos++;
                return new UcumToken(UcumTokenKind.Slash, "/", start);
            case '(':
                _pos++;
                return new UcumToken(UcumTokenKind.OpenParen, "(", start);
            case ')':
                _pos++;
                return new UcumToken(UcumTokenKind.CloseParen, ")", start);
            case '{':
                return ReadAnnotation();
            case '}':
                return Error($"unexpected '}}' at {start}", start);
        }

        // Right after a unit symbol, digits and signs are its exponent.
        if (_previous == UcumTokenKind.Symbol && (char.IsAsciiDigit(c) || c is '+' or '-'))
        {
            return ReadExponent();
        }

        if (char.IsAsciiDigit(c))
        {
            return ReadNumberOrPowerOfTen();
        }

        return c is '+' or '-' ? Error($"unexpected '{c}' at {start}", start) : ReadSymbol();
    }

    private UcumToken ReadExponent()
    {
        var start = _pos;
        if (text[_pos] is '+' or '-')
        {
            _pos++;
        }

        var digitsStart = _pos;
        while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
        {
            _pos++;
        }

        return _pos == digitsStart
            ? Error($"exponent sign '{text[start]}' must be followed by digits at {start}", start)
            : new UcumToken(UcumTokenKind.Exponent, text[start.._pos], start);
    }

    private UcumToken ReadNumberOrPowerOfTen()
    {
        var start = _pos;
        while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
        {
            _pos++;
        }

        // "10*" and "10^" are atoms (the number ten for arbitrary powers), not the factor 10.
        if (_pos - start == 2 && text[start] == '1' && text[start + 1] == '0' && _pos < text.Length && text[_pos] is '*' or '^')
        {
            _pos++;
            return new UcumToken(UcumTokenKind.Symbol, text[start.._pos], start);
        }

        return new UcumToken(UcumTokenKind.Number, text[start.._pos], start);
    }

    private UcumToken ReadSymbol()
    {
        var start = _pos;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c is '.' or '/' or '(' or ')' or '{' or '}' or '+' or '-' || char.IsAsciiDigit(c))
            {
                break;
            }

            if (c == '[')
            {
                var close = text.IndexOf(']', _pos + 1);
                if (close < 0)
                {
                    return Error($"missing ']' for '[' at {_pos}", _pos);
                }

                var invalid = FirstInvalidCharacter(_pos + 1, close);
                if (invalid >= 0)
                {
                    return Error($"invalid character '{text[invalid]}' at {invalid}", invalid);
                }

                _pos = close + 1;
                continue;
            }

            if (c == ']')
            {
                return Error($"unexpected ']' at {_pos}", _pos);
            }

            if (!IsPrintableAscii(c))
            {
                return Error($"invalid character '{c}' at {_pos}", _pos);
            }

            _pos++;
        }

        return new UcumToken(UcumTokenKind.Symbol, text[start.._pos], start);
    }

    private UcumToken ReadAnnotation()
    {
        var start = _pos;
        var close = text.IndexOf('}', start + 1);
        if (close < 0)
        {
            return Error($"missing '}}' for annotation starting at {start}", start);
        }

        // Annotations are ASCII 33-126 except braces (UCUM §2.1 / grammar ANNOTATION-STRING).
        for (var i = start + 1; i < close; i++)
        {
            if (!IsPrintableAscii(text[i]) || text[i] == '{')
            {
                return Error($"invalid character '{text[i]}' in annotation at {i}", i);
            }
        }

        _pos = close + 1;
        return new UcumToken(UcumTokenKind.Annotation, text[start.._pos], start);
    }

    private int FirstInvalidCharacter(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (!IsPrintableAscii(text[i]) || text[i] is '[' or '{' or '}')
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsPrintableAscii(char c) => c is >= '!' and <= '~';

    private UcumToken Error(string message, int position)
    {
        // Park at the end so a caller that keeps pulling sees End, not garbage.
        _pos = text.Length;
        return new UcumToken(UcumTokenKind.Error, message, position);
    }
}
