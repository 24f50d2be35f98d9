namespace CdnProxy.Server.Origins.Local;

/// <summary><c>Type: local</c>: a folder on this machine; writable (atomic renames inside the root).</summary>
public sealed class LocalOriginKind : OriginKind<LocalOriginOptions>
{
    public override string Name => "local";

    protected override void Bind(IConfigurationSection section, LocalOriginOptions options) => section.Bind(options);

    protected override void Validate(LocalOriginOptions options, string path, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.Root))
        {
            failures.Add($"{path}:Root is required for a local origin.");
        }
        else if (!options.Writable && !Directory.Exists(options.ResolvedRoot))
        {
            failures.Add($"{path}:Root '{options.Root}' does not exist.");
        }
    }

    protected override OriginBinding Create(LocalOriginOptions options, OriginServices services)
    {
        if (options.Writable)
        {
            Directory.CreateDirectory(options.ResolvedRoot);
        }

        var root = new LocalRoot(options.ResolvedRoot);
        return new OriginBinding(new LocalOriginStore(root, options.MaxBytes), options.Writable ? new LocalOriginWriter(root, services.Time) : null);
    }
}
