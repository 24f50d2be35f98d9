using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace CdnProxy.Cli.Tests;

/// <summary>The name <c>cdnproxy upload</c> asks the server for when it is given no <c>--name</c>.</summary>
public sealed class UploadNameTests
{
    [Theory]
    [InlineData("cat.jpg", "cat")]
    [InlineData("cat.JPEG", "cat")]
    [InlineData("IMG_2024.12.06", "IMG_2024.12.06")]
    [InlineData("scan.v2.png", "scan.v2")]
    [InlineData("report.final", "report.final")]
    [InlineData(".jpg", null)]
    public async Task WithoutName_TheFilesOwnNameLessAnImageExtension_IsAsked(string fileName, string? expected)
    {
        var folder = Directory.CreateTempSubdirectory("cdnproxy-upload-").FullName;
        var file = Path.Combine(folder, fileName);
        await File.WriteAllBytesAsync(file, [1]);
        try
        {
            var (exit, body) = await UploadCapturingSignedUrlRequestAsync(file);

            Assert.Equal(UploadCommand.FailedExitCode, exit);
            Assert.Equal(expected, (string?)body["name"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Runs <c>upload</c> against a listener that keeps the body of the signed-upload request and refuses it (503), so
    /// nothing more is sent; returns the exit code and that body.
    /// </summary>
    private static async Task<(int Exit, JsonObject Body)> UploadCapturingSignedUrlRequestAsync(string file)
    {
        var (listener, port) = StartListener();
        using var _ = listener;
        var served = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
            context.Response.StatusCode = (int)HttpStatusCode.ServiceUnavailable;
            context.Response.Close();
            return body;
        });

        var (exit, _, _) = await Task.Run(() => CommandLine.Run(UploadCommand.Create(), file, "--server", $"http://127.0.0.1:{port}", "--api-key", "k"));
        return (exit, await served.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// A listener on a port found free: another process may take that port before the listener binds it, so a port
    /// that turns out taken is given up for another.
    /// </summary>
    private static (HttpListener Listener, int Port) StartListener()
    {
        for (var attempt = 1; ; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }
}
