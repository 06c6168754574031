namespace FhirIntrathecal.Fhir.FhirPath;

/// <summary>Base of every FHIRPath failure: carries the expression text and the 0-based position in it (-1 when unknown).</summary>
public abstract class FhirPathException : Exception
{
    private protected FhirPathException(string message, string expression, int position, Exception? inner = null)
        : base(message, inner)
    {
        Expression = expression;
        Position = position;
    }

    /// <summary>The expression text that failed.</summary>
    public string Expression { get; }

    /// <summary>0-based character offset of the offending token, -1 when unknown.</summary>
    public int Position { get; }
}

/// <summary>The expression text is not valid FHIRPath (lexical or grammar error, or nested too deeply).</summary>
public sealed class FhirPathSyntaxException : FhirPathException
{
    public FhirPathSyntaxException(string message, string expression, int position)
        : base($"FHIRPath syntax error at position {position}: {message}", expression, position)
    {
        Reason = message;
    }

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; }
}

/// <summary>The expression is well-formed but wrong for the data (singleton expected, incompatible operands, unknown function...).</summary>
public sealed class FhirPathEvaluationException : FhirPathException
{
    public FhirPathEvaluationException(string message, string expression, int position, Exception? inner = null)
        : base(position >= 0 ? $"FHIRPath evaluation error at position {position}: {message}" : $"FHIRPath evaluation error: {message}", expression, position, inner)
    {
        Reason = message;
    }

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; }
}

/// <summary>A static (semantic) error found by strict checking, e.g. an element name the root type does not have.</summary>
public sealed class FhirPathSemanticException : FhirPathException
{
    public FhirPathSemanticException(string message, string expression, int position)
        : base($"FHIRPath semantic error at position {position}: {message}", expression, position)
    {
        Reason = message;
    }

    public string Reason { get; }
}

/// <summary>Thrown inside the engine without location; the node that catches it rethrows with expression and position.</summary>
internal sealed class FhirPathRuntimeError : Exception
{
    public FhirPathRuntimeError(string message)
        : base(message)
    {
    }

    public FhirPathRuntimeError()
    {
    }

    public FhirPathRuntimeError(string message, Exception inner)
        : base(message, inner)
    {
    }
}
