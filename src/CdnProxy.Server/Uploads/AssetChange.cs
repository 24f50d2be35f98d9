using System.Text.Json;
using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Uploads;

/// <summary>A <c>PATCH</c> of a file: each field left null is kept.</summary>
/// <param name="Tags">New tags.</param>
/// <param name="Metadata">New metadata object (replaces the old one).</param>
/// <param name="Access">New access.</param>
public sealed record AssetChange(IReadOnlyList<string>? Tags, JsonElement? Metadata, AssetAccess? Access);
