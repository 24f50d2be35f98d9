using System.Reflection;
using CdnProxy.Tests.Common;

namespace CdnProxy.Vips.Tests;

public class VipsRuntimeTests
{
    private static readonly string BuiltWith = typeof(VipsRuntimeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "CdnProxyLibvips").Value!;

    [Fact]
    public void Initialize_LoadsLibvips818OrTheSystemFallback()
    {
        var info = VipsTestRuntime.Ensure();

        Assert.True(info.Version >= new Version(8, 13), $"libvips {info.Version} is too old");
        Assert.True(File.Exists(info.LibraryPath), info.LibraryPath);
        Assert.Equal(BuiltWith, info.Source);
    }

    // The bundled build ships aom (AV1) but no x265 (HEVC); the probe must report exactly what encodes.
    [Fact]
    public void Initialize_ProbesTheHeifEncoders()
    {
        var info = VipsTestRuntime.Ensure();

        Assert.All(info.HeifCompressions, c => Assert.Contains(c, new[] { "av1", "hevc" }));
        if (info.Source == "bundled")
        {
            Assert.Equal(["av1"], info.HeifCompressions);
        }

        using var image = VipsImage.Black(4, 4, bands: 3);
        foreach (var compression in info.HeifCompressions)
        {
            Assert.NotEmpty(image.SaveToBuffer("heifsave_buffer", new SaveOptions().Add("compression", compression == "hevc" ? NetVips.Enums.ForeignHeifCompression.Hevc : NetVips.Enums.ForeignHeifCompression.Av1).Add("effort", 0)));
        }
    }

    [Fact]
    public void Probe_EncodesATinyImage()
    {
        VipsTestRuntime.Ensure();

        Assert.True(VipsRuntime.Probe());
    }

    [Fact]
    public void Initialize_BlocksLoadersOutsideTheWebFormats()
    {
        VipsTestRuntime.Ensure();
        var matrix = Path.GetTempFileName();
        File.WriteAllText(matrix, "2 1\n1 2\n");
        try
        {
            var error = Assert.Throws<NetVips.VipsException>(() => NetVips.Operation.Call("matrixload", matrix));
            Assert.Contains("blocked", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(matrix);
        }
    }

    [Theory]
    [InlineData("photo-3mp-flower.jpg", "jpeg")]
    [InlineData("alpha-500-tulips.png", "png")]
    [InlineData("rose-lossy-alpha.webp", "webp")]
    [InlineData("anim-2frames.gif", "gif")]
    public void FindLoader_WebFormats_AreAllowed(string sample, string expected)
    {
        VipsTestRuntime.Ensure();

        var loader = VipsLoader.FindLoader(TestImages.Read(TestImages.Sample(sample)));

        Assert.Contains(expected, loader, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void FindLoader_PortablePixmap_IsNotAWebFormat()
    {
        VipsTestRuntime.Ensure();
        var ppm = "P6\n2 2\n255\n"u8.ToArray().Concat(new byte[12]).ToArray();

        Assert.Null(VipsLoader.FindLoader(ppm));
    }
}
