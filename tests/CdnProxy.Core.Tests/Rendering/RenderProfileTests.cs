using CdnProxy.Core.Planning;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Tests.Rendering;

public class RenderProfileTests
{
    private static readonly EncoderCapabilities Av1Only = new(["av1"]);
    private static readonly Version Engine = new(8, 18, 7);

    private static RenderProfile Profile(EncoderOptions? options = null, EncoderCapabilities? capabilities = null, Version? engine = null) =>
        RenderProfile.From(options ?? new EncoderOptions(), capabilities ?? Av1Only, engine ?? Engine);

    public static TheoryData<string, RenderProfile> Changes => new()
    {
        { "default JPEG quality", Profile(new EncoderOptions { JpegQuality = 90 }) },
        { "AVIF effort", Profile(new EncoderOptions { AvifEffort = 4 }) },
        { "GIF dither", Profile(new EncoderOptions { GifDither = 1 }) },
        { "kept copyright", Profile(new EncoderOptions { KeepCopyright = true }) },
        { "HEIF codec", Profile(capabilities: new EncoderCapabilities(["av1", "hevc"])) },
        { "engine version", Profile(engine: new Version(8, 14, 1)) },
    };

    [Fact]
    public void SameSettings_SameFingerprint()
    {
        Assert.Equal(Profile().Fingerprint, Profile().Fingerprint);
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public void AnySettingThatChangesTheBytes_ChangesTheFingerprint(string change, RenderProfile changed)
    {
        Assert.True(Profile().Fingerprint != changed.Fingerprint, change + " did not change the fingerprint");
    }

    [Fact]
    public void TheProfile_IsPartOfTheCacheKey()
    {
        var plan = new RenderPlanBinder(TransformationCatalog.Default).Bind(PatternGrammar.Parse("t.toFormat(f:avif)"));

        var before = RenditionKeyBuilder.Build("demo", "a.jpg", plan, 1, profile: Profile());
        var after = RenditionKeyBuilder.Build("demo", "a.jpg", plan, 1, profile: Profile(new EncoderOptions { AvifEffort = 4 }));

        Assert.NotEqual(before.Value, after.Value);
        Assert.Equal(before.OriginalId, after.OriginalId);
    }
}
