using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// How many threads libvips gives each image. A fixed count (one by default: see <c>VipsOptions.Concurrency</c>) is
/// kept whatever runs; the adaptive mode gives a render alone every core and several renders one thread each (more
/// threads per image then only add switching). libvips reads the setting when an evaluation starts, so a change
/// reaches renders at their next stage.
/// </summary>
public sealed class RenderThreads
{
    private readonly int _fixed;
    private readonly int _cores;

    /// <param name="fixedThreads">Threads per image always; 0 adapts to the renders running.</param>
    /// <param name="cores">The cores a render alone may use.</param>
    public RenderThreads(int fixedThreads, int cores)
    {
        _fixed = fixedThreads;
        _cores = Math.Max(1, cores);
    }

    /// <summary>True when the count follows the renders running.</summary>
    public bool Adaptive => _fixed <= 0;

    /// <summary>Threads per image while <paramref name="running"/> renders run.</summary>
    public int For(int running) => Adaptive ? (running <= 1 ? _cores : 1) : _fixed;

    /// <summary>Applies the count for <paramref name="running"/> renders to libvips.</summary>
    public void OnRunningChanged(int running)
    {
        var threads = For(running);
        if (VipsRuntime.Concurrency != threads)
        {
            VipsRuntime.Concurrency = threads;
        }
    }
}
