using System.Net.Http.Headers;
using System.Text;
using CdnProxy.Core.Transformations;
using CdnProxy.Server.Jobs;
using CdnProxy.Server.Jobs.Predictions;
using CdnProxy.Server.Jobs.SixPx;
using Xunit.Abstractions;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// What reading a 6px job or a prediction with a 3 MB image costs, in bytes allocated per byte of body, up to the
/// fields the job is checked on. The body is read once and parsed in place; a data URI still becomes one string (two
/// bytes a character) as the input's text. Before: a 6px body was also copied whole for the parser (4.00 bytes a byte),
/// a prediction's data URI was made a string three times over (8.00),
/// and the SDKs' multipart form made the image a base64 string, then a data URI string of it (8.09).
/// </summary>
public sealed class JobJsonBodyAllocationTests(ITestOutputHelper output)
{
    private static readonly JobsOptions Options = new() { MaxInputBytes = 4_000_000 };
    private static readonly byte[] Image = InMemoryBody.PngLike();

    [Fact]
    public void ASixPxBody_IsReadOnce_AndItsDataUriIsOneString()
    {
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"input":{"a":"data:image/png;base64,{{{Convert.ToBase64String(Image)}}}"},"output":[{"pattern":"t.resize(w:100)","type":"image/png","ref":{"a":"small"}}]}""");
        var perByte = InMemoryBody.AllocatedPerByte(body, () => ReadSixPx(body));

        output.WriteLine($"6px: {body.Length} bytes of body, {perByte:0.00} bytes allocated a byte");
        Assert.InRange(perByte, 0, 3.3); // the body, its data URI as a string (2), a margin
    }

    [Fact]
    public void APrediction_ReadsItsDataUriOnce()
    {
        var models = new PredictionModels(TransformationCatalog.Default);
        var body = Encoding.UTF8.GetBytes($$$"""{"name":"enhance_magic","input":{"image":"data:image/png;base64,{{{Convert.ToBase64String(Image)}}}"}}""");

        var perByte = InMemoryBody.AllocatedPerByte(body, () =>
        {
            var task = SixPxEndpoints.ReadJsonAsync(InMemoryBody.Context(body, "application/json"));
            Assert.True(task.IsCompleted, "a body in memory is read without waiting");
            var request = PredictionRequest.Parse(task.Result.Body, models, Options, "http://cdn.example");
            Assert.Equal(JobInputKind.Data, request.Image(Options).Kind);
        });

        output.WriteLine($"prediction: {body.Length} bytes of body, {perByte:0.00} bytes allocated a byte");
        Assert.InRange(perByte, 0, 3.3); // the body, its data URI as a string (2), a margin
    }

    [Fact]
    public async Task ASeedFormFile_BecomesOneDataUriString()
    {
        using var multipart = new MultipartFormDataContent("b0undary");
        var file = new ByteArrayContent(Image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        multipart.Add(file, "input.image", "input.png");
        var body = await multipart.ReadAsByteArrayAsync();
        var contentType = multipart.Headers.ContentType!.ToString();
        var perByte = InMemoryBody.AllocatedPerByte(body, () => ReadSeedForm(body, contentType));

        output.WriteLine($"seed form: {body.Length} bytes of body, {perByte:0.00} bytes allocated a byte");
        Assert.InRange(perByte, 0, 4.0); // the file (1), its data URI (2 x 4/3), a margin
    }

    private static void ReadSixPx(byte[] body)
    {
        var context = InMemoryBody.Context(body, "application/json");
        var task = SixPxEndpoints.ReadJsonAsync(context);
        Assert.True(task.IsCompleted, "a body in memory is read without waiting");
        var request = SixPxJobRequest.Parse(task.Result.Body, Options);
        Assert.Equal(JobInputKind.Data, request.Inputs[0].Kind);
    }

    private static void ReadSeedForm(byte[] body, string contentType)
    {
        var task = SeedForm.ReadAsync(InMemoryBody.Context(body, contentType), "erase_bg", Options.MaxInputBytes);
        Assert.True(task.IsCompleted, "a body in memory is read without waiting");
        Assert.StartsWith("data:image/png;base64,iVBOR", (string?)task.Result["input"]!["image"], StringComparison.Ordinal);
    }
}
