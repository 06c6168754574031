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
        if (attachment.Data?.Value is not { } base64 || !TryDecode(base64, out var data))
        {
            return;
        }

        if (attachment.Size?.Value is int size && size != data.Length)
        {
            scope.Report(IssueSeverity.Error, IssueTypes.Structure, MessageIds.AttachmentSize,
                $"Stated Attachment Size {size} does not match actual attachment size {data.Length}.");
        }
    }

    private static bool TryDecode(string base64, out byte[] bytes)
    {
        var compact = string.Concat(base64.Where(c => !char.IsWhiteSpace(c)));
        bytes = new byte[compact.Length * 3 / 4 + 3];
        if (Convert.TryFromBase64String(compact, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
