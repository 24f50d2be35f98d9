using System.Text.Json.Nodes;
using CdnProxy.Core.Jobs;
using CdnProxy.Server.Jobs;
using CdnProxy.Server.Jobs.SixPx;
using CdnProxy.Server.Jobs.Stores;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>6px's search over a real (SQLite) store: read in batches, paged, sorted, and stopped by its bounds.</summary>
public sealed class SixPxJobSearchTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("cdnproxy-search-").FullName;
    private readonly SixPxJobView _view = new(new JobsOptions());

    [Fact]
    public async Task ASearch_ReadsTheWindowInBatches_CountsEveryMatch_AndKeepsThePageInCreationOrder()
    {
        var store = await StoreWithJobsAsync(230);

        // Every third job matches: 77 of 230, found across five batches; page 3 of 10, newest first.
        var found = await SearchAsync(store, "data.n={mod}3,0", sortField: null, descending: true, skip: 20, take: 10);

        Assert.Equal((77, 230), (found.Total, found.Searched));
        Assert.Equal(Enumerable.Range(20, 10).Select(i => 228 - (3 * i)), found.Page.Select(N));
    }

    [Fact]
    public async Task ASearch_SortedByAField_PagesTheOrderOfEveryMatch_ReadingThePageAgain()
    {
        var store = await StoreWithJobsAsync(120);

        // data.label is n written backwards, so its order is not the creation order.
        var found = await SearchAsync(store, "data.n={lt}100", sortField: "data.label", descending: false, skip: 5, take: 3);

        var expected = Enumerable.Range(0, 100).OrderBy(Label, StringComparer.Ordinal).Skip(5).Take(3);
        Assert.Equal((100, 120), (found.Total, found.Searched));
        Assert.Equal(expected, found.Page.Select(N));
    }

    [Fact]
    public async Task ASearch_StopsAtItsWindow()
    {
        var store = await StoreWithJobsAsync(60);

        var found = await new SixPxJobSearch(store, _view).SearchAsync(
            Window(limit: 55, newest: false), [SixPxSearch.Parse("data.n", "{gte}0")], null, false, 0, 100, default);

        Assert.Equal((55, 55), (found.Total, found.Searched));
        Assert.Equal(Enumerable.Range(0, 55), found.Page.Select(N));
    }

    [Fact]
    public async Task ASearch_StopsAfterItsBudgetOfStoredJson_HoweverFewTheJobs()
    {
        // Over 1 MiB of JSON each: the 32 MiB budget is spent by the 32nd job, in the middle of a batch.
        var store = await StoreWithJobsAsync(40, padding: new string('x', 1024 * 1024));

        var found = await SearchAsync(store, "data.n={gte}0", sortField: null, descending: true, skip: 0, take: 5);

        Assert.Equal((32, 32), (found.Searched, found.Total));
        Assert.Equal([39, 38, 37, 36, 35], found.Page.Select(N));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static JobQuery Window(int limit = SixPxJobSearch.Window, bool newest = true) =>
        new("key:a", [SixPxJobHandler.JobKind], null, newest, limit);

    private Task<SixPxJobSearch.Result> SearchAsync(IJobStore store, string condition, string? sortField, bool descending, long skip, int take)
    {
        var (path, value) = (condition[..condition.IndexOf('=', StringComparison.Ordinal)], condition[(condition.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        return new SixPxJobSearch(store, _view).SearchAsync(Window(newest: sortField is not null || descending), [SixPxSearch.Parse(path, value)], sortField, descending, skip, take, default);
    }

    private static int N(JsonObject job) => (int)job["data"]!["n"]!;

    private static string Label(int n) => new([.. n.ToString(System.Globalization.CultureInfo.InvariantCulture).Reverse()]);

    private async Task<IJobStore> StoreWithJobsAsync(int count, string padding = "")
    {
        var store = new SqliteJobStore(Path.Combine(_folder, "jobs.db"));
        await store.InitializeAsync(default);
        for (var n = 0; n < count; n++)
        {
            var body = new JsonObject
            {
                ["input"] = new JsonObject { ["a"] = "cloud://demo/photo.jpg" },
                ["output"] = new JsonArray(),
                ["data"] = new JsonObject { ["n"] = n, ["label"] = Label(n), ["pad"] = padding },
            };
            await store.CreateAsync(
                new JobRecord
                {
                    Id = $"job{n:D4}",
                    Kind = SixPxJobHandler.JobKind,
                    Owner = "key:a",
                    Created = T0.AddSeconds(n),
                    Modified = T0.AddSeconds(n),
                    Request = new SixPxStoredRequest(body, "http://cdn.test/").Write(),
                },
                null,
                null,
                T0,
                default);
        }

        // Another owner's jobs are never looked through.
        await store.CreateAsync(new JobRecord { Id = "other", Kind = SixPxJobHandler.JobKind, Owner = "key:b", Created = T0, Modified = T0, Request = "{}" }, null, null, T0, default);
        return store;
    }
}
