using System.Net;
using CdnProxy.Server.Tests.Playground;

namespace CdnProxy.Server.Tests;

/// <summary>
/// A server pays in memory only for the clients it uses: on the embedded default (no Redis, SQLite jobs, the tiny
/// face detector) the Redis client, its breaker, the PostgreSQL client, OpenCV's bindings and the HTTP client's TLS
/// stack stay unloaded through start-up (its warm-up requests included), health probes and renders. The runtime loads an assembly as soon as it compiles code naming one of its
/// types, so a refactoring can bring one back without any test of behaviour noticing.
/// </summary>
public sealed class EmbeddedDefaultFootprintTests
{
    [Fact]
    public async Task UnusedClients_AreNeverLoaded()
    {
        using var server = await EmbeddedDefaultServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using (var ready = await http.GetAsync(new Uri("/healthz/ready", UriKind.Relative)))
        using (var render = await http.GetAsync(new Uri("/v2/demo/t.resize(w:120,h:120,p:face)/photo-3mp-flower.jpg", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal(HttpStatusCode.OK, render.StatusCode);
        }

        var mapped = server.MappedFileNames();
        Assert.Contains("CdnProxy.Server.dll", mapped); // the check reads the right process
        Assert.DoesNotContain("StackExchange.Redis.dll", mapped);
        Assert.DoesNotContain("Polly.Core.dll", mapped);
        Assert.DoesNotContain("Npgsql.dll", mapped);
        Assert.DoesNotContain("OpenCvSharp.dll", mapped);
        Assert.DoesNotContain("System.Net.Security.dll", mapped);
    }
}
