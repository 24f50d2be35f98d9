namespace CdnProxy.Server.Origins;

/// <summary>
/// Start-up checks of one origin (and its fallback): the common settings here, the kind's own in its kind.
/// Messages name settings, never their secret values.
/// </summary>
public static class OriginOptionsValidator
{
    /// <summary>Largest accepted <c>MaxBytes</c>: an original is read whole into one array.</summary>
    public const long MaxBytesLimit = 1L << 30;

    /// <summary>Largest accepted <c>StoredFileTimeoutSeconds</c>: a day of waiting on the origin for one file.</summary>
    public const double MaxStoredFileSeconds = 86400;

    /// <summary>Largest accepted <c>StoredFileMinBytesPerSecond</c> (1 GiB/s): anything above is a typo.</summary>
    public const double MaxStoredFileMinBytesPerSecond = 1L << 30;

    public static void Validate(List<string> failures, string path, OriginOptions origin, bool isFallback = false) =>
        Validate(failures, path, origin, OriginKindCatalog.Default, isFallback);

    public static void Validate(List<string> failures, string path, OriginOptions origin, OriginKindCatalog kinds, bool isFallback = false)
    {
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(kinds);
        var kind = kinds.Find(origin.Type);
        if (kind is null || origin.GetType() != kind.CreateOptions().GetType())
        {
            failures.Add($"{path}:Type '{origin.Type}' is not supported (supported: {string.Join(", ", kinds.Names)}).");
        }
        else
        {
            kind.Validate(origin, path, failures);
        }

        if (origin.MaxBytes <= 0 || origin.MaxBytes > MaxBytesLimit)
        {
            failures.Add($"{path}:MaxBytes must be between 1 and {MaxBytesLimit} (1 GiB).");
        }

        if (origin.QuotaBytes < 0 || origin.QuotaBytes > 0 && !origin.Writable)
        {
            failures.Add($"{path}:QuotaBytes must be 0 (no quota) or, on a Writable origin, the most bytes it may hold.");
        }

        if (!IsDuration(origin.TimeoutSeconds))
        {
            failures.Add($"{path}:TimeoutSeconds must be above 0 and at most 300.");
        }

        if (origin.StoredFileTimeoutSeconds is not (> 0 and <= MaxStoredFileSeconds))
        {
            failures.Add($"{path}:StoredFileTimeoutSeconds must be above 0 and at most {MaxStoredFileSeconds}.");
        }

        if (origin.StoredFileMinBytesPerSecond is not (> 0 and <= MaxStoredFileMinBytesPerSecond))
        {
            failures.Add($"{path}:StoredFileMinBytesPerSecond must be above 0 and at most {MaxStoredFileMinBytesPerSecond}.");
        }

        if (!IsDuration(origin.StoredFileRateGraceSeconds))
        {
            failures.Add($"{path}:StoredFileRateGraceSeconds must be above 0 and at most 300.");
        }

        if (origin.Fallback is { } fallback)
        {
            if (isFallback)
            {
                failures.Add($"{path}:Fallback: a fallback origin cannot have a fallback of its own (one level only).");
            }
            else
            {
                Validate(failures, path + ":Fallback", fallback, kinds, isFallback: true);
            }
        }
    }

    /// <summary>True for a time budget in seconds within (0, 300].</summary>
    public static bool IsDuration(double seconds) => seconds > 0 && seconds <= 300;

    /// <summary>True for an absolute http(s) URL without user info, query or fragment.</summary>
    public static bool IsPlainHttpUrl(string value, out Uri url)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out url!))
        {
            return false;
        }

        return (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && url.UserInfo.Length == 0 && url.Query.Length == 0 && url.Fragment.Length == 0;
    }
}
