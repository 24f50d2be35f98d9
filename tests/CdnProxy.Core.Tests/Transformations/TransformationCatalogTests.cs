using CdnProxy.Core.Transformations;
using CdnProxy.Core.Transformations.Basic;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Tests.Transformations;

public class TransformationCatalogTests
{
    public static TheoryData<string> DefaultNames => [.. TransformationCatalog.Default.Names];

    private static TransformationCall Call(string pattern) => PatternGrammar.Parse(pattern).Calls.Single();

    [Fact]
    public void Default_ListsTheBasicOperationsSorted()
    {
        Assert.Equal(
            ["t.blur", "t.compress", "t.density", "t.extend", "t.extract", "t.flatten", "t.flip", "t.flop", "t.grey", "t.linear", "t.median", "t.merge", "t.modulate", "t.negate", "t.normalise", "t.resize", "t.rotate", "t.sharpen", "t.tint", "t.toFormat", "t.trim"],
            TransformationCatalog.Default.Names.Where(name => name.StartsWith("t.", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(DefaultNames))]
    public void Bind_EveryDefaultNameWithoutArguments_Binds(string name)
    {
        var (transformation, canonical) = TransformationCatalog.Default.Bind(Call(name + "()"));

        Assert.NotNull(transformation);
        Assert.StartsWith(name + "(", canonical, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DefaultNames))]
    public void Bind_CanonicalText_IsStableUnderReparsing(string name)
    {
        var (first, canonical) = TransformationCatalog.Default.Bind(Call(name + "()"));
        var (second, again) = TransformationCatalog.Default.Bind(Call(canonical));

        Assert.Equal(canonical, again);
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("t.resize(w:300,dpr:2.50,b:FFFFFF,f:contain,p:centre,k:LANCZOS3)")]
    [InlineData("t.rotate(a:-90,b:00000080)")]
    [InlineData("t.toFormat(f:jpg,q:best)")]
    [InlineData("t.compress(q:050)")]
    public void Bind_CanonicalTextWithArguments_IsStableUnderReparsing(string pattern)
    {
        var (first, canonical) = TransformationCatalog.Default.Bind(Call(pattern));
        var (second, again) = TransformationCatalog.Default.Bind(Call(canonical));

        Assert.Equal(canonical, again);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Bind_Resize_CanonicalHasSortedKeysAndDefaults()
    {
        var (_, canonical) = TransformationCatalog.Default.Bind(Call("t.resize(w:300,dpr:2.50)"));

        Assert.Equal("t.resize(b:000000,dpr:2.5,f:cover,h:0,k:lanczos3,p:center,w:300)", canonical);
    }

    [Fact]
    public void Bind_UnknownOperation_ThrowsUnknownTransformationWithColumn()
    {
        var call = PatternGrammar.Parse("t.flip()~t.frobnicate(s:2)").Calls[1];

        var e = Assert.Throws<CdnException>(() => TransformationCatalog.Default.Bind(call));

        Assert.Equal(CdnErrorKind.UnknownTransformation, e.Kind);
        Assert.Equal(10, e.Column);
        Assert.Contains("t.frobnicate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownPlugin_ThrowsUnknownTransformation()
    {
        var e = Assert.Throws<CdnException>(() => TransformationCatalog.Default.Bind(Call("x.resize(w:1)")));

        Assert.Equal(CdnErrorKind.UnknownTransformation, e.Kind);
        Assert.Equal(1, e.Column);
    }

    [Fact]
    public void Bind_VeryLongUnknownName_IsShortenedInMessage()
    {
        var name = "t." + new string('a', 200);

        var e = Assert.Throws<CdnException>(() => TransformationCatalog.Default.Bind(Call(name + "()")));

        Assert.True(e.Message.Length < 120, e.Message);
    }

    [Fact]
    public void Bind_NameIsCaseSensitive()
    {
        var e = Assert.Throws<CdnException>(() => TransformationCatalog.Default.Bind(Call("t.Resize(w:1)")));

        Assert.Equal(CdnErrorKind.UnknownTransformation, e.Kind);
    }

    [Fact]
    public void Bind_UnknownArgument_ThrowsInvalidArgument()
    {
        var e = Assert.Throws<CdnException>(() => TransformationCatalog.Default.Bind(Call("t.flip(x:1)")));

        Assert.Equal(CdnErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_SameNameTwice_Throws()
    {
        var catalog = new TransformationCatalog().Add<Flip>();

        var e = Assert.Throws<InvalidOperationException>(() => catalog.Add<Flip>());

        Assert.Contains("t.flip", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_DifferentTypesWithTheSameName_Throws()
    {
        var catalog = new TransformationCatalog().Add<Flip>();

        Assert.Throws<InvalidOperationException>(() => catalog.Add<OtherFlip>());
    }

    [Fact]
    public void Bind_OnlyRegisteredNames()
    {
        var catalog = new TransformationCatalog().Add<Flop>();

        Assert.Equal(["t.flop"], catalog.Names);
        Assert.Throws<CdnException>(() => catalog.Bind(Call("t.flip()")));
    }

    private sealed record OtherFlip : ITransformation<OtherFlip>
    {
        public static string Name => "t.flip";

        public static OtherFlip Bind(ArgumentReader args) => new();

        public VipsImage Apply(VipsImage image, RenderContext context) => image;
    }
}
