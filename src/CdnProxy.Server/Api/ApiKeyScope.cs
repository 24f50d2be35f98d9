using CdnProxy.Core;

namespace CdnProxy.Server.Api;

/// <summary>
/// The clouds an authenticated API key serves: every cloud (<c>Api:Keys</c>) or the ones its <c>Api:CloudKeys</c>
/// entry lists. Endpoints check it before any I/O; a key that does not serve the cloud gets 403 <c>forbidden</c>.
/// </summary>
public sealed class ApiKeyScope
{
    private readonly HashSet<string>? _clouds;

    private ApiKeyScope(HashSet<string>? clouds) => _clouds = clouds;

    /// <summary>A key of <c>Api:Keys</c>.</summary>
    public static ApiKeyScope EveryCloud { get; } = new(null);

    /// <summary>A key of <c>Api:CloudKeys</c> serving <paramref name="clouds"/> (exact, ordinal names).</summary>
    public static ApiKeyScope Only(IEnumerable<string> clouds) => new(clouds.ToHashSet(StringComparer.Ordinal));

    public bool ServesEveryCloud => _clouds is null;

    public bool Serves(string cloud) => _clouds is null || _clouds.Contains(cloud);

    /// <exception cref="CdnException"><see cref="CdnErrorKind.ApiKeyForbidden"/> when the key does not serve <paramref name="cloud"/>.</exception>
    public void EnsureServes(string cloud)
    {
        if (!Serves(cloud))
        {
            throw new CdnException(CdnErrorKind.ApiKeyForbidden, NotThisCloud);
        }
    }

    /// <summary>The refusal of a call about a cloud the key does not serve (known or not: other tenants' clouds are not told).</summary>
    public const string NotThisCloud = "This API key does not serve this cloud";

    /// <summary>The refusal of a call about every cloud (e.g. the server's stats) made with a key limited to some.</summary>
    public const string NotEveryCloud = "This call needs an API key for every cloud";

    /// <summary>The scope of the key the request authenticated with (<see cref="ApiKeyVerifier.Authenticate"/>).</summary>
    /// <exception cref="InvalidOperationException">The request was not authenticated: an endpoint skipped the key check.</exception>
    public static ApiKeyScope Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ApiKeyScope>() ?? throw new InvalidOperationException("The request's API key was not checked");
    }
}
