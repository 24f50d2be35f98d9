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
