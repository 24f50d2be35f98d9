using CdnProxy.Core.Assets;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Fuzz;

/// <summary>
/// Originals damaged the ways storage and uploads damage them (cut short, bytes overwritten, a run of bytes
/// repeated or dropped) in every format we decode. Each render, and each info analysis, gives an answer or one of
/// the source errors (415, 422), never <see cref="CdnErrorKind.RenderFailed"/> (a 500) or an exception that is not
/// ours. (Of the damaged JPEG, PNG, GIF, WebP and SVG files 3–60 % still render; every damaged AVIF and HEIC here is
/// refused.)
/// </summary>
public class CorruptSourceTests
{
    private const int Seed = 20_261_206;

    private static readonly HashSet<CdnErrorKind> SourceErrorKinds =
    [
        CdnErrorKind.UndecodableImage, CdnErrorKind.UnsupportedFormat, CdnErrorKind.LimitExceeded, CdnErrorKind.SourceTooLarge,
    ];

    public static TheoryData<string, int> Sources => new()
    {
        { TestImages.Asset("edge/orientation/orientation_6.jpg"), 150 },
        { TestImages.Asset("edge/progressive-truncated.jpeg"), 60 },
        { TestImages.Asset("png16-64px-rec2020-linear.png"), 100 },
        { TestImages.Sample("anim-2frames.gif"), 100 },
        { TestImages.Asset("derived/anim-2frames-350.webp"), 100 },
        { TestImages.Sample("rose-lossy-alpha.webp"), 60 },
        { TestImages.Asset("svg-w3c-gradients.svg"), 100 },
        { TestImages.Asset("derived/seeding-2000.avif"), 25 },
        { TestImages.Asset("derived/seeding-2000.heic"), 10 },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public void ADamagedOriginal_RendersOrIsRefusedAsASourceError(string path, int mutations)
    {
        var original = TestImages.Read(path);
        var random = new Random(Seed + original.Length);
        var failures = new List<string>();
        for (var i = 0; i < mutations; i++)
        {
            var (damage, bytes) = Damage(random, original);
            Check(failures, $"{Path.GetFileName(path)} {damage}, rendered", () => RenderHarness.Render(bytes, "t.resize(w:48)"));
            Check(failures, $"{Path.GetFileName(path)} {damage}, analysed", () => ImageAnalyser.Analyse(bytes, new ImageAnalysisOptions()));
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static void Check<T>(List<string> failures, string what, Func<T> work)
    {
        try
        {
            _ = work();
        }
        catch (CdnException e) when (SourceErrorKinds.Contains(e.Kind))
        {
        }
        catch (Exception e)
        {
            failures.Add($"{what}: {(e as CdnException)?.Kind.ToString() ?? e.GetType().Name}: {e.Message} ({e.InnerException?.Message.Trim()})");
        }
    }

    private static (string Damage, byte[] Bytes) Damage(Random random, byte[] original)
    {
        var at = random.Next(1, original.Length);
        switch (random.Next(4))
        {
            case 0:
                return ($"cut at {at}", original[..at]);
            case 1:
                var overwritten = (byte[])original.Clone();
                var count = random.Next(1, 9);
                for (var i = 0; i < count; i++)
                {
                    overwritten[random.Next(Math.Min(original.Length, 64 + (original.Length / (i + 1))))] = (byte)random.Next(256);
                }

                return ($"{count} bytes overwritten", overwritten);
            case 2:
                var run = random.Next(1, Math.Min(256, original.Length - at + 1));
                return ($"{run} bytes repeated at {at}", [.. original[..(at + run)], .. original[at..]]);
            default:
                var dropped = random.Next(1, Math.Min(256, original.Length - at + 1));
                return ($"{dropped} bytes dropped at {at}", [.. original[..at], .. original[(at + dropped)..]]);
        }
    }
}
