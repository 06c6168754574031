using System.Security.Cryptography;
using System.Text;

namespace FhirIntrathecal.Fhir.IO;

/// <summary>Why a name taken from content cannot be used as a file name. Stable: callers turn these into located errors.</summary>
public enum FileNameProblem
{
    None,
    Empty,
    TooLong,
    BadCharacter,
    LeadingDot,
}

/// <summary>
/// The one way a name that comes from content (an id, a resource type, a manifest entry, a source name) becomes a file
/// name: 1–64 characters of <c>[A-Za-z0-9._-]</c> (the FHIR id alphabet plus '_'), not starting with '.', so it can
/// name neither a parent folder, nor a hidden file, nor a path of its own, on any platform. Nothing here knows what the
/// names mean; callers report a <see cref="FileNameProblem"/> with their own location and code, never the value.
/// </summary>
public static class SafeFileNames
{
    /// <summary>The FHIR id limit; also far below every platform's file-name limit once an extension is added.</summary>
    public const int MaxLength = 64;

    /// <summary>How many "name_N" variants <see cref="CreateUnique"/> tries before it gives up.</summary>
    public const int MaxVariants = 100_000;

    public static FileNameProblem Check(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return FileNameProblem.Empty;
        }

        if (value.Length > MaxLength)
        {
            return FileNameProblem.TooLong;
        }

        foreach (var c in value)
        {
            if (!IsAllowed(c))
            {
                return FileNameProblem.BadCharacter;
            }
        }

        return value[0] == '.' ? FileNameProblem.LeadingDot : FileNameProblem.None;
    }

    /// <summary>Says why, never what the value held (it may be patient data).</summary>
    public static string Describe(FileNameProblem problem, int length = 0) => problem switch
    {
        FileNameProblem.Empty => "is empty",
        FileNameProblem.TooLong => $"is {length} characters long; a name used for a file may have at most {MaxLength}",
        FileNameProblem.BadCharacter => "holds a character other than A-Z, a-z, 0-9, '.', '-' and '_' (such as '/', '\\' or a space)",
        FileNameProblem.LeadingDot => "starts with '.' (it could name a parent folder or a hidden file)",
        _ => "is a valid name",
    };

    /// <summary><paramref name="value"/> + <paramref name="extension"/> when the value is a safe name; otherwise the problem.</summary>
    public static bool TryCreate(string? value, string extension, out string fileName, out FileNameProblem problem)
    {
        ArgumentNullException.ThrowIfNull(extension);
        problem = Check(value);
        fileName = problem == FileNameProblem.None ? value + extension : string.Empty;
        return problem == FileNameProblem.None;
    }

    /// <summary>
    /// Any text (a local source name, a correlation id) as a safe name: other characters become '_', a leading '.'
    /// becomes '_', and a name over the limit keeps its start plus a short hash of the whole, so distinct long inputs
    /// stay distinct. For names we derive ourselves; content ids go through <see cref="Check"/> and are errors instead.
    /// </summary>
    public static string Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "_";
        }

        var chars = value.Select(c => IsAllowed(c) ? c : '_').ToArray();
        if (chars[0] == '.')
        {
            chars[0] = '_';
        }

        var name = new string(chars);
        if (name.Length <= MaxLength)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 6));
        return string.Concat(name.AsSpan(0, MaxLength - hash.Length - 1), "_", hash);
    }

    /// <summary>
    /// <paramref name="folder"/>/<paramref name="fileName"/> as a full path, checked to lie directly inside the folder.
    /// A name that would leave it is a bug in the caller (names come from <see cref="Check"/> or <see cref="Sanitize"/>).
    /// </summary>
    public static string PathIn(string folder, string fileName)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(fileName);
        var root = Path.GetFullPath(folder);
        var full = Path.GetFullPath(Path.Combine(root, fileName));
        return string.Equals(Path.GetDirectoryName(full), Path.TrimEndingDirectorySeparator(root), StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"A file name would leave its folder {root}.", nameof(fileName));
    }

    /// <summary>A relative path that must stay under <paramref name="root"/> (any depth); throws when it would not.</summary>
    public static string PathUnder(string root, string relative)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(relative);
        var rootFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(rootFull, relative));
        return full.StartsWith(rootFull, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"'{relative}' would be written outside {root}.", nameof(relative));
    }

    /// <summary>
    /// Creates a new file in <paramref name="folder"/> named <paramref name="stem"/><paramref name="extension"/>, or
    /// <paramref name="stem"/>_1<paramref name="extension"/>, _2... when taken: never opens an existing file, so nothing
    /// already there is overwritten, even by a concurrent writer. The stem is sanitized.
    /// </summary>
    public static FileStream CreateUnique(string folder, string stem, string extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        Directory.CreateDirectory(folder);
        var safe = Sanitize(stem);
        for (var n = 0; n < MaxVariants; n++)
        {
            var path = PathIn(folder, n == 0 ? safe + extension : $"{safe}_{n}{extension}");
            if (File.Exists(path) || Directory.Exists(path))
            {
                continue;
            }

            try
            {
                return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Taken between the check and the create: try the next variant.
            }
        }

        throw new IOException($"No free file name for '{safe}{extension}' in {folder} after {MaxVariants} tries.");
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_';
}
