namespace CdnProxy.Server.Origins;

/// <summary>
/// Where a cloud's or zone's originals live (<c>CdnProxy:Clouds:&lt;cloud&gt;[:Zones:&lt;slug&gt;]:Origin</c>): the
/// settings every kind of origin has. Each kind (<see cref="IOriginKind"/>) derives its own options class in its own
/// folder; <see cref="OriginOptionsBinder"/> binds the class <see cref="Type"/> names. Reference:
/// docs/configuration.md. Never log an instance: it may hold credentials.
/// </summary>
public class OriginOptions
{
    /// <summary>The kind of store, a name in <see cref="OriginKindCatalog"/>: <c>local</c>, <c>s3</c> or <c>http</c>.</summary>
    public string Type { get; set; } = "local";

    /// <summary>Largest original read, in bytes; larger ones fail with <c>source_too_large</c>.</summary>
    public long MaxBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>Whole-fetch budget in seconds (connect, headers and body; redirects included).</summary>
    public double TimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Most time a relay of one file sent as stored (http and s3 origins) may spend waiting on the origin, in seconds:
    /// for its headers and for each read of its body, summed. Time spent writing to the client is not counted, so a
    /// slow client's download is not cut by it (Kestrel's <c>MinResponseDataRate</c> judges the client).
    /// </summary>
    public double StoredFileTimeoutSeconds { get; set; } = 3600;

    /// <summary>
    /// Least average rate, in bytes per second of time spent waiting on the origin, at which it must deliver a file
    /// sent as stored once <see cref="StoredFileRateGraceSeconds"/> of waiting have passed: an origin that trickles
    /// its bytes (each within <see cref="TimeoutSeconds"/>) is cut off.
    /// </summary>
    public double StoredFileMinBytesPerSecond { get; set; } = 8192;

    /// <summary>Waiting on the origin allowed before <see cref="StoredFileMinBytesPerSecond"/> is held, in seconds.</summary>
    public double StoredFileRateGraceSeconds { get; set; } = 10;

    /// <summary>
    /// True: the upload and assets APIs may store, change and delete files here (kinds that can write: local, s3).
    /// Off by default, so an origin someone else fills is never written by accident.
    /// </summary>
    public bool Writable { get; set; }

    /// <summary>
    /// Most bytes of files a writable origin may hold; an upload that would pass it is refused (507
    /// <c>quota_exceeded</c>). 0: no quota.
    /// </summary>
    public long QuotaBytes { get; set; }

    /// <summary>Tried when this origin says "not found"; it may not have a fallback of its own.</summary>
    public OriginOptions? Fallback { get; set; }

    /// <summary>Replaces placeholders such as a local root's <c>{DataDirectory}</c> (called once, after binding).</summary>
    public virtual void ExpandPlaceholders(string dataDirectory) => Fallback?.ExpandPlaceholders(dataDirectory);
}
