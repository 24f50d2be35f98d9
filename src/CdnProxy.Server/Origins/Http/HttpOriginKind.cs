namespace CdnProxy.Server.Origins.Http;

/// <summary><c>Type: http</c>: an HTTP(S) origin behind the connect-time address policy; read-only.</summary>
public sealed class HttpOriginKind : OriginKind<HttpOriginOptions>
{
    public override string Name => "http";

    protected override void Bind(IConfigurationSection section, HttpOriginOptions options) => section.Bind(options);

    protected override void Validate(HttpOriginOptions options, string path, List<string> failures)
    {
        if (options.Writable)
        {
            failures.Add($"{path}:Writable: http origins are read-only.");
        }

        if (!OriginOptionsValidator.IsDuration(options.ConnectTimeoutSeconds) || !OriginOptionsValidator.IsDuration(options.FirstByteTimeoutSeconds))
        {
            failures.Add($"{path}: ConnectTimeoutSeconds and FirstByteTimeoutSeconds must be above 0 and at most 300.");
        }

        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            failures.Add($"{path}:BaseUrl is required for an http origin.");
            return;
        }

        if (!OriginOptionsValidator.IsPlainHttpUrl(options.BaseUrl, out var baseUrl))
        {
            failures.Add($"{path}:BaseUrl must be an absolute http(s) URL without user info, query or fragment.");
            return;
        }

        if (options.AllowedHosts.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{path}:AllowedHosts must not contain empty entries.");
        }
        else if (!new OriginHostList(options.AllowedHosts).Allows(baseUrl.IdnHost))
        {
            failures.Add($"{path}:BaseUrl's host '{baseUrl.IdnHost}' is not in AllowedHosts.");
        }
    }

    protected override OriginBinding Create(HttpOriginOptions options, OriginServices services) =>
        new(new HttpOriginStore(options, services.HttpClients, services.Forwarder, services.Time, services.Loggers.CreateLogger<HttpOriginStore>()));
}
