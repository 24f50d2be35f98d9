using CdnProxy.Server.Hosting;

namespace CdnProxy.Server.Api;

/// <summary>The management API (<c>/api/v1/*</c>), bound from <c>CdnProxy:Api</c>.</summary>
public sealed class ApiOptions
{
    /// <summary>
    /// Accepted API keys (several at once allow rotation), sent as <c>Authorization: Bearer</c> or <c>x-api-key</c>;
    /// each serves every cloud. None here nor in <see cref="CloudKeys"/>: the API is not mapped at all (404). Keep them
    /// in a secret store or environment variables.
    /// </summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>
    /// Keys limited to clouds: each is accepted only for calls about the clouds it lists (403 <c>forbidden</c>
    /// otherwise), so one tenant's key cannot purge, upload to or change another tenant's files.
    /// </summary>
    public List<ApiCloudKeyOptions> CloudKeys { get; set; } = [];

    /// <summary>
    /// Shortest accepted key: a purge key must not be guessable (32 hex characters are 128 random bits), and the
    /// shipped placeholders are shorter on purpose, so a forgotten one stops the process at start-up.
    /// </summary>
    public const int MinimumKeyLength = 32;

    /// <summary>
    /// Adds a start-up failure for every key that is too short to be a secret, listed twice or in both lists, and for
    /// a cloud key without clouds or naming a cloud that is not in <paramref name="clouds"/> (or naming one twice).
    /// </summary>
    public void Validate(List<string> failures, IReadOnlyCollection<string> clouds)
    {
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentNullException.ThrowIfNull(clouds);
        for (var i = 0; i < Keys.Count; i++)
        {
            ValidateLength(failures, $"CdnProxy:Api:Keys:{i}", Keys[i]);
        }

        // A plain key listed twice is harmless (it served every cloud before cloud keys existed); a cloud key also
        // found elsewhere would serve the union of its entries, and which was meant cannot be told.
        var plain = Keys.Where(k => k is not null).Select(k => k.Trim()).ToHashSet(StringComparer.Ordinal);
        var limited = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < CloudKeys.Count; i++)
        {
            var key = CloudKeys[i];
            var name = $"CdnProxy:Api:CloudKeys:{i}:Key";
            if (ValidateLength(failures, name, key.Key) && (plain.Contains(key.Key.Trim()) || !limited.Add(key.Key.Trim())))
            {
                failures.Add($"{name} is listed twice (in CdnProxy:Api:Keys or CdnProxy:Api:CloudKeys); a key serves one list of clouds.");
            }

            if (key.Clouds.Count == 0)
            {
                failures.Add($"CdnProxy:Api:CloudKeys:{i}:Clouds must name at least one cloud (a key for every cloud goes in CdnProxy:Api:Keys).");
            }

            CdnProxyOptionsValidator.ValidateCloudList(failures, $"CdnProxy:Api:CloudKeys:{i}:Clouds", key.Clouds, clouds);
        }
    }

    private static bool ValidateLength(List<string> failures, string name, string? key)
    {
        if ((key?.Trim().Length ?? 0) >= MinimumKeyLength)
        {
            return true;
        }

        failures.Add($"{name} must be at least {MinimumKeyLength} characters (a placeholder left in place? generate a key, e.g. `openssl rand -hex 32`).");
        return false;
    }
}

/// <summary>An API key limited to clouds (<c>CdnProxy:Api:CloudKeys:n</c>).</summary>
public sealed class ApiCloudKeyOptions
{
    /// <summary>The secret, sent as the plain keys are.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>The clouds this key serves; calls about any other cloud answer 403.</summary>
    public List<string> Clouds { get; set; } = [];
}
