using System.Globalization;
using System.Net;
using CdnProxy.Core.Transformations;
using CdnProxy.Tests.Common;
using Xunit.Abstractions;

namespace CdnProxy.Server.Tests.Golden;

/// <summary>
/// Every row of tests/golden/cases.json rendered through the HTTP endpoint and compared with sharp's reference
/// (scripts/golden/render-references.mjs): same format, size and alpha, density where the case sets one, and a PSNR
/// at least the case's class threshold. A failing case's output is written to TestResults/golden/.
/// </summary>
public sealed class GoldenTests(CdnProxyFactory factory, ITestOutputHelper output) : IClassFixture<CdnProxyFactory>
{
    [Fact]
    public void EveryOperationOfTheCatalog_HasGoldenCases()
    {
        var covered = GoldenCases.Cases.SelectMany(GoldenCases.Operations).ToHashSet(StringComparer.Ordinal);

        // sharp's references exist for Pixelbin's t.* (sharp) operations; 6px's filter.* and enhance.magic have no sharp
        // counterpart and carry their own pixel goldens (CdnProxy.Core.Tests/Transformations/SixPx and Enhance).
        var uncovered = TransformationCatalog.Default.Names
            .Where(name => name.StartsWith("t.", StringComparison.Ordinal) && !covered.Contains(name))
            .ToList();

        Assert.True(uncovered.Count == 0, "No golden case for: " + string.Join(", ", uncovered));
    }

    [Theory]
    [MemberData(nameof(GoldenCases.All), MemberType = typeof(GoldenCases))]
    public async Task Renders_like_sharp(string name)
    {
        var golden = GoldenCases.Case(name);
        var expected = GoldenCases.Reference(name);
        var query = golden.Dpr is { } dpr ? "?dpr=" + dpr.ToString(CultureInfo.InvariantCulture) : string.Empty;
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri($"/v2/golden/{golden.Pattern}/{golden.Input}{query}", UriKind.Relative));
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");

        var problems = new List<string>();
        var contentType = response.Content.Headers.ContentType?.MediaType;
        Check(problems, "format", "image/" + expected.Format, contentType);
        using var actual = ImageProbe.Open(body);
        using var reference = ImageProbe.Open(File.ReadAllBytes(GoldenCases.ReferenceImage(name)));
        Check(problems, "size", $"{expected.Width}x{expected.Height}", $"{actual.Width}x{actual.Height}");
        if (!AlphaPresence.Agrees(reference.Image, actual.Image))
        {
            problems.Add($"alpha is {actual.HasAlpha}, sharp's is {reference.HasAlpha}{(reference.HasAlpha ? " and translucent somewhere" : string.Empty)}");
        }

        if (expected.Density is { } density)
        {
            Check(problems, "density (dpi)", Math.Round(density), Math.Round(actual.Dpi));
        }

        if (actual.Width == reference.Width && actual.Height == reference.Height)
        {
            var psnr = Psnr.Between(reference.Image, actual.Image);
            var threshold = GoldenCases.Threshold(golden);
            output.WriteLine($"{name}: PSNR {psnr:F2} dB (class {golden.Class}, at least {threshold} dB)");
            if (psnr < threshold)
            {
                problems.Add($"PSNR {psnr:F2} dB is below {threshold} dB ({golden.Class})");
            }
        }

        if (problems.Count > 0)
        {
            var saved = SaveActual(name, contentType, body);
            Assert.Fail($"{name} ({golden.Pattern} on {golden.Input}) differs from sharp: {string.Join("; ", problems)}. Output: {saved}");
        }
    }

    private static void Check<T>(List<string> problems, string what, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            problems.Add($"{what} is {actual}, sharp's is {expected}");
        }
    }

    private static string SaveActual(string name, string? contentType, byte[] body)
    {
        var folder = Path.Combine(TestImages.RepositoryRoot, "TestResults", "golden");
        Directory.CreateDirectory(folder);
        var extension = contentType?.Split('/').Last() ?? "bin";
        var path = Path.Combine(folder, $"{name}.actual.{extension}");
        File.WriteAllBytes(path, body);
        return path;
    }
}
