namespace CdnProxy.Server.Origins.S3;

/// <summary><c>Type: s3</c>: an S3 bucket via AWSSDK.S3; writable (staging key, then one server-side copy).</summary>
public sealed class S3OriginKind : OriginKind<S3OriginOptions>
{
    public override string Name => "s3";

    protected override void Bind(IConfigurationSection section, S3OriginOptions options) => section.Bind(options);

    protected override void Validate(S3OriginOptions options, string path, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            failures.Add($"{path}:Bucket is required for an s3 origin.");
        }

        if (!string.IsNullOrWhiteSpace(options.ServiceUrl) && !OriginOptionsValidator.IsPlainHttpUrl(options.ServiceUrl, out _))
        {
            failures.Add($"{path}:ServiceUrl must be an absolute http(s) URL without user info, query or fragment.");
        }

        if (string.IsNullOrEmpty(options.AccessKey) != string.IsNullOrEmpty(options.SecretKey))
        {
            failures.Add($"{path}: AccessKey and SecretKey go together (set both, or neither to use the AWS default credentials).");
        }
    }

    protected override OriginBinding Create(S3OriginOptions options, OriginServices services) => new(
        new S3OriginStore(options, services.Forwarder, services.Time, services.Loggers.CreateLogger<S3OriginStore>()),
        options.Writable ? new S3OriginWriter(options, services.Time, services.Loggers.CreateLogger<S3OriginWriter>()) : null);
}
