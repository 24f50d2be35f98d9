using System.Net;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests;

/// <summary>Reading a successful image response in HTTP tests.</summary>
internal static class ImageResponseExtensions
{
    /// <summary>Asserts a 200 and decodes the body; dispose the probe.</summary>
    public static async Task<ImageProbe> ReadImageAsync(this HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ImageProbe.Open(await response.Content.ReadAsByteArrayAsync());
    }
}
