using System.Runtime.InteropServices;

namespace FhirIntrathecal.Service.Ingest;

/// <summary>
/// Which inbox entries may be read: regular files and real folders only. A symbolic link could make the adapter read
/// (and then move) a file outside the inbox; a FIFO, socket or device would block the scan or never end. Those are
/// skipped; the caller warns once per name.
/// </summary>
public static partial class InboxEntryFilter
{
    /// <summary>Null when <paramref name="path"/> is a regular file or a folder (not a link); otherwise why it is skipped.</summary>
    public static string? Refusal(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return "a symbolic link (it could point outside the inbox)";
        }

        return FileType(path) switch
        {
            EntryType.Regular or EntryType.Directory or EntryType.Unknown => null,
            EntryType.Fifo => "a FIFO (reading it would block the inbox)",
            _ => "not a regular file (a socket or device)",
        };
    }

    private enum EntryType
    {
        Unknown,
        Regular,
        Directory,
        Fifo,
        Other,
    }

    /// <summary>
    /// The entry's type from lstat(2): .NET reports a FIFO as a normal empty file, and opening one to look would block.
    /// Unknown where lstat is unavailable (then the link check above is all there is).
    /// </summary>
    private static EntryType FileType(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Directory.Exists(path) ? EntryType.Directory : EntryType.Regular;
        }

        // st_mode's offset in struct stat: 24 on x86-64, 16 on the generic layout (arm64 and others).
        var modeOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        var buffer = new byte[256];
        try
        {
            if (NativeMethods.Lstat(path, buffer) != 0)
            {
                return EntryType.Unknown;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return EntryType.Unknown;
        }

        var mode = BitConverter.ToUInt32(buffer, modeOffset) & 0xF000;
        return mode switch
        {
            0x8000 => EntryType.Regular,
            0x4000 => EntryType.Directory,
            0x1000 => EntryType.Fifo,
            _ => EntryType.Other,
        };
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Lstat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
    }
}
