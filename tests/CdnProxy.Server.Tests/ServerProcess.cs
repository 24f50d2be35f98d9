using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CdnProxy.Server.Tests;

/// <summary>The real server as its own process on a free loopback port, so a test can kill it in the middle of a request.</summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>A client of this server sending <paramref name="apiKey"/> as a bearer token.</summary>
    public HttpClient ClientWithKey(string apiKey)
    {
        var http = new HttpClient { BaseAddress = Address };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    /// <summary>The server's resident memory now (<c>VmRSS</c> in /proc), in bytes.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <param name="settings">Configuration, passed as environment variables (<c>:</c> written <c>__</c>).</param>
    /// <param name="urls">The public URLs; by default one free loopback port.</param>
    public static async Task<ServerProcess> StartAsync(Dictionary<string, string> settings, string urls = "http://127.0.0.1:0")
    {
        var server = Path.Combine(AppContext.BaseDirectory, "CdnProxy.Server.dll");
        var start = new ProcessStartInfo("dotnet", [server, "--urls", urls])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
                return new ServerProcess(process, new Uri(match.Groups["url"].Value));
            }
        }

        var errors = await process.StandardError.ReadToEndAsync(timeout.Token);
        process.Dispose();
        throw new InvalidOperationException("The server did not start: " + errors);
    }

    /// <summary>Ends the process at once (SIGKILL): no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
