namespace CdnProxy.Server.Origins;

/// <summary>What origin kinds may use to build their stores.</summary>
/// <param name="HttpClients">Named clients of HTTP origins (<see cref="Http.OriginHttpClients"/>).</param>
/// <param name="Time">The clock for budgets and expiries.</param>
/// <param name="Loggers">Loggers for the stores.</param>
/// <param name="Forwarder">Streams files sent as stored from HTTP(S) endpoints (YARP, over the named handlers).</param>
public sealed record OriginServices(IHttpClientFactory HttpClients, TimeProvider Time, ILoggerFactory Loggers, Streaming.OriginForwarder Forwarder);
