using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CdnProxy.Tests.Common;
using StackExchange.Redis;

namespace CdnProxy.Server.Tests.Caching;

/// <summary>
/// A real <c>redis-server</c> of our own on a free loopback port, without persistence, in a temporary folder
/// (scripts/setup.sh --for-tests installs it). It can be killed, restarted on the same port, paused and resumed.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly string _folder = Directory.CreateTempSubdirectory("cdnproxy-redis-").FullName;
    private Process? _process;
    private ConnectionMultiplexer? _admin;

    public RedisServer()
    {
        Port = LoopbackPorts.Next();
        Start();
    }

    public int Port { get; }

    /// <summary>The configuration string replicas use.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>A direct connection for assertions (separate from the replicas').</summary>
    public IDatabase Database => Admin.GetDatabase();

    public IServer Server => Admin.GetServer("127.0.0.1", Port);

    private ConnectionMultiplexer Admin => _admin ??= ConnectionMultiplexer.Connect($"{Configuration},allowAdmin=true,abortConnect=false,connectTimeout=2000");

    public void Start()
    {
        var start = new ProcessStartInfo(FindExecutable())
        {
            ArgumentList =
            {
                "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--save", string.Empty, "--appendonly", "no", "--dir", _folder, "--protected-mode", "no", "--loglevel", "warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!Pings())
        {
            if (deadline.Elapsed > StartTimeout || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server did not answer on port {Port}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Kills the server (SIGKILL): connections drop at once, data is lost.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open but nothing answers, as with a hung Redis.</summary>
    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            Resume();
        }

        _admin?.Dispose();
        Kill();
        _process?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Keys matching <paramref name="pattern"/>.</summary>
    public IReadOnlyList<string> Keys(string pattern) => [.. Server.Keys(pattern: pattern).Select(k => (string)k!)];

    /// <summary>Redis's own count of the bytes it has written to all its clients.</summary>
    public async Task<long> BytesSentAsync()
    {
        var stats = await Server.InfoAsync("stats");
        return long.Parse(stats.SelectMany(group => group).Single(pair => pair.Key == "total_net_output_bytes").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string FindExecutable()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Append("/usr/bin").Append("/usr/sbin"))
        {
            var candidate = Path.Combine(folder, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("redis-server is not installed: run scripts/setup.sh --for-tests");
    }


    /// <summary>
    /// Whether our own process answers on the port: the port was free when picked, but another test's server may have
    /// taken it since (ours then fails to bind), and a PING alone would have been answered by that one.
    /// </summary>
    private bool Pings()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using var stream = client.GetStream();
            stream.ReadTimeout = 1000;
            stream.Write("INFO server\r\n"u8);
            var answer = new StringBuilder();
            var buffer = new byte[4096];
            while (!HasProcessId(answer.ToString()) && answer.Length < 65536)
            {
                var read = stream.Read(buffer);
                if (read == 0)
                {
                    return false;
                }

                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return answer.ToString().Contains($"\r\nprocess_id:{_process!.Id}\r\n", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool HasProcessId(string info) =>
        info.IndexOf("\r\nprocess_id:", StringComparison.Ordinal) is var at and >= 0 && info.IndexOf("\r\n", at + 2, StringComparison.Ordinal) > 0;

    private void Signal(string signal)
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }
}
