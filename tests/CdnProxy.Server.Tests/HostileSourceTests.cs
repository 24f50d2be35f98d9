using System.Net;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests;

/// <summary>
/// Hostile originals from the GPL test set, fetched at test time into .testdata/ by scripts/setup.sh --for-tests
/// (never committed). Under CI they must be present.
/// </summary>
public sealed class HostileSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cdnproxy-hostile-").FullName;

    public static TheoryData<string, int, string> Cases => new()
    {
        { "edge/pixelbomb-64250x64250.jpg", 422, "limit_exceeded" },
        { "edge/pixelbomb-25200x33300.png", 422, "limit_exceeded" },
        { "edge/cmyk-truncated.jpg", 422, "undecodable_image" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileOriginal_IsRefusedWithoutDecodingIt(string fetched, int status, string code)
    {
        var source = TestImages.Fetched(fetched);
        if (source is null)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"{fetched} missing: run scripts/setup.sh --for-tests");
            return;
        }

        File.Copy(source, Path.Combine(_folder, "hostile" + Path.GetExtension(source)));
        using var factory = new CdnProxyFactory(new Dictionary<string, string?> { ["CdnProxy:Clouds:broken:Origin:Root"] = _folder });
        var client = factory.CreateClient();

        foreach (var pattern in new[] { "original", "t.resize(w:100)", "t.flip()" })
        {
            using var response = await client.GetAsync($"/v2/broken/{pattern}/hostile{Path.GetExtension(source)}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"{pattern}: {(int)response.StatusCode} {body}");
            Assert.Contains($"\"{code}\"", body, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
