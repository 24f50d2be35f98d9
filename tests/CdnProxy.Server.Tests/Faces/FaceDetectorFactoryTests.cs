using CdnProxy.Core.Transformations.Faces;
using CdnProxy.Server.Faces;
using CdnProxy.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace CdnProxy.Server.Tests.Faces;

/// <summary>Which detector <c>CdnProxy:Faces</c> builds, and what a missing file means.</summary>
public sealed class FaceDetectorFactoryTests
{
    [Fact]
    public void The_default_is_the_tiny_network_with_set_up_s_weights()
    {
        var detector = FaceDetectorFactory.Create(new FaceOptions(), TestImages.RepositoryRoot, NullLogger.Instance);

        Assert.IsType<TinyFaceDetector>(detector);
        Assert.Equal(FaceSearchInput.Srgb, detector.Input);
    }

    [Fact]
    public void Without_the_default_weights_p_face_falls_back_to_attention()
    {
        var nowhere = Directory.CreateTempSubdirectory("cdnproxy-no-model-");
        try
        {
            Assert.Same(NoFaceDetector.Instance, FaceDetectorFactory.Create(new FaceOptions(), nowhere.FullName, NullLogger.Instance));
        }
        finally
        {
            nowhere.Delete();
        }
    }

    [Theory]
    [InlineData(FaceDetectorKind.TinyDnn, "CdnProxy:Faces:Model: the file does not exist")]
    [InlineData(FaceDetectorKind.OpenCv, "CdnProxy:Faces:Cascade: the file does not exist")]
    public void A_configured_file_that_does_not_exist_stops_start_up(FaceDetectorKind kind, string message)
    {
        var options = new FaceOptions { Detector = kind, Model = "/definitely/not/here.json", Cascade = "/definitely/not/here.xml" };

        var error = Assert.Throws<InvalidOperationException>(() => FaceDetectorFactory.Create(options, TestImages.RepositoryRoot, NullLogger.Instance));

        Assert.Equal(message, error.Message);
    }
}
