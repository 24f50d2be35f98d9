namespace CdnProxy.Server.Api;

/// <summary>The management API (<c>/api/v1/*</c>), bound from <c>CdnProxy:Api</c>.</summary>
public sealed class ApiOptions
{
    /// <summary>
    /// Accepted API keys (several at once allow rotation), sent as <c>Authorization: Bearer</c> or <c>x-api-key</c>.
    /// None configured: the API is not mapped at all (404). Keep them in a secret store or environment variables.
    /// </summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>
    /// Shortest accepted key: a purge key must not be guessable (32 hex characters are 128 random bits), and the
    /// shipped placeholders are shorter on purpose, so a forgotten one stops the process at start-up.
    /// </summary>
    public const int MinimumKeyLength = 32;

    /// <summary>Adds a start-up failure for every key that is too short to be a secret.</summary>
    public void Validate(List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        for (var i = 0; i < Keys.Count; i++)
        {
            if ((Keys[i]?.Trim().Length ?? 0) < MinimumKeyLength)
            {
                failures.Add($"CdnProxy:Api:Keys:{i} must be at least {MinimumKeyLength} characters (a placeholder left in place? generate a key, e.g. `openssl rand -hex 32`).");
            }
        }
    }
}
