using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// Request bodies in memory, for counting what reading one allocates: every read completes on the calling thread, so
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> counts it all, whatever the timing.
/// </summary>
internal static class InMemoryBody
{
    /// <summary>A request with the body, its type and declared length, under a 10 MB body cap.</summary>
    public static DefaultHttpContext Context(byte[] body, string contentType)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(new BodyCap());
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body, writable: false);
        return context;
    }

    /// <summary>Bytes <paramref name="read"/> allocates on this thread, per byte of <paramref name="body"/>, after a first call (JIT, statics) uncounted.</summary>
    public static double AllocatedPerByte(byte[] body, Action read)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(read);
        read();
        var before = GC.GetAllocatedBytesForCurrentThread();
        read();
        return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / body.Length;
    }

    /// <summary>3 MB of random bytes behind a PNG signature (what the sniffers look at).</summary>
    public static byte[] PngLike()
    {
        var image = new byte[3_000_000];
        new Random(7).NextBytes(image);
        ((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]).CopyTo(image);
        return image;
    }

    private sealed class BodyCap : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;

        public long? MaxRequestBodySize { get; set; } = 10_000_000;
    }
}
