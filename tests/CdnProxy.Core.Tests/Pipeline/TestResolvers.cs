using CdnProxy.Core.Origins;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Tests.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Presets;
using CdnProxy.Urls.Security;

namespace CdnProxy.Core.Tests.Pipeline;

/// <summary>A resolver as the server builds it (the whole catalogue, no presets, default limits) over test clouds.</summary>
internal static class TestResolvers
{
    public static RequestResolver For(ICloudCatalog clouds, TimeProvider? time = null, SigningKeyRing? keys = null) => new(
        clouds,
        new RenderPlanBinder(TransformationCatalog.Default, RenderHarness.Capabilities),
        PresetCatalog.Empty,
        keys ?? SigningKeyRing.Empty,
        SignatureVerifierOptions.Default,
        PatternLimits.Default,
        time ?? TimeProvider.System);
}
