namespace CdnProxy.Urls.Client;

/// <summary>Builders for the <c>sr</c> plugin (Super Resolution).</summary>
public static class SuperResolution
{
    /// <summary>
    /// <c>sr.upscale</c>; keys t, enhance_face, model, enhance_quality. With no arguments:
    /// <c>sr.upscale(t:2x,enhance_face:false,model:Picasso,enhance_quality:false)</c>.
    /// </summary>
    /// <param name="type"><c>2x</c>, <c>4x</c> or <c>8x</c>.</param>
    /// <param name="enhanceFace">Enhance faces.</param>
    /// <param name="model"><c>Picasso</c> or <c>Flash</c>.</param>
    /// <param name="enhanceQuality">Enhance quality.</param>
    /// <returns>The operation.</returns>
    public static Transformation Upscale(string? type = null, bool? enhanceFace = null, string? model = null, bool? enhanceQuality = null) =>
        new Args().Add("t", type).Add("enhance_face", enhanceFace).Add("model", model).Add("enhance_quality", enhanceQuality)
            .Build("sr", "upscale", new Args().Add("t", "2x").Add("enhance_face", false).Add("model", "Picasso").Add("enhance_quality", false));
}
