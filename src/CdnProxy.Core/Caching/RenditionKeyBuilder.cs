using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Caching;

/// <summary>Builds <see cref="RenditionKey"/>s from the canonical request: URLs that mean the same image share a key.</summary>
public static class RenditionKeyBuilder
{
    /// <summary>
    /// Bump whenever CdnProxy's own code changes the bytes it renders for a URL (an operation's pixels, an encoder's
    /// settings in code): settings and the libvips version are covered by <see cref="RenderProfile"/>, code is not.
    /// v2: the golden-test fixes (tint, CMYK intent, JPEG 4:2:0, normalise end points, resize scale factors).
    /// </summary>
    public const string SchemaVersion = "v2";

    /// <summary>The key of a rendition.</summary>
    /// <param name="cloud">The cloud.</param>
    /// <param name="filePath">The original's path.</param>
    /// <param name="plan">The bound plan, with the output format already negotiated.</param>
    /// <param name="dpr">The device pixel ratio.</param>
    /// <param name="zone">The zone slug (its origin may differ), or null for the default zone.</param>
    /// <param name="cacheBuster">The <c>v</c> query value, or null.</param>
    /// <param name="profile">The server's render profile (encoder settings, engine); <see cref="RenderProfile.Default"/> when null.</param>
    public static RenditionKey Build(string cloud, string filePath, RenderPlan plan, double dpr, string? zone = null, string? cacheBuster = null, RenderProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var canonical = string.Join(
            '\n',
            SchemaVersion,
            "profile=" + (profile ?? RenderProfile.Default).Fingerprint,
            cloud,
            "zone=" + zone,
            filePath,
            "v=" + cacheBuster,
            plan.Canonical,
            plan.Output.ToCanonicalString(),
            "dpr=" + ArgumentReader.FormatNumber(dpr));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return new RenditionKey(
            string.Create(CultureInfo.InvariantCulture, $"r:{SchemaVersion}:{cloud}:{Base64Url.EncodeToString(hash)}"),
            OriginalId(cloud, zone, filePath));
    }

    /// <summary>
    /// Names one original: every rendition of it carries this id, and a purge takes it. The zone is part of it because
    /// a zone may have its own origin.
    /// </summary>
    public static string OriginalId(string cloud, string? zone, string filePath) =>
        zone is null ? cloud + "/" + filePath : cloud + "/" + zone + "/" + filePath;
}
