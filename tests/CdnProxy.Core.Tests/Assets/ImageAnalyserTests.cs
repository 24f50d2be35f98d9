using CdnProxy.Core.Assets;
using CdnProxy.Core.Tests.Transformations.Faces;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Assets;

public sealed class ImageAnalyserTests
{
    [Fact]
    public void Analyse_Photo_HasMetaPaletteAndPlaceholder_FromAOneEighthDecode()
    {
        var flower = TestImages.Read(TestImages.Flower);

        var (info, decodedWidth, decodedHeight) = ImageAnalyser.Analyse(flower, new ImageAnalysisOptions());

        var meta = info.Context.Meta;
        Assert.Equal(("jpeg", 2268, 1512, "srgb", 3, flower.Length), (meta.Format, meta.Width, meta.Height, meta.Space, meta.Channels, meta.Size));
        Assert.InRange(info.Palette.Count, 2, 8);
        Assert.Equal(info.Palette[0].Hex, info.DominantColor);
        Assert.Equal(1.0, info.Palette.Sum(c => c.Share), 2);
        Assert.Equal(28, info.Blurhash!.Length);
        Assert.InRange(decodedWidth, 283, 284); // shrink-on-load 8, never the whole 3 MP
        Assert.Equal(189, decodedHeight);
        Assert.Null(info.Delays);
    }

    [Fact]
    public void Faces_AreLookedForInASmallUprightCopy_AndAnsweredInTheUprightOriginalsPixels()
    {
        var path = TestImages.Asset("edge/orientation/orientation_6.jpg");
        using var upright = NetVips.Image.NewFromFile(path).Autorot();
        var detector = new HalfBoxDetector();

        var (info, _, _) = ImageAnalyser.Analyse(TestImages.Read(path), new ImageAnalysisOptions { Faces = detector });
        var (plain, _, _) = ImageAnalyser.Analyse(TestImages.Read(path), new ImageAnalysisOptions());

        Assert.InRange(Math.Max(detector.Seen.Width, detector.Seen.Height), 1, CdnProxy.Core.Transformations.Faces.FaceSearch.MaxSide);
        Assert.Equal(upright.Width > upright.Height, detector.Seen.Width > detector.Seen.Height); // upright, not as stored
        var face = Assert.Single(info.Faces!);
        Assert.Equal((0, 0), (face.X, face.Y));
        Assert.InRange(face.Width, (upright.Width / 2) - 2, (upright.Width / 2) + 2);
        Assert.InRange(face.Height, (upright.Height / 2) - 2, (upright.Height / 2) + 2);
        Assert.Null(plain.Faces);
    }

    [Fact]
    public void AnOriginalOverThePixelLimit_IsRefusedFromItsHeader()
    {
        var error = Assert.Throws<CdnException>(() => ImageAnalyser.Analyse(TestImages.Read(TestImages.Flower), new ImageAnalysisOptions { MaxSourcePixels = 1_000_000 }));
        Assert.Equal(CdnErrorKind.LimitExceeded, error.Kind);
    }

    /// <summary>"Finds" one face: the top-left quarter of what it is shown, and remembers the size it was shown.</summary>
    [Fact]
    public void Analyse_16MpJpeg_DecodesAtAnEighth()
    {
        var photo = File.ReadAllBytes(Path.Combine(TestImages.RepositoryRoot, "bench", "images", "photo-16mp-seeding.jpg"));

        var (info, decodedWidth, _) = ImageAnalyser.Analyse(photo, new ImageAnalysisOptions());

        Assert.Equal(5312, info.Context.Meta.Width);
        Assert.InRange(decodedWidth, 1, (5312 + 7) / 8);
    }

    [Fact]
    public void Analyse_ExifAndProfile_GpsOnlyWhenAsked()
    {
        using var black = VipsImage.Black(64, 48, bands: 3);
        using var grey = (black + 90).Cast(NetVips.Enums.BandFormat.Uchar);
        using var tagged = grey.Mutate(m =>
        {
            m.Set(NetVips.GValue.RefStrType, "exif-ifd0-Make", "TestCam");
            m.Set(NetVips.GValue.RefStrType, "exif-ifd3-GPSLatitudeRef", "N");
        });
        var jpeg = tagged.JpegsaveBuffer(keep: NetVips.Enums.ForeignKeep.Exif | NetVips.Enums.ForeignKeep.Icc, profile: "srgb");

        var (plain, _, _) = ImageAnalyser.Analyse(jpeg, new ImageAnalysisOptions());
        var (withGps, _, _) = ImageAnalyser.Analyse(jpeg, new ImageAnalysisOptions { IncludeGps = true });

        Assert.Equal("TestCam", plain.Exif["Make"]);
        Assert.DoesNotContain("GPSLatitudeRef", plain.Exif.Keys);
        Assert.Equal("N", withGps.Exif["GPSLatitudeRef"]);
        Assert.False(string.IsNullOrWhiteSpace(plain.IccDescription));
        Assert.True(plain.Context.Meta.HasProfile);
        Assert.Equal("#5a5a5a", plain.DominantColor);
    }

    [Fact]
    public void Analyse_AnimatedGif_HasDelaysAndLoop()
    {
        var gif = TestImages.Read(TestImages.Sample("anim-2frames.gif"));

        var (info, _, decodedHeight) = ImageAnalyser.Analyse(gif, new ImageAnalysisOptions());

        Assert.Equal(2, info.Context.Meta.Pages);
        Assert.Equal([1000, 1000], info.Delays);
        Assert.Equal(0, info.Loop);
        Assert.Equal(info.Context.Meta.Height, decodedHeight);
    }

    [Fact]
    public void Analyse_NotAnImage_IsUnsupportedFormat() =>
        Assert.Equal(CdnErrorKind.UnsupportedFormat, Assert.Throws<CdnException>(() => ImageAnalyser.Analyse("hello"u8.ToArray(), new ImageAnalysisOptions())).Kind);
}
