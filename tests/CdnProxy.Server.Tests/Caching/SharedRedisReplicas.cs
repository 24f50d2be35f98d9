namespace CdnProxy.Server.Tests.Caching;

/// <summary>
/// A real redis-server and one origin folder (<see cref="Replica.CreateOriginFolder"/>), shared by the replicas a test
/// starts; all of them stopped and removed on dispose.
/// </summary>
internal sealed class SharedRedisReplicas : IDisposable
{
    private readonly List<Replica> _replicas = [];

    public RedisServer Redis { get; } = new();

    public string OriginFolder { get; } = Replica.CreateOriginFolder();

    public IReadOnlyList<Replica> Replicas => _replicas;

    /// <summary>A new replica of <see cref="Redis"/> and <see cref="OriginFolder"/>; start-up does not wait for Redis.</summary>
    public Replica Start(Dictionary<string, string?>? settings = null)
    {
        var replica = new Replica(Redis.Configuration, OriginFolder, settings);
        _replicas.Add(replica);
        return replica;
    }

    public void Dispose()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }

        Redis.Dispose();
        Directory.Delete(OriginFolder, recursive: true);
    }
}
