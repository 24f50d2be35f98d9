namespace CdnProxy.Server.Api;

/// <summary>The management API (<c>/api/v1/*</c>), bound from <c>CdnProxy:Api</c>.</summary>
public sealed class ApiOptions
{
    /// <summary>
    /// Accepted API keys (several at once allow rotation), sent as <c>Authorization: Bearer</c> or <c>x-api-key</c>.
    /// None configured: the API is not mapped at all (404). Keep them in a secret store or environment variables.
    /// </summary>
    public List<string> Keys { get; init; } = [];
}
