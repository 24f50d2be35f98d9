namespace CdnProxy.Server.Origins;

/// <summary>
/// One kind of origin (local folder, S3, HTTP): its options class, their start-up checks, its reader and, for kinds
/// that can store files, its writer. Kinds are listed once, in <see cref="OriginKindCatalog"/>.
/// </summary>
public interface IOriginKind
{
    /// <summary>The <c>Type</c> value that selects it.</summary>
    string Name { get; }

    /// <summary>A new options object of this kind, with its defaults, for the binder to fill.</summary>
    OriginOptions CreateOptions();

    /// <summary>A new options object of this kind, its defaults overridden by <paramref name="section"/>.</summary>
    OriginOptions Bind(IConfigurationSection section);

    /// <summary>Adds a message naming the setting (under <paramref name="path"/>) for every bad kind-specific setting.</summary>
    void Validate(OriginOptions options, string path, List<string> failures);

    /// <summary>The reader and, when the options say <c>Writable</c>, the writer (validated options only).</summary>
    OriginBinding Create(OriginOptions options, OriginServices services);
}
