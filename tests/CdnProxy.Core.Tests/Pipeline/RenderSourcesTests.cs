using System.Buffers;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Pipeline;

public class RenderSourcesTests
{
    private static readonly VipsImageRenderer Renderer = RenderHarness.Create(new EncoderOptions());

    [Fact]
    public void TakeOriginal_GivesLibvipsItsCopy_AndReturnsTheFetchedBufferAtOnce()
    {
        VipsTestRuntime.Ensure();
        var bytes = TestImages.Read(TestImages.Flower);
        var plan = RenderHarness.Bind("t.resize(w:200)");
        var expected = Renderer.Render(bytes, plan, new RenderContext(new RenderLimits(), 1)).Bytes;
        var rented = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(rented, 0);
        using var sources = new RenderSources(OriginObject.FromPooled(rented, bytes.Length, null), new Dictionary<string, OriginObject>());

        using var original = sources.TakeOriginal();
        Array.Clear(rented); // back in the pool: the next fetch may write over it

        Assert.True(sources.Original.Content.IsEmpty);
        Assert.Equal(expected, Renderer.Render(original, plan, new RenderContext(new RenderLimits(), 1)).Bytes);
    }
}
