namespace CdnProxy.Server.Origins.Local;

/// <summary>A folder of originals (<c>Type: local</c>).</summary>
public sealed class LocalOriginOptions : OriginOptions
{
    public LocalOriginOptions()
    {
        Type = "local";
    }

    /// <summary>Stands for <c>CdnProxy:DataDirectory</c> at the start of <see cref="Root"/>.</summary>
    public const string DataDirectoryPlaceholder = "{DataDirectory}";

    /// <summary>
    /// The folder; a relative path is relative to the application folder, and a leading <c>{DataDirectory}</c> is the
    /// data directory. A writable origin's folder is created when missing.
    /// </summary>
    public string? Root { get; set; }

    public override void ExpandPlaceholders(string dataDirectory)
    {
        if (Root is { } root && root.StartsWith(DataDirectoryPlaceholder, StringComparison.Ordinal))
        {
            Root = Path.Join(dataDirectory, root[DataDirectoryPlaceholder.Length..]);
        }

        base.ExpandPlaceholders(dataDirectory);
    }

    /// <summary>The configured root made absolute (against the application folder).</summary>
    public string ResolvedRoot => Path.GetFullPath(Root!, AppContext.BaseDirectory);
}
