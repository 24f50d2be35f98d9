using CdnProxy.Tests.Common;
using NetVips;

namespace CdnProxy.Vips.Tests;

/// <summary>Runs alone: the live-object count is process-wide.</summary>
[Collection("libvips objects")]
public class ImageExtensionsTests
{
    [Fact]
    public void SaveToBuffer_StripsMetadata_UnlessAskedToKeepIt()
    {
        VipsTestRuntime.Ensure();
        using var black = VipsImage.Black(16, 16, bands: 3);
        using var srgb = black.Copy(interpretation: Enums.Interpretation.Srgb);
        using var tagged = srgb.WithString("exif-ifd0-Copyright", "CdnProxy tests");

        var stripped = tagged.SaveToBuffer("jpegsave_buffer");
        var kept = tagged.SaveToBuffer("jpegsave_buffer", keep: Enums.ForeignKeep.Exif);

        using var strippedImage = VipsImage.NewFromBuffer(stripped);
        using var keptImage = VipsImage.NewFromBuffer(kept);
        Assert.False(strippedImage.HasField("exif-data"));
        Assert.StartsWith("CdnProxy tests", keptImage.GetString("exif-ifd0-Copyright"), StringComparison.Ordinal);
    }

    [Fact]
    public void SaveToBuffer_DropsOptionsThisLibvipsLacks_AndRefusesUnknownRequiredOnes()
    {
        VipsTestRuntime.Ensure();
        using var image = VipsImage.Black(8, 8, bands: 3);

        Assert.NotEmpty(image.SaveToBuffer("jpegsave_buffer", new SaveOptions().Add("Q", 70).AddIfSupported("no_such_option", 1)));
        Assert.ThrowsAny<Exception>(() => image.SaveToBuffer("jpegsave_buffer", new SaveOptions().Add("no_such_option", 1)));
    }

    [Fact]
    public void WithAnimation_SetsTheFieldsTheAnimatedSaversRead()
    {
        VipsTestRuntime.Ensure();
        // Rows of different greys, so no two frames are alike (the GIF encoder merges identical frames).
        using var xy = VipsImage.Xyz(4, 12);
        using var rows = xy.ExtractBand(1);
        using var strip = rows.Linear([20.0], [0.0], uchar: true);

        using var animation = strip.WithAnimation(4, [40, 50, 60], loop: 2);
        using var gif = VipsImage.NewFromBuffer(animation.SaveToBuffer("gifsave_buffer"), kwargs: new VOption { { "n", -1 } });

        Assert.Equal(4, gif.PageHeight);
        Assert.Equal([40, 50, 60], gif.GetIntArray("delay") ?? []);
        Assert.Equal(2, gif.GetInt("loop"));
        Assert.Throws<ArgumentException>(() => strip.WithAnimation(5, [40, 50], 0));
    }

    [Fact]
    public void WithoutMetadataExcept_KeepsOnlyTheAcceptedFields()
    {
        VipsTestRuntime.Ensure();
        using var black = VipsImage.Black(4, 4);
        using var first = black.WithString("exif-ifd0-Copyright", "kept");
        using var tagged = first.WithString("exif-ifd0-Make", "dropped");

        using var cleaned = tagged.WithoutMetadataExcept(field => field == "exif-ifd0-Copyright");

        Assert.True(cleaned.HasField("exif-ifd0-Copyright"));
        Assert.False(cleaned.HasField("exif-ifd0-Make"));
        Assert.True(tagged.HasField("exif-ifd0-Make")); // the original is untouched
    }

    [Fact]
    public void ReadPixels_HandsOverThePackedBands()
    {
        VipsTestRuntime.Ensure();
        byte[] pixels = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        using var image = ImageExtensions.FromPixels(pixels, width: 2, height: 2, bands: 3);

        Assert.Equal(pixels, image.ToPixelBytes());
        Assert.Equal(12, image.ReadPixels(span => span.Length));
    }

    [Fact]
    public void FindTrimBox_FindsTheContentInsideAFlatBorder()
    {
        VipsTestRuntime.Ensure();
        using var black = VipsImage.Black(10, 6);
        using var white = black.Linear([0.0], [255.0], uchar: true);
        using var framed = white.Embed(5, 4, 30, 20, Enums.Extend.Black);

        Assert.Equal((5, 4, 10, 6), framed.FindTrimBox(10, [0.0]));
    }

    [Fact]
    public void LiveObjectTypes_SeesImagesUntilTheyAreDisposed()
    {
        VipsTestRuntime.Ensure();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = VipsRuntime.LiveObjectTypes();

        var image = VipsImage.Black(8, 8);
        var alive = VipsRuntime.LiveObjectTypes();
        image.Dispose();

        Assert.True(alive.Count > before.Count, $"{alive.Count} live objects with an image, {before.Count} without");
        Assert.Contains("VipsImage", alive);
        Assert.Equal(before.Count, VipsRuntime.LiveObjectTypes().Count);
    }
}

[CollectionDefinition("libvips objects", DisableParallelization = true)]
public sealed class LibvipsObjectsGroup
{
}
