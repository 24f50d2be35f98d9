using System.Net.Http.Headers;
using System.Text;
using CdnProxy.Server.Jobs;
using CdnProxy.Server.Jobs.Pixble;
using Xunit.Abstractions;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// What reading a Pixble body costs, in bytes allocated per byte of body (the body read, its fields, the decoded
/// image), for a 3 MB image in each form a client sends it. Before <see cref="PixbleData"/>, a JSON body cost 7.1
/// bytes a byte (a growing buffer, a JSON copy, a UTF-16 string, a decode buffer and its trimmed copy) and a
/// multipart file 7.4, a urlencoded form 10.3; the image alone is 0.75 of a base64 body.
/// </summary>
public sealed class PixbleBodyAllocationTests(ITestOutputHelper output)
{
    private static readonly JobsOptions Options = new() { MaxInputBytes = 4_000_000 };
    private static readonly byte[] Image = InMemoryBody.PngLike();

    public static TheoryData<string, double> Bodies => new()
    {
        // form, most bytes allocated per byte of body: the body once, the image once, a margin.
        { "json", 1.9 },
        { "json-data-uri", 1.9 },
        { "json-escaped-slashes", 1.9 },
        { "multipart-file", 1.2 },
        { "urlencoded", 2.0 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void ReadingABody_AllocatesTheBodyAndTheImageOnce_NotCopiesOfEither(string form, double most)
    {
        var (body, contentType) = Body(form);
        var perByte = InMemoryBody.AllocatedPerByte(body, () => Assert.Equal(Image, Read(body, contentType)));

        output.WriteLine($"{form}: {body.Length} bytes of body, {perByte:0.00} bytes allocated a byte");
        Assert.InRange(perByte, 0, most);
    }

    private static byte[] Read(byte[] body, string contentType)
    {
        var context = InMemoryBody.Context(body, contentType);
        var task = PixbleBody.ReadAsync(context.Request, PixbleEndpoints.MaxBody(Options), CancellationToken.None);
        Assert.True(task.IsCompleted, "a body in memory is read without waiting");
        return PixbleJobRequest.Parse(task.Result, Options, "http://cdn.example", _ => { }).Image;
    }

    private static (byte[] Body, string ContentType) Body(string form)
    {
        var base64 = Convert.ToBase64String(Image);
        switch (form)
        {
            case "json":
                return (Encoding.UTF8.GetBytes($$"""{"task":9,"key":"k","data":"{{base64}}"}"""), "application/json");
            case "json-data-uri":
                return (Encoding.UTF8.GetBytes($$"""{"task":9,"data":"data:image/png;base64,{{base64}}"}"""), "application/json");
            case "json-escaped-slashes":
                return (Encoding.UTF8.GetBytes($$"""{"task":9,"data":"{{base64.Replace("/", "\\/", StringComparison.Ordinal)}}"}"""), "application/json");
            case "urlencoded":
                return (Encoding.ASCII.GetBytes("task=9&data=" + Uri.EscapeDataString(base64)), "application/x-www-form-urlencoded");
            default:
                using (var multipart = new MultipartFormDataContent("b0undary"))
                {
                    multipart.Add(new StringContent("9"), "task");
                    var file = new ByteArrayContent(Image);
                    file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                    multipart.Add(file, "data", "input.png");
                    return (multipart.ReadAsByteArrayAsync().GetAwaiter().GetResult(), multipart.Headers.ContentType!.ToString());
                }
        }
    }
}
