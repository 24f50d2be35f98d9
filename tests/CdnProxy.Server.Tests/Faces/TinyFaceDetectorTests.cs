using CdnProxy.Core;
using CdnProxy.Core.Transformations;
using CdnProxy.Core.Transformations.Faces;
using CdnProxy.Server.Faces;
using CdnProxy.Tests.Common;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Server.Tests.Faces;

/// <summary>The tiny face detector end to end: one box per face, the same every time, stopped by the render deadline.</summary>
public sealed class TinyFaceDetectorTests
{
    private static readonly TinyFaceDetector Detector = FaceDetectorFactory.CreateTinyDnn(FaceLabels.TinyFaceModel());

    [Fact]
    public void One_face_gives_one_box_on_the_label_and_the_same_box_every_time()
    {
        using var image = VipsImage.NewFromFile(TestImages.Asset("faces/astronaut.png"));

        var first = FaceSearch.Find(image, Detector, deadline: null);
        var again = FaceSearch.Find(image, Detector, deadline: null);

        var face = Assert.Single(first);
        Assert.True(face.Overlap(FaceLabels.LabelsOf("astronaut.png").Single()) >= 0.5, face.ToString());
        Assert.Equal(first, again);
    }

    [Fact]
    public void A_grey_source_is_searched_in_colour_space_too()
    {
        using var colour = VipsImage.NewFromFile(TestImages.Asset("faces/astronaut.png"));
        using var grey = colour.Colourspace(NetVips.Enums.Interpretation.Bw);

        var face = Assert.Single(FaceSearch.Find(grey, Detector, deadline: null));

        Assert.True(face.Overlap(FaceLabels.LabelsOf("astronaut.png").Single()) >= FaceLabels.MatchOverlap, face.ToString());
    }

    [Fact]
    public void A_render_out_of_time_stops_the_network_itself()
    {
        var time = new FakeTimeProvider();
        using var watchdog = new RenderWatchdog();
        using var deadline = new RenderDeadline(TimeSpan.FromSeconds(1), time, watchdog);
        using var image = VipsImage.NewFromFile(TestImages.Asset("faces/astronaut.png"));
        Assert.NotEmpty(Detector.Detect(image, deadline));

        time.Advance(TimeSpan.FromSeconds(2));
        deadline.KillIfDue(); // what the watchdog does on its next round

        // Called directly, not through FaceSearch (which checks before and after): the network checks between layers.
        Assert.Equal(CdnErrorKind.RenderTimeout, Assert.Throws<CdnException>(() => Detector.Detect(image, deadline)).Kind);
    }

    [Fact]
    public void Only_three_8_bit_bands_are_accepted()
    {
        using var grey = VipsImage.Black(64, 64);

        Assert.Throws<ArgumentException>(() => Detector.Detect(grey));
    }
}
