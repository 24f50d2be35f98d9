using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Pipeline;

/// <summary>Which worker rules translate a <c>wrkr</c> URL: the cloud's for the default zone, a zone's own for that zone.</summary>
public sealed class RequestResolverWorkerTests
{
    private static readonly FakeOriginStore Origin = new("demo");

    [Fact]
    public void DefaultZone_UsesTheCloudsRules()
    {
        var resolved = Resolve("/v2/demo/wrkr/thumb/flower.jpg", CloudRules);

        Assert.Equal("t.resize(w:100)", resolved.Url.PatternText);
        Assert.Equal("flower.jpg", resolved.Url.FilePath);
    }

    [Fact]
    public void ZoneWithoutRules_PassesThrough_EvenWhenItsCloudHasRules()
    {
        // docs/worker-urls.md: a zone's rules are its own; none passes the path through.
        var resolved = Resolve("/v2/demo/z-slug/wrkr/t.resize(w:40)/flower.jpg", CloudRules);

        Assert.Equal("t.resize(w:40)", resolved.Url.PatternText);
        Assert.Equal("flower.jpg", resolved.Url.FilePath);
    }

    [Fact]
    public void ZoneWithRules_UsesItsOwn()
    {
        var resolved = Resolve("/v2/demo/z-slug/wrkr/small/flower.jpg", CloudRules, zoneWorker: path => path.Replace("small/", "t.resize(w:20)/", StringComparison.Ordinal));

        Assert.Equal("t.resize(w:20)", resolved.Url.PatternText);
    }

    // Every path becomes a 100 px thumbnail of its last segment, so a path the cloud's rules touched shows it.
    private static string CloudRules(string path) => "t.resize(w:100)/" + path[(path.LastIndexOf('/') + 1)..];

    private static ResolvedRequest Resolve(string path, Func<string, string> cloudWorker, Func<string, string>? zoneWorker = null)
    {
        return TestResolvers.For(new Catalog(cloudWorker, zoneWorker)).Resolve(new ImageRequest(path));
    }

    private sealed class Catalog(Func<string, string> cloudWorker, Func<string, string>? zoneWorker) : ICloudCatalog
    {
        public CloudBinding? Find(string cloud) => cloud == "demo"
            ? new CloudBinding(cloud, Origin, RequireSignedUrls: false, new Dictionary<string, ZoneBinding> { ["z-slug"] = new("z-slug", Origin, zoneWorker) }, cloudWorker)
            : null;

        public string? CloudForHost(string host) => null;
    }
}
