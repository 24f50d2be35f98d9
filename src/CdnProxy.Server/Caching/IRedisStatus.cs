namespace CdnProxy.Server.Caching;

/// <summary>The Redis tier's state, as health probes and stats report it.</summary>
public interface IRedisStatus
{
    bool IsConnected { get; }

    /// <summary>Connected, with the breaker closed.</summary>
    bool IsHealthy { get; }

    /// <summary><c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>.</summary>
    string Breaker { get; }
}
