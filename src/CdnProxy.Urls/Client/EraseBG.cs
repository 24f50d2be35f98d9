namespace CdnProxy.Urls.Client;

/// <summary>Builders for the <c>erase</c> plugin (EraseBG background removal).</summary>
public static class EraseBG
{
    /// <summary><c>erase.bg</c>; keys i, shadow, r. With no arguments: <c>erase.bg(i:general,shadow:false,r:true)</c>.</summary>
    /// <param name="industryType"><c>general</c>, <c>ecommerce</c>, <c>car</c>, <c>human</c> or <c>object</c>.</param>
    /// <param name="addShadow">Keep a shadow under the subject.</param>
    /// <param name="refine">Refine the cut-out edges.</param>
    /// <returns>The operation.</returns>
    public static Transformation Bg(string? industryType = null, bool? addShadow = null, bool? refine = null) =>
        new Args().Add("i", industryType).Add("shadow", addShadow).Add("r", refine)
            .Build("erase", "bg", new Args().Add("i", "general").Add("shadow", false).Add("r", true));
}
