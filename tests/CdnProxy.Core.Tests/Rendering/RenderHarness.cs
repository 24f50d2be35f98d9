using CdnProxy.Core.Planning;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Tests.Common;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Tests.Rendering;

/// <summary>Binds patterns and renders them with the real libvips renderer, as the server does.</summary>
internal static class RenderHarness
{
    /// <summary>What the test process's libvips can encode.</summary>
    public static EncoderCapabilities Capabilities { get; } = EncoderCapabilities.FromRuntime(VipsTestRuntime.Ensure());

    private static readonly RenderPlanBinder Binder = new(TransformationCatalog.Default, Capabilities);

    private static readonly VipsImageRenderer Renderer = Create(new EncoderOptions());

    /// <summary>A renderer with these encoder options, as the server builds it.</summary>
    public static VipsImageRenderer Create(EncoderOptions options) => new(new ImageEncoder(options, Capabilities), TimeProvider.System);

    /// <summary>Binds <paramref name="pattern"/> (e.g. <c>t.resize(w:300)</c> or <c>original</c>).</summary>
    public static RenderPlan Bind(string pattern) => Binder.Bind(PatternGrammar.Parse(pattern));

    /// <summary>The canonical text of <paramref name="pattern"/>.</summary>
    public static string Canonical(string pattern) => Bind(pattern).Canonical;

    public static RenderedImage Render(byte[] source, string pattern, RenderLimits? limits = null, double dpr = 1) =>
        Render(Renderer, source, pattern, limits, dpr);

    /// <summary>Renders with <paramref name="renderer"/> (see <see cref="Create"/>).</summary>
    public static RenderedImage Render(VipsImageRenderer renderer, byte[] source, string pattern, RenderLimits? limits = null, double dpr = 1)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        VipsTestRuntime.Ensure();
        return renderer.Render(source, Bind(pattern), new RenderContext(limits ?? new RenderLimits(), dpr));
    }

    /// <summary>Renders with <paramref name="files"/> as the referenced files (merge images by file id).</summary>
    public static RenderedImage Render(byte[] source, string pattern, IReadOnlyDictionary<string, byte[]> files, double dpr = 1, RenderLimits? limits = null)
    {
        VipsTestRuntime.Ensure();
        var referenced = new ReferencedFiles(files.ToDictionary(pair => pair.Key, pair => (ReadOnlyMemory<byte>)pair.Value));
        return Renderer.Render(source, Bind(pattern), new RenderContext(limits ?? new RenderLimits(), dpr) { Files = referenced });
    }

    /// <summary>Renders and opens the output for inspection; dispose the probe.</summary>
    public static ImageProbe RenderAndProbe(byte[] source, string pattern) => ImageProbe.Open(Render(source, pattern).Bytes);

    /// <summary>
    /// The mean absolute difference per band value (0–255) between two encoded images of the same size, sampled
    /// on a <paramref name="grid"/> × <paramref name="grid"/> grid of pixels.
    /// </summary>
    public static double MeanDifference(byte[] first, byte[] second, int grid = 12)
    {
        using var a = ImageProbe.Open(first);
        using var b = ImageProbe.Open(second);
        if (a.Width != b.Width || a.Height != b.Height)
        {
            throw new InvalidOperationException($"Sizes differ: {a.Width}x{a.Height} vs {b.Width}x{b.Height}");
        }

        double total = 0;
        var count = 0;
        for (var gy = 0; gy < grid; gy++)
        {
            for (var gx = 0; gx < grid; gx++)
            {
                var x = (int)((gx + 0.5) * a.Width / grid);
                var y = (int)((gy + 0.5) * a.Height / grid);
                var pa = a.Pixel(x, y);
                var pb = b.Pixel(x, y);
                for (var i = 0; i < Math.Min(3, Math.Min(pa.Length, pb.Length)); i++)
                {
                    total += Math.Abs(pa[i] - pb[i]);
                    count++;
                }
            }
        }

        return total / count;
    }
}
