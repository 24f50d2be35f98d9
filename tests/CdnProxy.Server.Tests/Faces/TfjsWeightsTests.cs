using System.Text.Json;
using CdnProxy.Server.Faces;

namespace CdnProxy.Server.Tests.Faces;

/// <summary>Reading TensorFlow.js weights, and refusing damaged ones with the reason.</summary>
public sealed class TfjsWeightsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cdnproxy-weights-");

    [Fact]
    public void Quantised_and_float_weights_are_read_in_manifest_order()
    {
        var manifest = Write(
            [Weight("a", [2, 2], quantised: (0.5, -1)), Weight("b", [2], quantised: null)],
            [0, 1, 2, 255, .. BitConverter.GetBytes(1.5f), .. BitConverter.GetBytes(-2f)]);

        var weights = TfjsWeights.Load(manifest);

        Assert.Equal([2, 2], weights["a"].Shape);
        Assert.Equal([-1, -0.5f, 0, 126.5f], weights["a"].Values);
        Assert.Equal([1.5f, -2f], weights["b"].Values);
    }

    [Theory]
    [InlineData(3, "truncated")]
    [InlineData(5, "the weight files hold 5 bytes, the manifest describes 4")]
    public void A_file_of_the_wrong_length_is_refused(int bytes, string reason)
    {
        var manifest = Write([Weight("a", [4], quantised: (1, 0))], new byte[bytes]);

        var error = Assert.Throws<InvalidDataException>(() => TfjsWeights.Load(manifest));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_weight_file_outside_the_manifest_folder_is_refused()
    {
        var manifest = Write([Weight("a", [1], quantised: (1, 0))], [0], file: "../elsewhere.bin");

        var error = Assert.Throws<InvalidDataException>(() => TfjsWeights.Load(manifest));

        Assert.Contains("not a plain file name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_that_is_not_one_is_refused()
    {
        var manifest = Path.Combine(_folder.FullName, "m.json");
        File.WriteAllText(manifest, """[{"paths": ["w.bin"]}]"""); // no "weights"
        File.WriteAllBytes(Path.Combine(_folder.FullName, "w.bin"), [0]);

        var error = Assert.Throws<InvalidDataException>(() => TfjsWeights.Load(manifest));

        Assert.Contains("not a TensorFlow.js weights manifest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_network_refuses_weights_of_another_shape()
    {
        var manifest = Write([Weight("conv0/filters", [3, 3, 3, 8], quantised: (1, 0))], new byte[3 * 3 * 3 * 8]);

        var error = Assert.Throws<InvalidDataException>(() => TinyFaceNetwork.Load(manifest));

        Assert.Contains("conv0/filters has shape [3, 3, 3, 8], expected [3, 3, 3, 16]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_copy_of_the_real_model_stops_start_up_with_the_reason()
    {
        var manifest = Path.Combine(_folder.FullName, FaceDetectorFactory.TinyFaceManifest);
        File.Copy(FaceLabels.TinyFaceModel(), manifest);
        var weights = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(FaceLabels.TinyFaceModel())!, "tiny_face_detector_model.bin"));
        File.WriteAllBytes(Path.Combine(_folder.FullName, "tiny_face_detector_model.bin"), weights[..(weights.Length - 100)]);
        using var factory = new CdnProxyFactory(new Dictionary<string, string?>
        {
            ["CdnProxy:Faces:Detector"] = "TinyDnn",
            ["CdnProxy:Faces:Model"] = manifest,
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var cause = Causes(error).OfType<InvalidDataException>().FirstOrDefault();
        Assert.True(cause is not null, error.ToString());
        Assert.Contains("the weight files end inside conv8/filters (truncated)", cause.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static IEnumerable<Exception> Causes(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Causes))
                {
                    yield return inner;
                }
            }
        }
    }

    private static object Weight(string name, int[] shape, (double Scale, double Min)? quantised) =>
        quantised is { } q
            ? new { name, shape, dtype = "float32", quantization = new { dtype = "uint8", scale = q.Scale, min = q.Min } }
            : new { name, shape, dtype = "float32" };

    private string Write(object[] weights, byte[] bytes, string file = "w.bin")
    {
        File.WriteAllBytes(Path.Combine(_folder.FullName, "w.bin"), bytes);
        var manifest = Path.Combine(_folder.FullName, "m.json");
        File.WriteAllText(manifest, JsonSerializer.Serialize(new[] { new { paths = new[] { file }, weights } }));
        return manifest;
    }
}
