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
}
