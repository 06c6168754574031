using System.Net;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Rest;

/// <summary>
/// The server answered with an error status. Carries the status, the request, and the server's OperationOutcome
/// when it sent one, so callers can branch on the type (412, 422...) and report the server's own words.
/// </summary>
public class FhirOperationException : Exception
{
    public FhirOperationException()
    {
    }

    public FhirOperationException(string message)
        : base(message)
    {
    }

    public FhirOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FhirOperationException(string message, HttpStatusCode status, OperationOutcome? outcome, HttpMethod? method = null, Uri? requestUri = null)
        : base(message)
    {
        Status = status;
        Outcome = outcome;
        Method = method;
        RequestUri = requestUri;
    }

    public HttpStatusCode Status { get; }

    public OperationOutcome? Outcome { get; }

    public HttpMethod? Method { get; }

    public Uri? RequestUri { get; }

    /// <summary>The OperationOutcome's diagnostics and details texts, one per issue, for messages and reports.</summary>
    public IReadOnlyList<string> OutcomeMessages => Describe(Outcome);

    internal static IReadOnlyList<string> Describe(OperationOutcome? outcome) =>
        outcome?.Issue.Select(i => $"{i.Severity?.Value}/{i.Code?.Value}: {i.Diagnostics?.Value ?? i.Details?.Text?.Value}").ToList() ?? [];

    internal static FhirOperationException Create(HttpStatusCode status, OperationOutcome? outcome, HttpMethod method, Uri? uri, Uri? location = null)
    {
        var detail = Describe(outcome);
        var message = $"{method} {uri} failed with {(int)status} {status}" + (detail.Count > 0 ? ": " + string.Join("; ", detail) : ".");
        return status switch
        {
            >= HttpStatusCode.Ambiguous and < HttpStatusCode.BadRequest => new FhirRedirectException(
                $"{method} {uri} answered {(int)status} {status} redirecting to {location?.ToString() ?? "(no Location)"}; redirects are not followed.", status, method, uri, location),
            HttpStatusCode.NotFound => new FhirNotFoundException(message, status, outcome, method, uri),
            HttpStatusCode.Gone => new FhirGoneException(message, status, outcome, method, uri),
            HttpStatusCode.Conflict => new FhirConflictException(message, status, outcome, method, uri),
            HttpStatusCode.PreconditionFailed => new FhirPreconditionFailedException(message, status, outcome, method, uri),
            HttpStatusCode.UnprocessableEntity => new FhirUnprocessableEntityException(message, status, outcome, method, uri),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new FhirUnauthorizedException(message, status, outcome, method, uri),
            _ => new FhirOperationException(message, status, outcome, method, uri),
        };
    }
}

/// <summary>404: unknown type, id or operation.</summary>
public sealed class FhirNotFoundException(string message, HttpStatusCode status, OperationOutcome? outcome, HttpMethod? method, Uri? uri)
    : FhirOperationException(message, status, outcome, method, uri);

/// <summary>410: the resource was deleted.</summary>
public sealed class FhirGoneException(string message, HttpStatusCode status, OperationOutcome? outcome, HttpMethod? method, Uri? uri)
    : FhirOperationException(message, status, outcome, method, uri);

/// <summary>409: a version conflict on the server.</summary>
public sealed class FhirConflictException(string message, HttpStatusCode status, OperationOutcome? outcome, HttpMethod? method, Uri? uri)
    : FhirOperationException(message, status, outcome, method, uri);

/// <summary>412: If-Match named a stale version, or a conditional interaction matched several resources.</summary>
public sealed class FhirPreconditionFailedException(string message, HttpStatusCode status, OperationOutcome? outcome, HttpMethod? method, Uri? uri)
    : FhirOperationException(message, status, outcome, method, uri);

/// <summary>422: the content broke a profile or business rule; <see cref="FhirOperationException.Outcome"/> says which.</summary>
public sealed class FhirUnprocessableEntityException(string message, HttpStatusCode status, OperationOutcome? outcome, HttpMethod? method, Uri? uri)
    : FhirOperationException(message, status, outcome, method, uri);

/// <summary>401/403 after the auth handler's one renewal.</summary>
public sealed class FhirUnauthorizedException(string message, HttpStatusCode status, OperationOutcome? outcome, HttpMethod? method, Uri? uri)
    : FhirOperationException(message, status, outcome, method, uri);

/// <summary>The server's body could not be read as FHIR (malformed JSON/XML, wrong resource type).</summary>
public sealed class FhirFormatException : Exception
{
    public FhirFormatException()
    {
    }

    public FhirFormatException(string message)
        : base(message)
    {
    }

    public FhirFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FhirFormatException(string message, HttpStatusCode status, IReadOnlyList<ParseIssue> issues)
        : base(message)
    {
        Status = status;
        Issues = issues;
    }

    public HttpStatusCode Status { get; }

    public IReadOnlyList<ParseIssue> Issues { get; } = [];
}

/// <summary>
/// The server answered 3xx. Redirects are never followed: a POST turned into a GET elsewhere, or a PHI Bundle re-posted
/// to another origin, would be reported as delivered while the server never saw it. <see cref="Location"/> says where it pointed.
/// </summary>
public sealed class FhirRedirectException(string message, HttpStatusCode status, HttpMethod? method, Uri? uri, Uri? location)
    : FhirOperationException(message, status, null, method, uri)
{
    public Uri? Location { get; } = location;
}

/// <summary>The server's answer passed the configured cap (<see cref="FhirTransportOptions"/>); reading stopped there.</summary>
public sealed class FhirResponseTooLargeException(HttpStatusCode status, HttpMethod method, Uri? uri, long cap)
    : FhirOperationException($"{method} {uri}: the {(int)status} answer is larger than the {cap:N0}-byte cap; reading stopped there.", status, null, method, uri)
{
    public long Cap { get; } = cap;
}
