using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Core.Jobs;
using CdnProxy.Server.Jobs;
using CdnProxy.Server.Uploads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// <c>Jobs:RetentionDays</c> on the real server: a finished 6px job keeps its files in the jobs cloud until its retention
/// has passed; then the job, its downloaded input and its stored output are gone (the output's rendition no longer
/// served), while an output written to a destination stays.
/// </summary>
public sealed class JobRetentionTests : IAsyncLifetime
{
    private JobFaceServer? _server;

    public async Task InitializeAsync() => _server = await JobFaceServer.StartAsync(
        JobFaceServer.Settings(("CdnProxy:Jobs:RetentionDays", "2"), ("CdnProxy:Jobs:Destinations:archive", "cloud://uploads/archive")),
        JobFaceServer.ServesFlower);

    public async Task DisposeAsync() => await (_server?.DisposeAsync() ?? ValueTask.CompletedTask);

    [Fact]
    public async Task AJobPastItsRetention_IsForgotten_WithItsFilesInTheJobsCloud_ButNotItsDestinationsFiles()
    {
        var client = _server!.Client;
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["flower"] = new Uri(_server.Receiver.Server.BaseUrl, "flower.jpg").AbsoluteUri },
            ["output"] = new JsonArray(
                new JsonObject { ["pattern"] = "t.resize(w:120)", ["type"] = "image/png", ["ref"] = new JsonObject { ["flower"] = "kept-here" } },
                new JsonObject { ["pattern"] = "t.resize(w:80)", ["type"] = "image/jpeg", ["ref"] = new JsonObject { ["flower"] = "archived" }, ["url"] = "archive" }),
        };
        var (created, createdJson) = await client.ApiAsync(HttpMethod.Post, "/api/v1/jobs", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = (string)createdJson!["id"]!;
        var job = await _server.WaitForJobAsync(id);
        Assert.Equal("complete", (string?)job["status"]);
        var keptUrl = (string)job["processed"]!["output"]!["kept-here"]!["url"]!;
        using (var served = await client.GetImageAsync(keptUrl))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode); // now in the rendition cache too
        }

        var jobFolder = Path.Combine(client.UploadsFolder, "jobs", id);
        var archivedUrl = (string)job["processed"]!["output"]!["archived"]!["url"]!;
        Assert.Contains("/original/archive/archived.", archivedUrl, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.EnumerateFiles(jobFolder, "*", SearchOption.AllDirectories));

        var services = client.Factory.Services;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var retention = new JobRetention(
            services.GetRequiredService<IJobStore>(), services.GetRequiredService<UploadService>(), services.GetRequiredService<JobsOptions>(),
            time, NullLogger<JobRetention>.Instance);

        time.Advance(TimeSpan.FromDays(1));
        var early = await retention.PruneAsync(default);
        var stillThere = (await client.ApiAsync(HttpMethod.Get, "/api/v1/jobs/" + id)).Response.StatusCode;
        time.Advance(TimeSpan.FromDays(2));
        var due = await retention.PruneAsync(default);
        var again = await retention.PruneAsync(default);

        Assert.Equal((0, HttpStatusCode.OK), (early, stillThere));
        Assert.Equal((1, 0), (due, again));
        Assert.Equal(HttpStatusCode.NotFound, (await client.ApiAsync(HttpMethod.Get, "/api/v1/jobs/" + id)).Response.StatusCode);
        Assert.False(Directory.Exists(jobFolder));
        using var gone = await client.GetImageAsync(keptUrl);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var archived = await client.GetImageAsync(archivedUrl);
        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
    }
}
