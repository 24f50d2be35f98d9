using System.Net;
using System.Net.Sockets;

namespace CdnProxy.Server.Origins.Http;

/// <summary>Resolves a host name to addresses; replaceable in tests to simulate hostile DNS answers.</summary>
public interface IOriginHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system resolver.</summary>
public sealed class DnsOriginHostResolver : IOriginHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>Raised when every address of an origin host is refused by the network policy; no socket was opened.</summary>
public sealed class OriginAddressRefusedException : Exception
{
    public OriginAddressRefusedException()
    {
    }

    public OriginAddressRefusedException(string message)
        : base(message)
    {
    }

    public OriginAddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of origin clients: resolves the host itself, drops every
/// address the policy refuses, and connects only to an address it has checked. Checking the address actually
/// connected to (not a name validated earlier) is what defeats DNS rebinding.
/// </summary>
public sealed class OriginConnector
{
    /// <summary>The request option carrying a connect budget for new connections.</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> ConnectTimeoutOption = new("CdnProxy.Origin.ConnectTimeout");

    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(2);

    private readonly IOriginAddressPolicy _policy;
    private readonly IOriginHostResolver _resolver;

    public OriginConnector(IOriginAddressPolicy policy, IOriginHostResolver resolver)
    {
        _policy = policy;
        _resolver = resolver;
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var port = context.DnsEndPoint.Port;
        var timeout = context.InitialRequestMessage.Options.TryGetValue(ConnectTimeoutOption, out var configured)
            ? configured
            : DefaultConnectTimeout;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(timeout);

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(context.DnsEndPoint.Host, budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("Resolving the origin host timed out.");
        }

        // A mapped address (::ffff:a.b.c.d) is judged and dialled as the IPv4 address it is.
        var allowed = addresses.Select(a => new IPEndPoint(a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a, port)).Where(_policy.Allows).ToList();
        if (allowed.Count == 0)
        {
            throw new OriginAddressRefusedException("The origin host resolves only to addresses the network policy refuses.");
        }

        Exception? last = null;
        foreach (var endpoint in allowed)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint, budget.Token).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new TimeoutException("Connecting to the origin timed out.");
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw new HttpRequestException("The origin refused the connection.", last);
    }

    private Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out var address)
            ? Task.FromResult(new[] { address })
            : _resolver.ResolveAsync(host, cancellationToken);
    }
}
