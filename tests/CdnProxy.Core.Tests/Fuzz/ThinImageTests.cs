using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Tests.Fuzz;

/// <summary>
/// Every operation of the catalogue after a resize to one pixel wide, high, or both (<c>t.resize(h:1)~t.median()</c>
/// is a URL anyone can send): it renders, or is refused as the client's error, never a 500.
/// </summary>
public class ThinImageTests
{
    private static readonly (string Name, byte[] Bytes)[] Sources = CatalogSamples.Sources;

    private static readonly Dictionary<string, byte[]> Files = CatalogSamples.Files;

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var thin in new[] { "t.resize(w:1,h:1,f:fill)", "t.resize(w:1,h:40,f:fill)", "t.resize(w:40,h:1,f:fill)", "t.resize(w:2,h:2,f:fill)" })
        {
            foreach (var operation in TransformationCatalog.Default.Names)
            {
                cases.Add(thin, $"{operation}()");
                if (CatalogLeakTests.Arguments.TryGetValue(operation, out var arguments))
                {
                    cases.Add(thin, $"{operation}({arguments})");
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnOperationOnAThinImage_RendersOrIsTheClientsError(string thin, string step)
    {
        foreach (var (name, bytes) in Sources)
        {
            try
            {
                _ = RenderHarness.Render(bytes, $"{thin}~{step}", Files);
            }
            catch (CdnException e) when (e.Kind is CdnErrorKind.InvalidArgument or CdnErrorKind.LimitExceeded)
            {
            }
            catch (CdnException e)
            {
                Assert.Fail($"{thin}~{step} on the {name}: {e.Kind}: {e.Message} ({e.InnerException?.Message.Trim()})");
            }
        }
    }
}

/// <summary>The info analysis (palette, dominant colour, EXIF, faces) of images one pixel thin, and of damaged ones.</summary>
public class ThinImageAnalysisTests
{
    [Theory]
    [InlineData("t.resize(w:1,h:1,f:fill)~t.toFormat(f:png)")]
    [InlineData("t.resize(w:1,h:40,f:fill)~t.toFormat(f:jpeg)")]
    [InlineData("t.resize(w:40,h:1,f:fill)~t.toFormat(f:webp)")]
    [InlineData("t.resize(w:2,h:2,f:fill)~t.toFormat(f:gif)")]
    public void AThinImage_IsAnalysed(string thin)
    {
        foreach (var (name, bytes) in CatalogSamples.Sources)
        {
            var image = RenderHarness.Render(bytes, thin).Bytes;
            try
            {
                var (info, _, _) = CdnProxy.Core.Assets.ImageAnalyser.Analyse(image, new CdnProxy.Core.Assets.ImageAnalysisOptions { Faces = new Transformations.Faces.HalfBoxDetector() });
                Assert.NotNull(info);
            }
            catch (CdnException e)
            {
                Assert.Fail($"{thin} of the {name}: {e.Kind}: {e.Message} ({e.InnerException?.Message.Trim()})");
            }
        }
    }
}
