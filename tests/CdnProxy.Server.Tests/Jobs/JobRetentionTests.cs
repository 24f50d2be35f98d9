using System.Net;
using System.Reflection;
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
/// served), while an output written to a destination stays; and a job that cannot be forgotten holds back no other.
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

    [Fact]
    public async Task AJobThatCannotBeForgotten_IsSkipped_TheOthersAreForgotten_AndTheNextPruneTakesIt()
    {
        var ids = await CompleteJobsAsync(3);
        var store = _server!.Client.Factory.Services.GetRequiredService<IJobStore>();
        var oldest = (await store.ListEndedAsync(DateTimeOffset.UtcNow.AddDays(1), 10, default))[0].Id;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(3));

        var first = await NewRetention(FailingDeletes.Wrap(store, id => id == oldest), time).PruneAsync(default);
        var remaining = await RemainingAsync(ids);
        var second = await NewRetention(store, time).PruneAsync(default);

        Assert.Equal(2, first);
        Assert.Equal([oldest], remaining);
        Assert.Equal((1, 0), (second, (await RemainingAsync(ids)).Count));
    }

    [Fact]
    public async Task JobsFailingInARow_StopThePrune_AfterThree()
    {
        var ids = await CompleteJobsAsync(4);
        var store = _server!.Client.Factory.Services.GetRequiredService<IJobStore>();
        var failing = FailingDeletes.Wrap(store, _ => true);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(3));

        var forgotten = await NewRetention(failing, time).PruneAsync(default);

        Assert.Equal((0, 3, 4), (forgotten, ((FailingDeletes)(object)failing).Attempts, (await RemainingAsync(ids)).Count));
    }

    private JobRetention NewRetention(IJobStore store, TimeProvider time)
    {
        var services = _server!.Client.Factory.Services;
        return new JobRetention(store, services.GetRequiredService<UploadService>(), services.GetRequiredService<JobsOptions>(), time, NullLogger<JobRetention>.Instance);
    }

    private async Task<List<string>> CompleteJobsAsync(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var body = new JsonObject
            {
                ["input"] = new JsonObject { ["flower"] = new Uri(_server!.Receiver.Server.BaseUrl, "flower.jpg").AbsoluteUri },
                ["output"] = new JsonArray(new JsonObject { ["pattern"] = "t.resize(w:40)", ["type"] = "image/jpeg", ["ref"] = new JsonObject { ["flower"] = "small" } }),
            };
            var (created, json) = await _server.Client.ApiAsync(HttpMethod.Post, "/api/v1/jobs", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            var id = (string)json!["id"]!;
            Assert.Equal("complete", (string?)(await _server.WaitForJobAsync(id))["status"]);
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>The jobs of <paramref name="ids"/> the API still answers.</summary>
    private async Task<List<string>> RemainingAsync(List<string> ids)
    {
        var remaining = new List<string>();
        foreach (var id in ids)
        {
            if ((await _server!.Client.ApiAsync(HttpMethod.Get, "/api/v1/jobs/" + id)).Response.StatusCode == HttpStatusCode.OK)
            {
                remaining.Add(id);
            }
        }

        return remaining;
    }

    /// <summary>The server's real store, except that forgetting a job <c>fails</c> picks throws (the store failing for that job).</summary>
    public class FailingDeletes : DispatchProxy
    {
        private IJobStore _inner = null!;
        private Func<string, bool> _fails = null!;

        /// <summary>Calls to <see cref="IJobStore.DeleteEndedAsync"/> so far.</summary>
        public int Attempts { get; private set; }

        public static IJobStore Wrap(IJobStore inner, Func<string, bool> fails)
        {
            var proxy = Create<IJobStore, FailingDeletes>();
            var failing = (FailingDeletes)(object)proxy;
            (failing._inner, failing._fails) = (inner, fails);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IJobStore.DeleteEndedAsync))
            {
                Attempts++;
                if (_fails((string)args![0]!))
                {
                    return Task.FromException<bool>(new IOException("The job store is unavailable"));
                }
            }

            return targetMethod.Invoke(_inner, args);
        }
    }
}
