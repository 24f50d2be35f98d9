namespace CdnProxy.Server.Caching;

/// <summary>Listens for purges published by other replicas.</summary>
public interface IPurgeListener
{
    Task StartListeningAsync();
}
