namespace CdnProxy.Server.Http;

/// <summary>
/// Which other sites' pages may read our answers (<c>Http:CorsOrigins</c>): <c>*</c> (any), a list of origins, or none.
/// Only uncredentialed reads are ever allowed: no cookie or key rides on an image or a signed upload URL, so letting
/// any origin in gives a page nothing it could not fetch through its own server.
/// </summary>
public sealed class CrossOriginPolicy
{
    private readonly HashSet<string> _origins;

    private CrossOriginPolicy(bool anyOrigin, HashSet<string> origins)
    {
        AnyOrigin = anyOrigin;
        _origins = origins;
    }

    /// <summary>Every origin is let in: one answer for all, so responses do not vary by <c>Origin</c>.</summary>
    public bool AnyOrigin { get; }

    /// <summary>No origin is let in: no CORS header is ever sent.</summary>
    public bool IsOff => !AnyOrigin && _origins.Count == 0;

    /// <summary>A list of origins: the answer depends on the request's <c>Origin</c>, so shared caches must key on it.</summary>
    public bool VariesByOrigin => !AnyOrigin && _origins.Count > 0;

    /// <summary>Parses the setting: <c>*</c>, or origins separated by spaces or commas, or empty for none.</summary>
    public static CrossOriginPolicy Parse(string? setting)
    {
        var entries = SettingList.Entries(setting);
        return entries.Length == 1 && entries[0] == "*"
            ? new CrossOriginPolicy(anyOrigin: true, [])
            : new CrossOriginPolicy(anyOrigin: false, entries.Select(AsBrowsersSendIt).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Adds a start-up failure for every entry that is not <c>*</c> alone or an origin (<c>https://host[:port]</c>).</summary>
    public static void Validate(List<string> failures, string at, string? setting)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var entries = SettingList.Entries(setting);
        if (entries.Contains("*") && entries.Length > 1)
        {
            failures.Add(at + ": '*' lets every origin in and cannot be listed with others.");
        }

        foreach (var entry in entries.Where(e => e != "*" && !IsOrigin(e)))
        {
            failures.Add($"{at}: '{entry}' is not an origin as browsers send it (scheme, host and a port only when not the default, e.g. https://www.example.com; no path or trailing slash).");
        }
    }

    /// <summary>The <c>Access-Control-Allow-Origin</c> value for a request from <paramref name="origin"/>, or null for none.</summary>
    public string? AllowedOriginFor(string? origin)
    {
        if (AnyOrigin)
        {
            return "*";
        }

        return !string.IsNullOrEmpty(origin) && _origins.Contains(Normalized(origin)) ? origin : null;
    }

    // Browsers send scheme and host in lower case; an operator may not write them so.
    private static string Normalized(string origin) => origin.ToLowerInvariant();

    // Browsers send an internationalised host in its ASCII (punycode) form: an operator may write it in Unicode.
    private static string AsBrowsersSendIt(string entry) =>
        Uri.TryCreate(entry, UriKind.Absolute, out var uri) && uri.Host != uri.IdnHost
            ? Normalized(uri.Scheme + "://" + uri.IdnHost + (uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            : Normalized(entry);

    private static bool IsOrigin(string entry) =>
        Uri.TryCreate(entry, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && string.IsNullOrEmpty(uri.UserInfo)
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), entry, StringComparison.OrdinalIgnoreCase);
}
