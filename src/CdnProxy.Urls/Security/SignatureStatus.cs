namespace CdnProxy.Urls.Security;

/// <summary>The outcome of <see cref="SignatureVerifier.Verify"/>.</summary>
public enum SignatureStatus
{
    /// <summary><c>pbs</c> matches one of the accepted signed strings, the key is known and <c>pbe</c> has not passed.</summary>
    Valid,

    /// <summary>There is no <c>pbs</c> parameter: the URL is unsigned. Whether that is allowed is the caller's policy.</summary>
    Missing,

    /// <summary>
    /// The signature parameters cannot be read: <c>pbs</c> without <c>pbe</c> or <c>pbt</c>, one of them repeated,
    /// <c>pbs</c> not 64 hex digits, or <c>pbe</c> not a finite number.
    /// </summary>
    Malformed,

    /// <summary>No key in the ring has the access key given as <c>pbt</c>.</summary>
    UnknownKey,

    /// <summary>The current time is later than <c>pbe</c> plus the allowed clock skew.</summary>
    Expired,

    /// <summary><c>pbe</c> lies further in the future than <see cref="SignatureVerifierOptions.MaxLifetime"/> allows.</summary>
    LifetimeExceeded,

    /// <summary><c>pbs</c> matches none of the accepted signed strings: the URL was altered or signed with another token.</summary>
    Invalid,
}
