using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CdnProxy.Server.Tests.Playground;

/// <summary>
/// The server as <c>scripts/run.sh</c> runs it: its own process, the embedded default configuration (config/ and
/// samples/ next to the binary), no setting overridden, on a free loopback port that Kestrel picks.
/// </summary>
public sealed partial class EmbeddedDefaultServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _dataFolder;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private EmbeddedDefaultServer(Process process, string dataFolder)
    {
        _process = process;
        _dataFolder = dataFolder;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The files the process has mapped now (assemblies and native libraries), from /proc.</summary>
    public IReadOnlySet<string> MappedFileNames() =>
        File.ReadLines($"/proc/{_process.Id}/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6 && fields[5].StartsWith('/'))
            .Select(fields => Path.GetFileName(fields[5]))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>What the server printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static async Task<EmbeddedDefaultServer> StartAsync()
    {
        // The test's output folder holds the server build with its config/ and samples/ (the project reference copies them).
        // Everything else is the embedded default but the data folder: not the user's own (jobs.db, uploads), and not
        // shared by the servers of test classes running side by side.
        var dataFolder = Directory.CreateTempSubdirectory("cdnproxy-embedded-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "CdnProxy.Server.dll"), "--urls", "http://127.0.0.1:0", "--CdnProxy:DataDirectory", dataFolder },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CdnProxy__", StringComparison.OrdinalIgnoreCase)
            || k is "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT" or "ASPNETCORE_URLS").ToList())
        {
            start.Environment.Remove(name);
        }

        var server = new EmbeddedDefaultServer(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), dataFolder);
        server._process.OutputDataReceived += (_, e) => server.Read(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Read(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            server.BaseAddress = await server._listening.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            server.Dispose();
            throw new InvalidOperationException("The server did not start:\n" + server.Output);
        }

        return server;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        Directory.Delete(_dataFolder, recursive: true);
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (Listening().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
