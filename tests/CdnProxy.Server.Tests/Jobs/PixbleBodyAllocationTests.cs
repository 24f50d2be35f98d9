using System.Net.Http.Headers;
using System.Text;
using CdnProxy.Server.Jobs;
using CdnProxy.Server.Jobs.Pixble;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// What reading a Pixble body costs, in bytes allocated per byte of body (the body read, its fields, the decoded
/// image), for a 3 MB image in each form a client sends it. Before <see cref="PixbleData"/>, a JSON body cost 6.4
/// bytes a byte (a growing buffer, a JSON copy, a UTF-16 string, a decode buffer and its trimmed copy) and a
/// multipart file 5.7; the image alone is 0.75 of a base64 body. Counted on this thread: the body is in memory, so
/// every read completes on it, and the count does not depend on timing.
/// </summary>
public sealed class PixbleBodyAllocationTests(ITestOutputHelper output)
{
    private const int ImageBytes = 3_000_000;
    private static readonly JobsOptions Options = new() { MaxInputBytes = 4_000_000 };
    private static readonly byte[] Image = MakeImage();

    public static TheoryData<string, double> Bodies => new()
    {
        // form, most bytes allocated per byte of body: the body once, the image once, a margin.
        { "json", 1.9 },
        { "json-data-uri", 1.9 },
        { "json-escaped-slashes", 1.9 },
        { "multipart-file", 1.2 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void ReadingABody_AllocatesTheBodyAndTheImageOnce_NotCopiesOfEither(string form, double most)
    {
        var (body, contentType) = Body(form);
        _ = Read(body, contentType); // warm: first-call allocations (JIT, statics) are not the body's

        var before = GC.GetAllocatedBytesForCurrentThread();
        var image = Read(body, contentType);
        var perByte = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / body.Length;

        output.WriteLine($"{form}: {body.Length} bytes of body, {perByte:0.00} bytes allocated a byte");
        Assert.Equal(Image, image);
        Assert.InRange(perByte, 0, most);
    }

    private static byte[] Read(byte[] body, string contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body, writable: false);
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

    private static byte[] MakeImage()
    {
        var image = new byte[ImageBytes];
        new Random(7).NextBytes(image);
        ((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]).CopyTo(image);
        return image;
    }
}
