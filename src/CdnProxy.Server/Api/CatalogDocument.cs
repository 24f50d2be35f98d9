using System.Text.Json;
using System.Text.Json.Serialization;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;
using CdnProxy.Server.Http;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Server.Api;

/// <summary>
/// <c>GET /api/v1/catalog</c>: every operation with its arguments (type, range, choices, default), as the binders
/// themselves describe them (<see cref="TransformationCatalog.Describe"/>), plus the pattern limits. For client
/// generators and the playground's form.
/// </summary>
/// <param name="Url">The shape of an image URL.</param>
/// <param name="Separator">What joins the calls of a chain.</param>
/// <param name="Limits">Bounds of a pattern.</param>
/// <param name="Operations">The operations, sorted by name.</param>
public sealed record CatalogDocument(string Url, string Separator, CatalogLimits Limits, IReadOnlyList<OperationDescription> Operations)
{
    /// <summary>The document as a fixed, cacheable body (it only changes with a deployment).</summary>
    public static FixedBody Body(TransformationCatalog catalog, PatternLimits limits)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(limits);
        var document = new CatalogDocument(
            "/v2/{cloud}[/{zone}]/{pattern}/{filePath}",
            "~",
            new CatalogLimits(limits.MaxCalls, limits.MaxLength, RenderPlanBinder.MaxReferencedFiles),
            catalog.Describe());
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, PublicApiJsonContext.Default.CatalogDocument);
        return new FixedBody(bytes, "application/json; charset=utf-8", "public, max-age=3600");
    }
}

/// <summary>Bounds of a pattern, after preset expansion.</summary>
/// <param name="MaxCalls">Most calls in one pattern.</param>
/// <param name="MaxPatternLength">Longest pattern text, in characters.</param>
/// <param name="MaxReferencedFiles">Most different files (<c>t.merge(i:…)</c>, <c>filter.layer(i:…)</c>) one pattern may name.</param>
public sealed record CatalogLimits(int MaxCalls, int MaxPatternLength, int MaxReferencedFiles);

/// <summary>Source-generated serializer of the public API (camelCase, nulls left out).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CatalogDocument))]
[JsonSerializable(typeof(CloudList))]
[JsonSerializable(typeof(CloudFiles))]
internal sealed partial class PublicApiJsonContext : JsonSerializerContext;
