using System.Text.Json.Nodes;
using CdnProxy.Server.Tests.Uploads;
using CdnProxy.Tests.Common;
using Microsoft.AspNetCore.Http;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// The whole server for a job face's tests, with a loopback <see cref="CallbackReceiver"/> beside it (webhooks, and
/// inputs by URL when given a responder): started together, disposed together.
/// </summary>
internal sealed class JobFaceServer : IAsyncDisposable
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);

    private JobFaceServer(CallbackReceiver receiver, UploadTestClient client) => (Receiver, Client) = (receiver, client);

    /// <summary>A responder for <see cref="StartAsync"/>: every input URL answers the 3 MP flower JPEG.</summary>
    public static RequestDelegate ServesFlower { get; } = async context =>
    {
        context.Response.ContentType = "image/jpeg";
        await context.Response.Body.WriteAsync(Flower);
    };

    public CallbackReceiver Receiver { get; }

    public UploadTestClient Client { get; }

    /// <summary>
    /// What every job face's tests set: callbacks to loopback allowed and signed with <see cref="SixPxJobTests.Secret"/>,
    /// the workers polling every 100 ms; <paramref name="more"/> adds to them.
    /// </summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdnProxy:Jobs:AllowPrivateNetworks"] = "true",
            ["CdnProxy:Jobs:WebhookSecret"] = SixPxJobTests.Secret,
            ["CdnProxy:Jobs:PollMilliseconds"] = "100",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<JobFaceServer> StartAsync(Dictionary<string, string?> settings, RequestDelegate? respond = null)
    {
        var receiver = await CallbackReceiver.StartAsync(respond);
        try
        {
            return new JobFaceServer(receiver, new UploadTestClient(settings));
        }
        catch
        {
            await receiver.DisposeAsync();
            throw;
        }
    }

    /// <summary>A 6px job (<c>/api/v1/jobs/{id}</c>) once it completed or failed, or as it is after 60 s.</summary>
    public async Task<JsonObject> WaitForJobAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var (_, job) = await Client.ApiAsync(HttpMethod.Get, "/api/v1/jobs/" + id);
            if ((string?)job!["status"] is "complete" or "failed" || DateTime.UtcNow > deadline)
            {
                return job;
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Receiver.DisposeAsync();
    }
}
