using CdnProxy.Core.Rendering;
using CdnProxy.Core.Tests.Transformations.Faces;
using CdnProxy.Core.Transformations;
using CdnProxy.Tests.Common;
using CdnProxy.Vips;

namespace CdnProxy.Core.Tests.Rendering;

[CollectionDefinition("libvips leak", DisableParallelization = true)]
public sealed class LibvipsLeakGroup
{
}

/// <summary>Runs alone: other tests' live images would show up in the process-wide counts.</summary>
[Collection("libvips leak")]
public class LeakTests
{
    [Fact]
    public void Render_ThousandMixedRendersIncludingFailures_LeaveNoLibvipsObjectsOrMemory()
    {
        VipsTestRuntime.Ensure();

        // Images other tests dropped without disposing are released by finalizers at an unknown time; flush them
        // first so the counts below are this test's alone. No collection is forced afterwards, so a handle the
        // renderer forgets to dispose still shows up.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.Empty(VipsRuntime.LiveObjectTypes());

        // Pixel buffers cached by threads of other tests are not this test's; compare against them.
        var trackedBefore = VipsRuntime.TrackedMemory;

        var flower = TestImages.Read(TestImages.Flower);
        var noise = new byte[2048];
        new Random(11).NextBytes(noise);
        byte[][] sources =
        [
            TestImages.Read(TestImages.Asset("edge/orientation/orientation_6.jpg")),
            TestImages.Read(TestImages.Asset("edge/gray.jpeg")),
            TestImages.Read(TestImages.Sample("cmyk-video001.jpeg")),
            TestImages.Read(TestImages.Asset("png16-64px-rec2020-linear.png")),
            TestImages.Read(TestImages.Sample("anim-2frames.gif")),
            TestImages.Read(TestImages.Asset("edge/progressive-truncated.jpeg")),
            flower,
            flower[..(flower.Length / 2)],
            noise,
            [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0],
        ];
        string[] patterns =
        [
            "t.resize(w:64)",
            "t.resize(w:48,h:48,f:contain,b:ff000080)~t.toFormat(f:png)",
            "t.resize(h:40,k:cubic)~t.flip()~t.toFormat(f:webp)",
            "t.resize(w:50)~t.rotate(a:30,b:00000000)~t.toFormat(f:png)",
            "t.resize(w:40,h:40,p:right)~t.flop()~t.compress(q:40)",
            "t.resize(w:32,h:60,f:fill)~t.toFormat(f:gif)",
            "t.resize(w:30,k:nearest)~t.rotate(a:-90)~t.toFormat(f:tiff)",
            "t.resize(w:60)~t.toFormat(f:avif,q:low)",
            "t.resize(w:64)~t.extend(t:4,l:4,b:4,r:4,bt:reflect)~t.trim(t:20)~t.toFormat(f:png)",
            "t.resize(w:50)~t.extend(bc:ff000080)~t.flatten(b:00ff00)~t.extract(t:2,l:2,h:20,w:20)",
        ];
        var smallLimits = new RenderLimits { MaxSourcePixels = 10_000 };

        int rendered = 0, failed = 0;
        for (var i = 0; i < 1000; i++)
        {
            var source = sources[i % sources.Length];
            var pattern = patterns[i / sources.Length % patterns.Length];
            var limits = i % 13 == 0 ? smallLimits : null;
            try
            {
                RenderHarness.Render(source, pattern, limits);
                rendered++;
            }
            catch (CdnException)
            {
                failed++;
            }
        }

        Assert.True(rendered > 500, $"{rendered} rendered");
        Assert.True(failed > 200, $"{failed} failed");
        Assert.Empty(VipsRuntime.LiveObjectTypes());
        // libvips' own worker threads may still hold the buffers of their last job (one strip, ~400 KB here) until
        // they idle out; anything leaked per render would be a thousand times that.
        Assert.InRange(VipsRuntime.TrackedMemory - trackedBefore, 0, 1024 * 1024);
    }
}

/// <summary>
/// Every operation of the catalogue, with arguments that make it do something, on a photo, a PNG with alpha and an
/// animation, leaves no libvips object alive, with no collection in between: an intermediate image left to its
/// finalizer holds its pixels until some later collection (one such in enhance.magic held ~90 objects a render).
/// </summary>
[Collection("libvips leak")]
public class CatalogLeakTests
{
    private const string Plain = "t.resize(w:64)";

    private static readonly (string Name, byte[] Bytes)[] Sources = CatalogSamples.Sources;

    private static readonly Dictionary<string, byte[]> Files = CatalogSamples.Files;

    /// <summary>Arguments for the operations whose defaults change nothing (the rest run with their defaults).</summary>
    internal static readonly Dictionary<string, string> Arguments = new(StringComparer.Ordinal)
    {
        ["t.resize"] = "w:32,h:32,p:attention",
        ["t.rotate"] = "a:30",
        ["t.extract"] = "t:2,l:2,h:10,w:10",
        ["t.blur"] = "s:2",
        ["t.compress"] = "q:40",
        ["t.density"] = "d:96",
        ["t.flatten"] = "b:ff0000",
        ["t.linear"] = "a:1.5,b:10",
        ["t.modulate"] = "b:2,h:30",
        ["t.tint"] = "c:ff0000",
        ["t.merge"] = "i:bG9nbw,b:multiply",
        ["filter.brightness"] = "a:20",
        ["filter.channels"] = "r:30",
        ["filter.contrast"] = "a:30",
        ["filter.crop"] = "x:2,y:2,w:20,h:10",
        ["filter.exposure"] = "a:30",
        ["filter.gamma"] = "a:2",
        ["filter.hue"] = "a:30",
        ["filter.layer"] = "i:bG9nbw,o:0.5",
        ["filter.noise"] = "a:30",
        ["filter.saturation"] = "a:30",
        ["filter.stackBlur"] = "a:3",
        ["filter.vibrance"] = "a:30",
    };

    /// <summary>Branches the one call per operation above does not take (each must also leave nothing alive).</summary>
    public static TheoryData<string> Branches =>
    [
        "t.resize(w:40,h:40,f:contain,b:ff000080)",
        "t.resize(w:40,h:20,f:cover,p:entropy)",
        "t.resize(w:40,h:40,f:fill,k:nearest)",
        "t.resize(w:40,h:40,f:outside)",
        "t.rotate(a:45,b:00ff0080)",
        "t.rotate(a:270)",
        "t.extend(t:3,l:3,b:3,r:3,bc:ff000080)",
        "t.extend(t:3,l:3,b:3,r:3,bt:wrap)",
        "t.extend(t:3,l:3,b:3,r:3,bt:replicate)",
        "t.trim(t:40)",
        "t.merge(m:underlay,i:bG9nbw,b:screen)",
        "t.merge(i:bG9nbw,r:true,g:north)",
        "t.merge(i:bG9nbw,g:custom,l:5,t:3)",
        "t.merge(bg:ff000080,h:10,w:20)",
        "t.merge(m:wrap,i:bG9nbw,bboxes:[[2_2_10_10]])",
        "t.merge(m:wrap,bg:ff0000,polys:[[[0_0]_[9_0]_[0_9]]])",
        "t.merge(i:bG9nbw,tr:dC5yZXNpemUodzoxMCl-dC5mbGlwKCk)",
        "enhance.magic(ai:5,ci:1,cc:1)",
        "enhance.magic(ai:0,ci:0,cc:1)",
        "filter.crop(face:true,pad:2)",
        "t.resize(w:30,h:30,p:face)",
        "t.toFormat(f:avif)",
        "t.toFormat(f:png,q:50)",
        "t.toFormat(f:gif,q:30)",
        "t.toFormat(f:tiff)",
        "t.toFormat(f:bmp)",
        "t.toFormat(f:heif)",
    ];

    [Theory]
    [MemberData(nameof(Branches))]
    public void Branch_LeavesNoLibvipsObjectAlive(string step)
    {
        StartWithNothingAlive();
        var pattern = $"{Plain}~{step}";

        foreach (var (name, bytes) in Sources)
        {
            _ = RenderHarness.Render(bytes, pattern, Files);
            var alive = VipsRuntime.LiveObjectTypes();
            Assert.True(alive.Count == 0, $"{pattern} on the {name}: {string.Join(", ", alive)} alive");
        }
    }

    public static TheoryData<string> Operations => [.. TransformationCatalog.Default.Names];

    [Theory]
    [MemberData(nameof(Operations))]
    public void Operation_LeavesNoLibvipsObjectAlive(string operation)
    {
        StartWithNothingAlive();
        var pattern = $"{Plain}~{operation}({Arguments.GetValueOrDefault(operation, string.Empty)})";

        var changedSomething = false;
        foreach (var (name, bytes) in Sources)
        {
            var rendered = RenderHarness.Render(bytes, pattern, Files).Bytes;
            var alive = VipsRuntime.LiveObjectTypes();
            Assert.True(alive.Count == 0, $"{pattern} on the {name}: {string.Join(", ", alive)} alive");
            changedSomething |= !rendered.AsSpan().SequenceEqual(RenderHarness.Render(bytes, Plain, Files).Bytes);
        }

        // Otherwise this test would prove nothing about the operation's own code.
        Assert.True(changedSomething, $"{pattern} changed none of the sources: give it arguments that do something");
    }

    [Theory]
    [InlineData("t.resize(w:30,h:30,p:face)")]
    [InlineData("filter.crop(face:true,pad:2)")]
    public void FaceSteps_AndTheInfoAnalysis_WithAFaceFound_LeaveNoLibvipsObjectAlive(string step)
    {
        StartWithNothingAlive();
        var renderer = new VipsImageRenderer(new ImageEncoder(new EncoderOptions(), RenderHarness.Capabilities), TimeProvider.System, faces: new HalfBoxDetector());
        var plan = RenderHarness.Bind($"{Plain}~{step}");

        foreach (var (name, bytes) in Sources)
        {
            _ = renderer.Render(bytes, plan, new RenderContext(new RenderLimits(), 1));
            _ = CdnProxy.Core.Assets.ImageAnalyser.Analyse(bytes, new CdnProxy.Core.Assets.ImageAnalysisOptions { Faces = new HalfBoxDetector() });
            var alive = VipsRuntime.LiveObjectTypes();
            Assert.True(alive.Count == 0, $"{step} and the analysis of the {name}: {string.Join(", ", alive)} alive");
        }
    }

    /// <summary>Images other tests left to their finalizers are released first, so what is alive after is this test's.</summary>
    private static void StartWithNothingAlive()
    {
        VipsTestRuntime.Ensure();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.Empty(VipsRuntime.LiveObjectTypes());
    }
}
