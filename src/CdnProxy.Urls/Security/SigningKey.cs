using System.Collections.Frozen;

namespace CdnProxy.Urls.Security;

/// <summary>One signing token: the public access key sent as <c>pbt</c>, and the secret token used as the HMAC key.</summary>
/// <param name="AccessKey">The access key (<c>pbt</c>), e.g. a UUID. Compared ordinally.</param>
/// <param name="Token">The secret token; its UTF-8 bytes are the HMAC-SHA256 key.</param>
public sealed record SigningKey(string AccessKey, string Token)
{
    /// <summary>The access key (<c>pbt</c>); never null or empty.</summary>
    public string AccessKey { get; } = string.IsNullOrEmpty(AccessKey)
        ? throw new ArgumentException("The access key must not be empty.", nameof(AccessKey))
        : AccessKey;

    /// <summary>The secret token; never null or empty.</summary>
    public string Token { get; } = string.IsNullOrEmpty(Token)
        ? throw new ArgumentException("The token must not be empty.", nameof(Token))
        : Token;

    /// <summary>
    /// The clouds whose URLs this key signs; empty (the default) signs for every cloud. Names are compared ordinally,
    /// as cloud names are. One tenant's key limited to its clouds cannot sign URLs of another tenant.
    /// </summary>
    /// <exception cref="ArgumentException">When a name is null or empty.</exception>
    public IReadOnlySet<string> Clouds
    {
        get;
        init => field = ToCloudSet(value);
    } = FrozenSet<string>.Empty;

    /// <summary>Whether this key signs URLs of <paramref name="cloud"/>.</summary>
    /// <param name="cloud">The cloud a URL addresses; null when unknown, which only a key for every cloud signs.</param>
    public bool SignsFor(string? cloud) => Clouds.Count == 0 || (cloud is not null && Clouds.Contains(cloud));

    /// <summary>Prints the access key only, so the token does not end up in logs.</summary>
    public override string ToString() => $"SigningKey {{ AccessKey = {AccessKey} }}";

    private static FrozenSet<string> ToCloudSet(IReadOnlySet<string> clouds)
    {
        ArgumentNullException.ThrowIfNull(clouds);
        if (clouds.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A cloud name must not be empty.", nameof(clouds));
        }

        return clouds.ToFrozenSet(StringComparer.Ordinal);
    }
}
