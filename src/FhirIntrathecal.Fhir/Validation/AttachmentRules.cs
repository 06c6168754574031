using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Serialization;

namespace FhirIntrathecal.Fhir.Validation;

/// <summary>
/// Attachment.size is the "Number of bytes of content" (R4 Attachment): with inline data the reference validator checks
/// it against the decoded data ("Stated Attachment Size ... does not match actual attachment size ...").
/// </summary>
internal static class AttachmentRules
{
    public static void Validate(Attachment attachment, in Scope scope)
    {
        if (attachment.Size?.Value is not int size || attachment.Data?.Value is not { } base64 || !TextScan.TryGetBase64DecodedLength(base64, out var length))
        {
            return;
        }

        if (size != length)
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.AttachmentSize,
                $"Stated Attachment Size {size} does not match actual attachment size {length}.");
        }
    }
}
