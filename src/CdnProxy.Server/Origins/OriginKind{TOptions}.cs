using CdnProxy.Server.Hosting;

namespace CdnProxy.Server.Origins;

/// <summary>Base of the origin kinds: typed options instead of casts in every kind.</summary>
/// <typeparam name="TOptions">The kind's options class.</typeparam>
public abstract class OriginKind<TOptions> : IOriginKind
    where TOptions : OriginOptions, new()
{
    public abstract string Name { get; }

    public OriginOptions CreateOptions() => NewOptions();

    public OriginOptions Bind(IConfigurationSection section)
    {
        var options = NewOptions();
        UnreadableSetting.Guard(() => Bind(section, options));
        return options;
    }

    private TOptions NewOptions() => new() { Type = Name };

    public void Validate(OriginOptions options, string path, List<string> failures) => Validate((TOptions)options, path, failures);

    public OriginBinding Create(OriginOptions options, OriginServices services) => Create((TOptions)options, services);

    /// <summary>
    /// Fills <paramref name="options"/> from <paramref name="section"/>. Each kind writes it with its own class, so the
    /// configuration binder is generated at build time for that class (no reflection: the server is compiled ahead of
    /// time).
    /// </summary>
    protected abstract void Bind(IConfigurationSection section, TOptions options);

    protected abstract void Validate(TOptions options, string path, List<string> failures);

    protected abstract OriginBinding Create(TOptions options, OriginServices services);
}
