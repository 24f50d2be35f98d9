using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary><c>Jobs:MaxActiveJobsPerKey</c> on the whole server, under concurrent submissions.</summary>
public sealed class ActiveJobsBoundTests
{
    /// <summary>
    /// The bound was a count, then an insert: submissions arriving together all counted the same jobs and all got in
    /// (a key bounded to 2 jobs in flight got 3 from a burst of 12 here, within its rate limit).
    /// </summary>
    [Fact]
    public async Task ABurstOfSubmissions_CreatesNoMoreJobsThanTheBound()
    {
        // Every input hangs, so no job ends while the burst is answered.
        await using var server = await JobFaceServer.StartAsync(
            JobFaceServer.Settings(("CdnProxy:Jobs:MaxActiveJobsPerKey", "2")),
            async context => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        var body = new JsonObject
        {
            ["input"] = new JsonObject { ["photo"] = server.Receiver.Url("slow.jpg") },
            ["output"] = new JsonArray(new JsonObject { ["pattern"] = "t.resize(w:64)" }),
        }.ToJsonString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            var (response, json) = await server.Client.ApiAsync(HttpMethod.Post, "/api/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
            using (response)
            {
                return (response.StatusCode, Code: (string?)json?["error"]?["code"] ?? (string?)json?["code"]);
            }
        })));

        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
    }
}
