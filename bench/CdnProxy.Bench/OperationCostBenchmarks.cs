using BenchmarkDotNet.Attributes;
using CdnProxy.Core;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;
using CdnProxy.Vips;

namespace CdnProxy.Bench;

/// <summary>One benchmark case: a pattern rendered from one sample file.</summary>
/// <param name="Pattern">The transformation pattern (<c>original</c> is the decode + re-encode baseline).</param>
/// <param name="Source">A file name under <c>samples/</c>.</param>
public sealed record OperationCase(string Pattern, string Source)
{
    /// <summary>Shown in BenchmarkDotNet's tables and used as the case's name in the summary TSV.</summary>
    public override string ToString() => Source == OperationCostBenchmarks.Photo ? Pattern : $"{Pattern} @ {Source}";
}

/// <summary>
/// The cost of each operation in <see cref="TransformationCatalog.Default"/>: one representative pattern per operation,
/// rendered end to end with the real libvips renderer, as the server renders (decode + operation + encode; JPEG q80
/// unless the pattern sets a format). Compare each case with the <c>original</c> case of the same source.
/// Run by <c>bench/operations.sh</c>, with its own, longer-iteration job (see <see cref="Program"/>).
/// </summary>
[MemoryDiagnoser]
public class OperationCostBenchmarks
{
    public const string Photo = "photo-3mp-flower.jpg";
    public const string Alpha = "alpha-500-tulips.png";

    private RenderPlanBinder _binder = null!;
    private VipsImageRenderer _renderer = null!;
    private RenderContext _context = null!;
    private byte[] _source = null!;
    private RenderPlan _plan = null!;

    [ParamsSource(nameof(Cases))]
    public OperationCase Case { get; set; } = null!;

    public static IEnumerable<OperationCase> Cases()
    {
        string[] photo =
        [
            "original",
            "t.resize(w:300)", // shrink-on-load: libvips decodes the JPEG at 1/4 or 1/8 scale
            "t.resize(w:300,k:cubic)", // not lanczos3, so no shrink-on-load: a full decode, then the resize
            "t.extract(t:100,l:100,h:1000,w:1000)",
            "t.extend()",
            "t.trim()",
            "t.rotate(a:90)",
            "t.rotate(a:30)",
            "t.flip()",
            "t.flop()",
            "t.sharpen()",
            "t.median()",
            "t.blur(s:5)",
            "t.flatten()", // a no-op on this opaque JPEG; see the alpha cases
            "t.negate()",
            "t.normalise()",
            "t.linear(a:1.2,b:-10)",
            "t.modulate(b:2,s:0.5,h:180)",
            "t.grey()",
            "t.tint(c:ff8800)",
            "t.density(d:144)",
            "t.merge(i:YWxwaGEtNTAwLXR1bGlwcw)", // i = base64("alpha-500-tulips"): the RGBA PNG, centred
            "t.merge(i:YWxwaGEtNTAwLXR1bGlwcw,r:true,b:multiply)",
            "t.merge(m:wrap,i:YWxwaGEtNTAwLXR1bGlwcw,polys:[[[100_100]_[1100_200]_[600_1200]]])",
            "t.compress(q:60)",
            "t.toFormat(f:jpeg)",
            "t.toFormat(f:png)",
            "t.toFormat(f:webp)",
            "t.toFormat(f:avif)",
            "t.toFormat(f:gif)",
            "t.toFormat(f:tiff)",
        ];
        foreach (var pattern in photo)
        {
            yield return new OperationCase(pattern, Photo);
        }

        // t.flatten only does work on an image with alpha: a 500 × 500 RGBA PNG, re-encoded as PNG (its own format).
        yield return new OperationCase("original", Alpha);
        yield return new OperationCase("t.flatten()", Alpha);
    }

    [GlobalSetup]
    public void Setup()
    {
        VipsRuntime.Initialize(new VipsSettings());

        // Both need the started libvips: its start-up probe says which encoders exist.
        var capabilities = EncoderCapabilities.FromRuntime();
        _binder = new RenderPlanBinder(TransformationCatalog.Default, capabilities);
        _renderer = new VipsImageRenderer(new ImageEncoder(new EncoderOptions(), capabilities), TimeProvider.System);
        _source = File.ReadAllBytes(Path.Combine(FindSamples(), Case.Source));

        // The merge cases' image, as the fetch stage would hand it over.
        var mergeImage = File.ReadAllBytes(Path.Combine(FindSamples(), Alpha));
        _context = new RenderContext(new RenderLimits(), 1)
        {
            Files = new ReferencedFiles(new Dictionary<string, ReadOnlyMemory<byte>> { ["alpha-500-tulips"] = mergeImage }),
        };
        _plan = _binder.Bind(PatternGrammar.Parse(Case.Pattern));
    }

    /// <summary>Decode + the operation + encode, from the original's bytes copied once for libvips, as a request does.</summary>
    [Benchmark]
    public RenderedImage Render()
    {
        using var source = new SourceImage(_source);
        return _renderer.Render(source, _plan, _context);
    }

    private static string FindSamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var samples = Path.Combine(dir.FullName, "samples");
            if (File.Exists(Path.Combine(samples, Photo)))
            {
                return samples;
            }
        }

        throw new DirectoryNotFoundException($"No samples/{Photo} above {AppContext.BaseDirectory}");
    }
}
