using CdnProxy.Core.Planning;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CdnProxy.Core.Rendering;

/// <summary>
/// Everything server-wide that changes a rendition's bytes without appearing in its URL: the encoder settings
/// (default qualities, efforts, dither, PNG compression, kept copyright), which HEIF codec the engine has, and the
/// engine's version. It is part of every cache key, so replicas that share Redis but differ in any of these (a
/// rolling configuration change, mixed nodes) never serve each other's bytes.
/// </summary>
public sealed partial class RenderProfile
{
    private RenderProfile(string fingerprint)
    {
        Fingerprint = fingerprint;
    }

    /// <summary>For callers without a configured server (tests, tools): one fixed profile.</summary>
    public static RenderProfile Default { get; } = new("default");

    /// <summary>A short hash of the profile, written into cache keys.</summary>
    public string Fingerprint { get; }

    public static RenderProfile From(EncoderOptions encoding, EncoderCapabilities capabilities, Version engineVersion)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentNullException.ThrowIfNull(engineVersion);

        // Every public property of the options, so a setting added later is covered without touching this class.
        var text = string.Join('\n', JsonSerializer.Serialize(encoding, EncoderJson.Default.EncoderOptions), capabilities.HeifCompression, engineVersion);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return new RenderProfile(Base64Url.EncodeToString(hash.AsSpan(0, 9)));
    }

    [JsonSerializable(typeof(EncoderOptions))]
    private sealed partial class EncoderJson : JsonSerializerContext;
}
