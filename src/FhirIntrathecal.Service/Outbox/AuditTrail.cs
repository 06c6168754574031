using System.Globalization;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization.Json;

namespace FhirIntrathecal.Service.Outbox;

/// <summary>What the audit trail records.</summary>
public enum AuditAction
{
    Intake,
    Delivery,
    DeadLetter,
    Retry,
}

/// <summary>One stored audit entry: the FHIR R4 AuditEvent as JSON, with the columns it is queried by.</summary>
public sealed record AuditRecord(long Id, DateTimeOffset RecordedAt, AuditAction Action, bool Success, string Who, string EventJson);

/// <summary>
/// Builds the FHIR R4 AuditEvents of the adapter: who (the authenticated client, or the operator), what (outbox items
/// and correlation ids — never payload values), outcome (0 success, 4 failure). Stored in the outbox store and listed
/// by <c>outbox audit</c>.
/// </summary>
public static class AuditTrail
{
    public const string SubtypeSystem = "urn:fhir-intrathecal:audit";

    public static AuditRecord Event(AuditAction action, bool success, string who, string observer, DateTimeOffset at, string what, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(who);
        var audit = new AuditEvent
        {
            Type = new Coding { System = "http://terminology.hl7.org/CodeSystem/audit-event-type", Code = "rest", Display = "RESTful Operation" },
            Action = action is AuditAction.Intake ? "C" : "E",
            Recorded = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            Outcome = success ? "0" : "4",
            OutcomeDesc = detail,
            Source = new AuditEvent.SourceComponent { Observer = new Reference { Display = observer } },
        };
        audit.Subtype.Add(new Coding { System = SubtypeSystem, Code = Code(action) });
        audit.Agent.Add(new AuditEvent.AgentComponent { Who = new Reference { Display = who }, Requestor = true });
        audit.Entity.Add(new AuditEvent.EntityComponent { What = new Reference { Display = what } });
        return new AuditRecord(0, at, action, success, who, FhirJsonSerializer.SerializeToString(audit));
    }

    public static string Code(AuditAction action) => action switch
    {
        AuditAction.Intake => "intake",
        AuditAction.Delivery => "delivery",
        AuditAction.DeadLetter => "dead-letter",
        _ => "retry",
    };
}
