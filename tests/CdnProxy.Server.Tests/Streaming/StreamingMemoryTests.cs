using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Server.Tests.Telemetry;
using CdnProxy.Tests.Common;
using Xunit.Abstractions;

namespace CdnProxy.Server.Tests.Streaming;

/// <summary>
/// The real server process sends the 50 MiB file whole from each origin kind while its resident memory is sampled:
/// streaming must not hold the file (the bound is half its size; buffers are tens of kilobytes).
/// </summary>
public sealed class StreamingMemoryTests(S3rverFixture s3, StoredFiles files, ITestOutputHelper output) : IClassFixture<S3rverFixture>, IClassFixture<StoredFiles>
{
    [Fact]
    public async Task ServingTheBigFileWhole_DoesNotGrowTheServersMemoryByItsSize()
    {
        await files.EnsureUploadedAsync(s3);
        var origin = await RecordingOrigin.StartAsync(files.Folder);
        try
        {
            var managementPort = LoopbackPorts.Next();
            var settings = ManagementEndpointTests.Settings(new()
            {
                ["CdnProxy:Management:Urls"] = $"http://127.0.0.1:{managementPort}",
                ["CdnProxy:Clouds:local:Origin:Type"] = "local",
                ["CdnProxy:Clouds:local:Origin:Root"] = files.Folder,
                ["CdnProxy:Clouds:web:Origin:Type"] = "http",
                ["CdnProxy:Clouds:web:Origin:BaseUrl"] = origin.Http.BaseUrl.ToString(),
                ["CdnProxy:Clouds:web:Origin:AllowPrivateNetworks"] = "true",
            });
            foreach (var (key, value) in s3.Settings("CdnProxy:Clouds:bucket:Origin", StoredFiles.S3Prefix))
            {
                settings[key] = value!;
            }

            using var server = await ServerProcess.StartAsync(settings);
            using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
            var expected = SHA256.HashData(files.BigBytes);
            foreach (var cloud in new[] { "local", "bucket", "web" })
            {
                var url = $"/v2/{cloud}/original/{StoredFiles.Big}";

                // The first request of a kind brings its code in; only then is the baseline taken.
                using (var warm = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(0, 99) } })
                using (var warmed = await client.SendAsync(warm))
                {
                    Assert.Equal(HttpStatusCode.PartialContent, warmed.StatusCode);
                }

                var before = server.ResidentBytes();
                var (hash, peak) = await DownloadSamplingAsync(client, url, server);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cloud}: RSS before {before / 1048576.0:F1} MiB, peak {peak / 1048576.0:F1} MiB, growth {(peak - before) / 1048576.0:F1} MiB"));

                Assert.Equal(expected, hash);
                Assert.True(peak - before < StoredFiles.BigSize / 2, $"{cloud}: RSS grew by {(peak - before) / 1048576.0:F1} MiB");
            }

            // Recorded like every image request, with their own cache outcome.
            var metrics = await client.GetStringAsync(new Uri($"http://127.0.0.1:{managementPort}/metrics"));
            Assert.Contains(metrics.Split('\n'), line => line.StartsWith("cdnproxy_request_duration_seconds_count{", StringComparison.Ordinal)
                && line.Contains("cdnproxy_cache=\"stream\"", StringComparison.Ordinal) && line.Contains("http_response_status_code=\"206\"", StringComparison.Ordinal));
        }
        finally
        {
            await origin.Http.DisposeAsync();
        }
    }

    /// <summary>Reads the whole body into a hash while sampling the server's RSS; returns the hash and the highest sample.</summary>
    private static async Task<(byte[] Hash, long PeakResident)> DownloadSamplingAsync(HttpClient client, string url, ServerProcess server)
    {
        using var done = new CancellationTokenSource();
        var peak = server.ResidentBytes();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, server.ResidentBytes());
                await Task.Delay(20, CancellationToken.None);
            }
        });
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        await done.CancelAsync();
        await sampler;
        return (hash.GetHashAndReset(), Math.Max(peak, server.ResidentBytes()));
    }
}
