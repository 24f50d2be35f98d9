namespace CdnProxy.Server.Telemetry;

/// <summary>The management listener: Prometheus metrics and health, on addresses of their own (docs/operations.md).</summary>
public sealed class ManagementOptions
{
    /// <summary>
    /// URLs the management listener binds, separated by <c>;</c> (e.g. <c>http://0.0.0.0:9464</c>), each with an
    /// explicit port that no public URL uses. It serves <c>/metrics</c> and <c>/healthz/*</c>, nothing else; the
    /// public port never serves <c>/metrics</c>. Empty: no metrics endpoint.
    /// </summary>
    public string? Urls { get; set; }
}
