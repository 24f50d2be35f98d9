namespace CdnProxy.Server.Hosting;

/// <summary>
/// Warns once at start-up about keys that serve every cloud while several are served: a signing key that lists no
/// <c>Clouds</c> signs URLs of every cloud, and an <c>Api:Keys</c> key purges, uploads to and changes every cloud's
/// files. Right for one tenant, a gap between several. One cloud: nothing to say.
/// </summary>
public sealed class KeyScopeCheck(CdnProxyOptions options, ILogger<KeyScopeCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Clouds.Count <= 1)
        {
            return Task.CompletedTask;
        }

        var forEveryCloud = options.Signing.Keys.Where(key => key.Clouds.Count == 0).Select(key => key.AccessKey).ToList();
        if (forEveryCloud.Count > 0)
        {
            ServerLog.SigningKeysForEveryCloud(logger, string.Join(", ", forEveryCloud), options.Clouds.Count);
        }

        // API keys are secrets: the warning counts them, it does not name them.
        var apiKeysForEveryCloud = options.Api.Keys.Count(key => !string.IsNullOrWhiteSpace(key));
        if (apiKeysForEveryCloud > 0)
        {
            ServerLog.ApiKeysForEveryCloud(logger, apiKeysForEveryCloud, options.Clouds.Count);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
