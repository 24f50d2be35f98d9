using System.Collections.Concurrent;
using System.Net;
using CdnProxy.Core.Origins;
using CdnProxy.Server.Origins;
using CdnProxy.Server.Origins.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdnProxy.Server.Tests.Origins;

/// <summary>The origin services as the server registers them, with an optional test policy and resolver, and captured logs.</summary>
internal sealed class OriginTestServices : IDisposable
{
    private readonly ServiceProvider _services;

    public OriginTestServices(IOriginAddressPolicy? policy = null, IOriginHostResolver? resolver = null)
    {
        var services = new ServiceCollection().AddLogging(l => l.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        if (policy is not null)
        {
            services.AddSingleton(policy);
        }

        if (resolver is not null)
        {
            services.AddSingleton(resolver);
        }

        _services = services.AddOriginHttpClients().BuildServiceProvider();
        Factory = new OriginStoreFactory(
            _services.GetRequiredService<IHttpClientFactory>(), TimeProvider.System, _services.GetRequiredService<ILoggerFactory>(),
            _services.GetRequiredService<CdnProxy.Server.Streaming.OriginForwarder>());
    }

    public OriginStoreFactory Factory { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public IOriginStore Create(OriginOptions options) => Factory.Create(options);

    public void Dispose() => _services.Dispose();
}

/// <summary>A hostile DNS: <c>*.test</c> names answer internal addresses; other names go to the system resolver.</summary>
internal sealed class HostileResolver : IOriginHostResolver
{
    private static readonly Dictionary<string, IPAddress[]> Answers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["metadata.test"] = [IPAddress.Parse("169.254.169.254")],
        ["ten.test"] = [IPAddress.Parse("10.0.0.5")],
        ["cgnat.test"] = [IPAddress.Parse("100.64.0.1")],
        ["ula.test"] = [IPAddress.Parse("fd00::1")],
        ["loopback.test"] = [IPAddress.Parse("127.0.0.1")],
        ["mapped.test"] = [IPAddress.Parse("::ffff:127.0.0.1")],
        ["zero.test"] = [IPAddress.Parse("0.0.0.0")],
        ["mixed.test"] = [IPAddress.Parse("10.1.2.3"), IPAddress.Parse("127.0.0.1"), IPAddress.Parse("::1")],
    };

    public static HostileResolver Instance { get; } = new();

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Answers.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>The public policy, plus exactly one loopback endpoint (a test origin) allowed.</summary>
internal sealed class OneLoopbackEndpointPolicy(int port) : IOriginAddressPolicy
{
    public bool Allows(IPEndPoint endpoint) =>
        (endpoint.Address.Equals(IPAddress.Loopback) && endpoint.Port == port) || OriginAddressPolicy.PublicOnly.Allows(endpoint);
}

/// <summary>Keeps every formatted log line, to assert what was (or was not) logged.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public string All => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{eventId.Id} {formatter(state, exception)} {exception}");
    }
}
