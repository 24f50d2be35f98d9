using CdnProxy.Core.Assets;

namespace CdnProxy.Core.Tests.Assets;

public sealed class ExifTagsTests
{
    private static readonly KeyValuePair<string, string?>[] Fields =
    [
        new("exif-ifd0-Make", "TestCam (TestCam, ASCII, 8 components, 8 bytes)"),
        new("exif-ifd0-Orientation", "1 (Internal error (unknown value 1), Short, 1 components, 2 bytes)"),
        new("exif-ifd2-ExposureTime", "1/200 (1/200 sec., Rational, 1 components, 8 bytes)"),
        new("exif-ifd3-GPSLatitude", "51/1 30/1 0/1 (51, 30,  0, Rational, 3 components, 24 bytes)"),
        new("exif-ifd3-GPSLatitudeRef", "N (N, ASCII, 2 components, 2 bytes)"),
        new("exif-data", null),
        new("icc-profile-data", null),
        new("width", "12"),
    ];

    [Fact]
    public void From_LibvipsFields_GivesTagsAndRawValues_WithoutGps()
    {
        var tags = ExifTags.From(Fields, includeGps: false);

        Assert.Equal(
            new Dictionary<string, string> { ["ExposureTime"] = "1/200", ["Make"] = "TestCam", ["Orientation"] = "1" },
            tags);
    }

    [Fact]
    public void From_GpsAskedFor_AddsTheGpsDirectory()
    {
        var tags = ExifTags.From(Fields, includeGps: true);

        Assert.Equal("51/1 30/1 0/1", tags["GPSLatitude"]);
        Assert.Equal("N", tags["GPSLatitudeRef"]);
        Assert.Equal(5, tags.Count);
    }
}
