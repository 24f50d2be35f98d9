namespace CdnProxy.Urls.Security;

/// <summary>How strictly <see cref="SignatureVerifier"/> treats <c>pbe</c> and the query.</summary>
public sealed record SignatureVerifierOptions
{
    /// <summary>The defaults: 30 s of clock skew, no maximum lifetime.</summary>
    public static SignatureVerifierOptions Default { get; } = new();

    /// <summary>How long after <c>pbe</c> a URL is still accepted, to absorb clock differences. Default 30 s; not negative.</summary>
    public TimeSpan ClockSkew
    {
        get;
        init => field = value >= TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The clock skew must not be negative.");
    } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When set, a <c>pbe</c> more than this far after now (plus <see cref="ClockSkew"/>) is refused with
    /// <see cref="SignatureStatus.LifetimeExceeded"/>. Null (the default) accepts any future <c>pbe</c>, as Pixelbin does:
    /// a URL signed for ten years is valid for ten years.
    /// </summary>
    public TimeSpan? MaxLifetime
    {
        get;
        init => field = value is null || value >= TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The maximum lifetime must not be negative.");
    }

    /// <summary>
    /// Whether a signature over the path alone (<see cref="SignedStringVariant.RawPath"/>,
    /// <see cref="SignedStringVariant.DecodedPath"/>: the Python and Go SDKs) is accepted on a URL that has a query.
    /// False (the default): it is accepted only when the query holds nothing but <c>pbs</c>, <c>pbe</c>, <c>pbt</c>, so
    /// nobody can add <c>dpr</c>, <c>f_auto</c>, <c>v</c> or any other parameter to a URL signed without one; every
    /// query is authenticated, as Pixelbin documents (an altered query answers 401). True: also accepted with a query,
    /// which is then not authenticated; only for signers that sign the path alone and put parameters in the query.
    /// </summary>
    public bool AllowUnsignedQuery { get; init; }
}
