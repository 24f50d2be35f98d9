namespace CdnProxy.Server.Origins;

/// <summary>Base of the origin kinds: typed options instead of casts in every kind.</summary>
/// <typeparam name="TOptions">The kind's options class.</typeparam>
public abstract class OriginKind<TOptions> : IOriginKind
    where TOptions : OriginOptions, new()
{
    public abstract string Name { get; }

    public OriginOptions CreateOptions() => new TOptions { Type = Name };

    public void Validate(OriginOptions options, string path, List<string> failures) => Validate((TOptions)options, path, failures);

    public OriginBinding Create(OriginOptions options, OriginServices services) => Create((TOptions)options, services);

    protected abstract void Validate(TOptions options, string path, List<string> failures);

    protected abstract OriginBinding Create(TOptions options, OriginServices services);
}
