using CdnProxy.Core.Assets;
using CdnProxy.Core.Pipeline;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Assets;

/// <summary>Header facts as sharp's <c>metadata()</c> names them, read without decoding pixels; unknown content refused.</summary>
public sealed class ImageHeaderReaderTests
{
    public ImageHeaderReaderTests() => VipsTestRuntime.Ensure();

    [Fact]
    public void Jpeg_SizeSpaceDepthDensity()
    {
        var meta = Read(TestImages.Read(TestImages.Flower));

        Assert.Equal(("jpeg", 2268, 1512, "srgb", 3, "uchar", false, "image/jpeg"), (meta.Format, meta.Width, meta.Height, meta.Space, meta.Channels, meta.Depth, meta.HasAlpha, meta.ContentType));
        Assert.Equal((72d, "inch"), (meta.Density, meta.ResolutionUnit));
    }

    [Fact]
    public void PngWithAlpha_HasAlpha()
    {
        var meta = Read(TestImages.Read(TestImages.Sample("alpha-500-tulips.png")));

        Assert.Equal(("png", 4, true), (meta.Format, meta.Channels, meta.HasAlpha));
    }

    [Fact]
    public void IccProfile_AndSixteenBits_AreReported()
    {
        var icc = Read(TestImages.Read(TestImages.Asset("derived/seeding-2000-adobergb-icc.jpg")));
        var deep = Read(TestImages.Read(TestImages.Asset("png16-64px-rec2020-linear.png")));

        Assert.True(icc.HasProfile);
        Assert.Equal("ushort", deep.Depth);
    }

    [Fact]
    public void AnimatedWebp_ReportsPagesAndThePageHeight()
    {
        var meta = Read(TestImages.Read(TestImages.Asset("derived/anim-2frames-350.webp")));

        Assert.Equal(("webp", 2), (meta.Format, meta.Pages));
        Assert.True(meta.Height < meta.Width * 2);
    }

    [Fact]
    public void NotAnImage_IsUnsupported()
    {
        var error = Assert.Throws<CdnException>(() => Read("hello, this is text and no image at all"u8.ToArray()));

        Assert.Equal(CdnErrorKind.UnsupportedFormat, error.Kind);
    }

    [Fact]
    public void OnlyTheHeaderIsRead()
    {
        var bytes = TestImages.Read(TestImages.Flower);
        using var stream = new CountingStream(bytes);

        _ = ImageHeaderReader.Read(stream, bytes.Length);

        Assert.True(stream.BytesRead < bytes.Length / 4, $"read {stream.BytesRead} of {bytes.Length} bytes");
    }

    [Fact]
    public async Task OnRenderWorker_ReadsOnARenderThread_NeverOnThePool()
    {
        var bytes = TestImages.Read(TestImages.Flower);
        using var gate = new RenderGate(new RenderGateOptions { Workers = 1 });
        Thread? opener = null;

        var meta = await ImageHeaderReader.ReadOnRenderWorkerAsync(
            gate,
            () =>
            {
                opener = Thread.CurrentThread;
                return new MemoryStream(bytes, writable: false);
            },
            bytes.Length,
            CancellationToken.None);

        Assert.Equal(("jpeg", 2268), (meta.Format, meta.Width));
        Assert.NotNull(opener);
        Assert.False(opener.IsThreadPoolThread);
        Assert.Equal("render-1", opener.Name);
    }

    private static ImageMeta Read(byte[] bytes) => ImageHeaderReader.Read(new MemoryStream(bytes), bytes.Length);

    private sealed class CountingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public long BytesRead { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            var read = base.Read(buffer);
            BytesRead += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }
    }
}
