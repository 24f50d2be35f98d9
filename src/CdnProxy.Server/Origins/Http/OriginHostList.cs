namespace CdnProxy.Server.Origins.Http;

/// <summary>An origin's <c>AllowedHosts</c>: exact names, or <c>*.example.com</c> for any sub-domain. Empty allows all.</summary>
public sealed class OriginHostList
{
    private readonly string[] _exact;
    private readonly string[] _suffixes;

    public OriginHostList(IEnumerable<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var all = hosts.Select(h => h.Trim().TrimEnd('.').ToLowerInvariant()).ToList();
        _exact = [.. all.Where(h => !h.StartsWith("*.", StringComparison.Ordinal))];
        _suffixes = [.. all.Where(h => h.StartsWith("*.", StringComparison.Ordinal)).Select(h => h[1..])];
    }

    public bool IsEmpty => _exact.Length == 0 && _suffixes.Length == 0;

    /// <summary>True when <paramref name="host"/> is allowed: listed, or any host when the list is empty.</summary>
    public bool Allows(string host) => IsEmpty || Lists(host);

    /// <summary>True only when the list names <paramref name="host"/> (exactly or by a <c>*.</c> entry).</summary>
    public bool Lists(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.TrimEnd('.').ToLowerInvariant();
        return _exact.Contains(name, StringComparer.Ordinal)
            || _suffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal) && name.Length > s.Length);
    }
}
