using CdnProxy.Core.Rendering;
using CdnProxy.Tests.Common;
using CdnProxy.Vips;

namespace CdnProxy.Core.Tests.Rendering;

/// <summary>Every output is stripped of EXIF, XMP, IPTC, GPS and ICC; KeepCopyright keeps only the notices.</summary>
public class MetadataTests
{
    private const string Copyright = "(c) 2024 Jane Doe";
    private const string Artist = "Jane Doe";

    /// <summary>A 300 px JPEG with EXIF copyright, artist, camera make and GPS, plus an Adobe RGB ICC profile.</summary>
    private static readonly Lazy<byte[]> Tagged = new(MakeTaggedJpeg);

    public static TheoryData<string> AllFormats => ["jpeg", "png", "webp", "avif", "heif", "gif", "tiff", "bmp"];

    public static TheoryData<string> ExifFormats => ["jpeg", "png", "webp", "avif", "heif"];

    [Fact]
    public void Source_CarriesEveryKindOfMetadata()
    {
        using var probe = ImageProbe.Open(Tagged.Value);

        Assert.True(probe.HasExifOrIcc);
        Assert.Contains(Artist, probe.Field("exif-ifd0-Artist"), StringComparison.Ordinal);
        Assert.NotNull(probe.Field("exif-ifd0-Make"));
        Assert.True(probe.HasFieldStartingWith("exif-ifd3-")); // GPS
    }

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void Render_AnyFormat_CarriesNoMetadata(string format)
    {
        var bytes = RenderHarness.Render(Tagged.Value, $"t.flip()~t.toFormat(f:{format})").Bytes;

        AssertNoMetadataBytes(bytes);
        if (format == "bmp")
        {
            return; // libvips here reads no BMP; the encoder writes no metadata at all (BmpEncoderTests).
        }

        using var probe = ImageProbe.Open(bytes);
        Assert.False(probe.HasExifOrIcc, format);
        Assert.False(probe.HasFieldStartingWith("iptc"), format);
        Assert.False(probe.HasFieldStartingWith("exif-"), format);
    }

    [Theory]
    [MemberData(nameof(ExifFormats))]
    public void Render_KeepCopyright_KeepsOnlyTheNotices(string format)
    {
        var renderer = RenderHarness.Create(new EncoderOptions { KeepCopyright = true });

        var bytes = RenderHarness.Render(renderer, Tagged.Value, $"t.resize(w:120)~t.toFormat(f:{format})").Bytes;
        using var probe = ImageProbe.Open(bytes);

        Assert.Equal(Copyright, ExifText(probe.Field("exif-ifd0-Copyright")));
        Assert.Equal(Artist, ExifText(probe.Field("exif-ifd0-Artist")));
        Assert.Null(probe.Field("exif-ifd0-Make"));
        Assert.False(probe.HasFieldStartingWith("exif-ifd3-"), "GPS survived");
        Assert.False(probe.HasFieldStartingWith("icc-profile") || probe.HasFieldStartingWith("xmp"));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("SecretCam"u8));
    }

    [Fact]
    public void Render_KeepCopyrightWithoutANotice_WritesNoExif()
    {
        var renderer = RenderHarness.Create(new EncoderOptions { KeepCopyright = true });

        var bytes = RenderHarness.Render(renderer, TestImages.Read(TestImages.Flower), "t.resize(w:50)").Bytes;
        using var probe = ImageProbe.Open(bytes);

        Assert.False(probe.HasExifOrIcc);
    }

    [Fact]
    public void Render_IccTaggedSource_ConvertedToSrgbAndServedWithoutAProfile()
    {
        var adobe = TestImages.Read(TestImages.Asset("derived/seeding-2000-adobergb-icc.jpg"));

        using var probe = RenderHarness.RenderAndProbe(adobe, "t.resize(w:100)~t.toFormat(f:png)");

        Assert.False(probe.HasExifOrIcc);
        Assert.Equal(NetVips.Enums.Interpretation.Srgb, probe.Interpretation);
    }

    // The value without libvips' " (value, ASCII, n components, m bytes)" description, trailing blanks trimmed.
    private static string? ExifText(string? rendered) =>
        rendered is null ? null : rendered[..rendered.IndexOf(" (", StringComparison.Ordinal)].TrimEnd();

    private static void AssertNoMetadataBytes(byte[] bytes)
    {
        foreach (var marker in new[] { "SecretCam"u8.ToArray(), "Jane Doe"u8.ToArray(), "ICC_PROFILE"u8.ToArray(), "Exif\0"u8.ToArray() })
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(marker));
        }
    }

    private static byte[] MakeTaggedJpeg()
    {
        VipsTestRuntime.Ensure();
        var adobe = TestImages.Read(TestImages.Asset("derived/seeding-2000-adobergb-icc.jpg"));
        using var small = VipsImage.ThumbnailBuffer(adobe, 300, height: 300);
        using var withCopyright = small.WithString("exif-ifd0-Copyright", Copyright);
        using var withArtist = withCopyright.WithString("exif-ifd0-Artist", Artist);
        using var withMake = withArtist.WithString("exif-ifd0-Make", "SecretCam");
        using var withGps = withMake.WithString("exif-ifd3-GPSLatitudeRef", "N");
        return withGps.SaveToBuffer("jpegsave_buffer", keep: NetVips.Enums.ForeignKeep.All);
    }
}
