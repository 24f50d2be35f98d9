using System.Runtime.InteropServices;

namespace CdnProxy.Vips;

/// <summary>
/// The C heap libvips allocates its pixel buffers from (glibc's malloc on Linux): few arenas (as MALLOC_ARENA_MAX),
/// optionally a fixed mmap threshold, and <see cref="Trim"/> to hand back what the heap holds while renders are idle,
/// so a storm of large renders does not leave the process big afterwards.
/// Elsewhere (musl, macOS, Windows) these are no-ops.
/// </summary>
public static partial class NativeHeap
{
    // mallopt parameters (malloc.h).
    private const int MmapThreshold = -3;
    private const int ArenaMax = -8;

    /// <summary>True when the process runs on glibc, whose malloc these settings are for.</summary>
    public static bool IsGlibc { get; } = OperatingSystem.IsLinux() && DetectGlibc();

    /// <summary>
    /// Applies the heap settings: at most <paramref name="arenas"/> arenas (as <c>MALLOC_ARENA_MAX</c>) and, when
    /// <paramref name="mmapThresholdBytes"/> is positive, a fixed mmap threshold. Call at start-up.
    /// </summary>
    /// <returns>True when glibc took the settings.</returns>
    public static bool Configure(int mmapThresholdBytes, int arenas) =>
        IsGlibc && mallopt(ArenaMax, arenas) == 1 && (mmapThresholdBytes <= 0 || mallopt(MmapThreshold, mmapThresholdBytes) == 1);

    /// <summary>Returns the heap's free memory to the system (<c>malloc_trim(0)</c>); true when some was returned.</summary>
    public static bool Trim() => IsGlibc && malloc_trim(0) != 0;

    /// <summary>
    /// Bytes the heap holds free, over every arena (glibc's <c>mallinfo2</c> <c>fordblks</c>); null where unknown.
    /// </summary>
    public static long? FreeBytes()
    {
        if (!IsGlibc)
        {
            return null;
        }

        try
        {
            return (long)mallinfo2().FreeBytes;
        }
        catch (EntryPointNotFoundException)
        {
            return null; // glibc before 2.33
        }
    }

    private static bool DetectGlibc()
    {
        try
        {
            return gnu_get_libc_version() != 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc")]
    private static partial int mallopt(int param, int value);

    [LibraryImport("libc")]
    private static partial int malloc_trim(nuint pad);

    [LibraryImport("libc")]
    private static partial nint gnu_get_libc_version();

    [LibraryImport("libc")]
    private static partial MallInfo2 mallinfo2();

    /// <summary>glibc's <c>struct mallinfo2</c>: ten <c>size_t</c> fields, the ninth the free bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo2
    {
        private readonly nuint _arena;
        private readonly nuint _ordblks;
        private readonly nuint _smblks;
        private readonly nuint _hblks;
        private readonly nuint _hblkhd;
        private readonly nuint _usmblks;
        private readonly nuint _fsmblks;
        private readonly nuint _uordblks;
        private readonly nuint _fordblks;
        private readonly nuint _keepcost;

        public nuint FreeBytes => _fordblks;
    }
}
