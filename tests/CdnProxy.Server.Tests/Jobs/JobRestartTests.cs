using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>The real server as a process: a job running when the server is killed (SIGKILL) completes after a restart on the same SQLite file.</summary>
public sealed class JobRestartTests : IDisposable
{
    private const string Key = "job-restart-key-0123456789abcdef0123456789";
    private readonly string _data = Directory.CreateTempSubdirectory("cdnproxy-jobs-restart-").FullName;

    [Fact]
    public async Task AJobRunningWhenTheServerIsKilled_CompletesAfterARestart()
    {
        var flower = TestImages.Read(TestImages.Flower);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fetched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var web = await LoopbackHttpOrigin.StartAsync(async context =>
        {
            fetched.TrySetResult();
            await release.Task; // the first server is killed while its worker waits here
            context.Response.ContentType = "image/jpeg";
            await context.Response.Body.WriteAsync(flower);
        });
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["a"] = new Uri(web.BaseUrl, "slow.jpg").AbsoluteUri },
            ["output"] = new JsonArray(new JsonObject { ["pattern"] = "t.resize(w:100)", ["type"] = "image/png" }),
        }.ToJsonString();

        string id;
        using (var first = await ServerProcess.StartAsync(Settings()))
        {
            using var http = first.ClientWithKey(Key);
            using var created = await http.PostAsync("/api/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
            id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
            await fetched.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("processing", (string?)(await GetAsync(http, id))["status"]);
            await first.KillAsync();
        }

        release.SetResult();
        using var second = await ServerProcess.StartAsync(Settings());
        using var client = second.ClientWithKey(Key);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonObject job;
        do
        {
            await Task.Delay(200);
            job = await GetAsync(client, id);
        }
        while ((string?)job["status"] is "pending" or "processing" && DateTime.UtcNow < deadline);

        Assert.Equal("complete", (string?)job["status"]);
        var output = job["processed"]!["output"]!["a-1"]!;
        Assert.Equal(100, (int)output["info"]!["width"]!);
        using var served = await client.GetAsync(new Uri((string)output["url"]!).PathAndQuery);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private Dictionary<string, string> Settings() => new()
    {
        ["CdnProxy:DataDirectory"] = _data,
        ["CdnProxy:Api:Keys:0"] = Key,
        ["CdnProxy:Jobs:AllowPrivateNetworks"] = "true",
        ["CdnProxy:Jobs:LeaseSeconds"] = "2",
        ["CdnProxy:Jobs:PollMilliseconds"] = "200",
    };

    private static async Task<JsonObject> GetAsync(HttpClient http, string id) =>
        JsonNode.Parse(await http.GetStringAsync("/api/v1/jobs/" + id))!.AsObject();
}
