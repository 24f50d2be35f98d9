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

    /// <summary>Prints the access key only, so the token does not end up in logs.</summary>
    public override string ToString() => $"SigningKey {{ AccessKey = {AccessKey} }}";
}
