using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Caching;

/// <summary>Builds <see cref="RenditionKey"/>s from the canonical request: URLs that mean the same image share a key.</summary>
public static class RenditionKeyBuilder
{
    /// <summary>Bump when the meaning of cached bytes changes (renderer or encoder behaviour).</summary>
    public const string SchemaVersion = "v1";

    public static RenditionKey Build(string cloud, string filePath, RenderPlan plan, double dpr)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var canonical = string.Join(
            '\n',
            SchemaVersion,
            cloud,
            filePath,
            plan.Canonical,
            plan.Output.ToCanonicalString(),
            "dpr=" + ArgumentReader.FormatNumber(dpr));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return new RenditionKey(
            string.Create(CultureInfo.InvariantCulture, $"r:{SchemaVersion}:{cloud}:{Base64Url(hash)}"),
            cloud + "/" + filePath);
    }

    internal static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
