using CdnProxy.Core;
using CdnProxy.Core.Transformations;
using CdnProxy.Core.Transformations.Basic;
using CdnProxy.Core.Transformations.Faces;
using CdnProxy.Server.Faces;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Faces;

/// <summary>
/// <c>t.resize(w:200,h:200,p:face)</c> with the real default detector on the labelled portrait, placed at the far right
/// of a wide canvas so that a centred crop would cut the face out.
/// </summary>
public sealed class FaceCropTests
{
    private const int CanvasWidth = 1536;
    private const int PortraitLeft = CanvasWidth - 512;

    public static TheoryData<string> Detectors => [nameof(FaceDetectorKind.OpenCv), nameof(FaceDetectorKind.TinyDnn)];

    [Theory]
    [MemberData(nameof(Detectors))]
    public void The_whole_face_box_is_inside_the_crop(string kind)
    {
        IFaceDetector detector = kind == nameof(FaceDetectorKind.TinyDnn)
            ? FaceDetectorFactory.CreateTinyDnn(FaceLabels.TinyFaceModel())
            : FaceDetectorFactory.CreateOpenCv(FaceLabels.Cascade(FaceDetectorFactory.DefaultCascade));
        using var owned = detector as IDisposable;
        var face = FaceLabels.LabelsOf("astronaut.png").Single();
        using var portrait = VipsImage.NewFromFile(TestImages.Asset("faces/astronaut.png"));
        using var canvas = portrait.Embed(PortraitLeft, 0, CanvasWidth, 512).CopyMemory();
        var scale = 200.0 / 512;
        var faceLeft = (PortraitLeft + face.X) * scale;
        var faceRight = (PortraitLeft + face.Right) * scale;

        var faceCrop = Offset(canvas, Position.Face, detector);
        Assert.InRange(faceLeft, faceCrop, faceCrop + 200);
        Assert.InRange(faceRight, faceCrop, faceCrop + 200);
        // The test can fail: the centred crop leaves the face out.
        Assert.True(Offset(canvas, Position.Center, detector) + 200 < faceLeft);
    }

    [Fact]
    public void Without_faces_the_crop_follows_attention()
    {
        using var canvas = VipsImage.NewFromFile(TestImages.Flower).CopyMemory();
        using var cropped = Resize(Position.Face).Apply(canvas, Context(NoFaceDetector.Instance));
        using var scaled = canvas.Resize(200.0 / canvas.Height);
        using var attention = scaled.Smartcrop(200, 200, interesting: NetVips.Enums.Interesting.Attention);
        Assert.Equal((200, 200), (cropped.Width, cropped.Height));
        Assert.Equal(0, (cropped - attention).Abs().Max());
    }

    /// <summary>Where the 200×200 crop sits in the 600×200 resampled canvas: the offset whose cut-out matches it best.</summary>
    private static int Offset(VipsImage canvas, Position position, IFaceDetector detector)
    {
        using var cropped = Resize(position).Apply(canvas, Context(detector));
        Assert.Equal((200, 200), (cropped.Width, cropped.Height));
        using var scaled = canvas.Resize(200.0 / 512);
        return Enumerable.Range(0, scaled.Width - 200 + 1)
            .Select(x =>
            {
                using var cut = scaled.ExtractArea(x, 0, 200, 200);
                using var difference = (cut - cropped).Abs();
                return (X: x, Difference: difference.Avg());
            })
            .MinBy(c => c.Difference).X;
    }

    private static Resize Resize(Position position) =>
        new(200, 200, ResizeFit.Cover, Rgba.Black, position, NetVips.Enums.Kernel.Lanczos3, 1);

    private static RenderContext Context(IFaceDetector detector) => new(new RenderLimits(), 1) { Faces = detector };
}
