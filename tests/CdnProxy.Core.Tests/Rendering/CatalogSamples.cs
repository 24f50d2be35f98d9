using CdnProxy.Tests.Common;

namespace CdnProxy.Core.Tests.Rendering;

/// <summary>The sources the catalogue-wide sweeps render on: a photo, a PNG with alpha, an animation; and one merge file.</summary>
internal static class CatalogSamples
{
    public static readonly (string Name, byte[] Bytes)[] Sources =
    [
        ("photo", TestImages.Read(TestImages.Asset("edge/orientation/orientation_6.jpg"))),
        ("alpha", TestImages.Read(TestImages.Sample("alpha-500-tulips.png"))),
        ("animation", TestImages.Read(TestImages.Sample("anim-2frames.gif"))),
    ];

    /// <summary>Referenced files by id: <c>logo</c> (base64url <c>bG9nbw</c>) is the PNG with alpha.</summary>
    public static readonly Dictionary<string, byte[]> Files = new(StringComparer.Ordinal) { ["logo"] = Sources[1].Bytes };
}
