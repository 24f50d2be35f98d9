using System.Globalization;
using System.Text;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Fuzz;

/// <summary>
/// Renders random chains of the catalogue's operations, with random arguments drawn from each argument's own
/// description (edges included), on a photo, a PNG with alpha and an animation. Every render either gives an image
/// or fails with a client error kind: an argument the binder refuses, a limit, a missing file. Never
/// <see cref="CdnErrorKind.RenderFailed"/> (a 500) or an exception that is not ours.
/// </summary>
public class RandomChainRenderTests
{
    private const int Chains = 500;

    // FUZZ_SEED=n runs another sample (2,000 chains on each of seeds 1–5, 11 and 12 pass; seeds 2–3 found the merge offsets).
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var seed) ? seed : 20_261_206;

    private static readonly HashSet<CdnErrorKind> ClientErrorKinds =
    [
        CdnErrorKind.PatternSyntax, CdnErrorKind.UnknownTransformation, CdnErrorKind.InvalidArgument,
        CdnErrorKind.LimitExceeded, CdnErrorKind.ReferencedFileNotFound, CdnErrorKind.UnsupportedOperation,
    ];

    private static readonly (string Name, byte[] Bytes)[] Sources = CatalogSamples.Sources;

    private static readonly Dictionary<string, byte[]> Files = CatalogSamples.Files;

    // The URL's ?dpr= scales every size and offset of the chain.
    private static readonly double[] Dprs = [1, 1, 1, 0.5, 1.5, 2, 3, 5];

    // Small enough that the largest chains stay quick; a chain past them must be refused, not rendered.
    private static readonly RenderLimits Limits = new() { MaxOutputSide = 2_000, MaxOutputPixels = 2_000_000, MaxAvifPixels = 1_000_000 };

    [Fact]
    public void RandomChains_RenderOrFailWithAClientError()
    {
        var random = new Random(Seed);
        var operations = TransformationCatalog.Default.Describe();
        var failures = new List<string>();
        for (var i = 0; i < Chains; i++)
        {
            var pattern = string.Join('~', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Call(random, operations[random.Next(operations.Count)])));
            var (name, bytes) = Sources[random.Next(Sources.Length)];
            var dpr = Dprs[random.Next(Dprs.Length)];
            try
            {
                var rendered = RenderHarness.Render(bytes, pattern, Files, dpr, Limits);
                if (Size(rendered.Bytes) is not ( > 0, > 0))
                {
                    failures.Add($"{name} {pattern} dpr {dpr}: an empty image");
                }
            }
            catch (CdnException e) when (ClientErrorKinds.Contains(e.Kind))
            {
            }
            catch (Exception e)
            {
                failures.Add($"{name} {pattern} dpr {dpr}: {(e as CdnException)?.Kind.ToString() ?? e.GetType().Name}: {e.Message} ({e.InnerException?.Message.Trim()})");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>The size of an encoded image: libvips cannot read BMP (ours is written by our own encoder), so its header tells.</summary>
    private static (int Width, int Height) Size(byte[] encoded)
    {
        if (encoded is [(byte)'B', (byte)'M', ..] && encoded.Length > 26)
        {
            return (BitConverter.ToInt32(encoded, 18), Math.Abs(BitConverter.ToInt32(encoded, 22)));
        }

        using var probe = ImageProbe.Open(encoded);
        return (probe.Width, probe.Height);
    }

    private static string Call(Random random, OperationDescription operation)
    {
        var arguments = operation.Arguments.Where(_ => random.Next(2) == 0).Select(a => $"{a.Key}:{Value(random, a)}");
        return $"{operation.Name}({string.Join(',', arguments)})";
    }

    private static string Value(Random random, ArgumentDescription argument) => argument.Kind switch
    {
        ArgumentKind.Whole => Number(random, argument, whole: true),
        ArgumentKind.Number => Number(random, argument, whole: false),
        ArgumentKind.Boolean => random.Next(2) == 0 ? "true" : "false",
        ArgumentKind.Choice => argument.Choices![random.Next(argument.Choices.Count)],
        ArgumentKind.Colour => Hex(random, random.Next(2) == 0 ? 3 : 4),
        ArgumentKind.Quality => argument.Words is { Count: > 0 } words && random.Next(4) == 0
            ? words.Keys.ElementAt(random.Next(words.Count))
            : Number(random, argument, whole: true),
        ArgumentKind.BoundingBox => Box(random),
        ArgumentKind.BoundingBoxList => $"[{string.Join('_', Enumerable.Range(0, random.Next(1, 3)).Select(_ => $"[{Box(random)}]"))}]",
        ArgumentKind.PolygonList => $"[[{string.Join('_', Enumerable.Range(0, random.Next(3, 6)).Select(_ => $"[{random.Next(-5, 60)}_{random.Next(-5, 60)}]"))}]]",
        ArgumentKind.FileId => Base64Url("logo"), // a missing file is refused before the render, by the pipeline
        ArgumentKind.Pattern => Base64Url(random.Next(2) == 0 ? "t.resize(w:10)~t.flip()" : "t.rotate(a:90)"),
        _ => throw new InvalidOperationException(argument.Kind.ToString()),
    };

    private static string Number(Random random, ArgumentDescription argument, bool whole)
    {
        var min = argument.Min ?? -1000;
        var max = argument.Max ?? 1000;
        var value = random.Next(5) switch
        {
            0 => min,
            1 => max,
            2 => Math.Clamp(whole ? 1 : 0.5, min, max),
            _ => min + (random.NextDouble() * (max - min)),
        };
        return whole ? ((long)Math.Round(value)).ToString(CultureInfo.InvariantCulture) : Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);
    }

    private static string Box(Random random) => $"{random.Next(0, 60)}_{random.Next(0, 60)}_{random.Next(1, 80)}_{random.Next(1, 80)}";

    private static string Hex(Random random, int bytes) => Convert.ToHexStringLower([.. Enumerable.Range(0, bytes).Select(_ => (byte)random.Next(256))]);

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
