namespace CdnProxy.Server.Hosting;

/// <summary>
/// Warns once at start-up when several clouds are served and a signing key lists no <c>Clouds</c>: such a key signs
/// URLs of every cloud, which is right for one tenant and a gap between several. One cloud: nothing to say.
/// </summary>
public sealed class SigningScopeCheck(CdnProxyOptions options, ILogger<SigningScopeCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var forEveryCloud = options.Signing.Keys.Where(key => key.Clouds.Count == 0).Select(key => key.AccessKey).ToList();
        if (options.Clouds.Count > 1 && forEveryCloud.Count > 0)
        {
            ServerLog.SigningKeysForEveryCloud(logger, string.Join(", ", forEveryCloud), options.Clouds.Count);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
