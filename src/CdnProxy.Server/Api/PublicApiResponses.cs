using CdnProxy.Server.Http;
using CdnProxy.Server.Origins;

namespace CdnProxy.Server.Api;

/// <summary>The catalogue's response body, built once at start-up.</summary>
/// <param name="Body">The body.</param>
public sealed record CatalogBody(FixedBody Body);

/// <summary>The listable clouds.</summary>
/// <param name="Clouds">Their names, sorted.</param>
public sealed record CloudList(IReadOnlyList<string> Clouds);

/// <summary>A listable cloud's image files.</summary>
/// <param name="Cloud">The cloud.</param>
/// <param name="Files">Its image files, sorted by path (see <see cref="LocalFileLister"/> for the bounds).</param>
/// <param name="Truncated">True when there may be more than listed.</param>
public sealed record CloudFiles(string Cloud, IReadOnlyList<ListedFile> Files, bool Truncated);
