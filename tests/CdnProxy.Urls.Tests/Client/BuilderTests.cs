using CdnProxy.Urls.Client;

namespace CdnProxy.Urls.Tests.Client;

/// <summary>Spec §3 "Emits …" strings and §6.6 builder outputs of the core SDK.</summary>
public class BuilderTests
{
    private const string Prefix = "https://cdn.pixelbin.io/v2/demo/";
    private const string File = "/path/to/image.jpeg";

    public static TheoryData<Transformation, string> Defaults => new()
    {
        { Basic.Resize(), "t.resize(h:0,w:0,f:cover,b:000000,p:center,k:lanczos3,dpr:1)" },
        { Basic.Compress(), "t.compress(q:80)" },
        { Basic.Extend(), "t.extend(t:10,l:10,b:10,r:10,bc:000000,bt:constant,dpr:1)" },
        { Basic.Extract(), "t.extract(t:10,l:10,h:50,w:20)" },
        { Basic.Trim(), "t.trim(t:10)" },
        { Basic.Rotate(), "t.rotate(a:0,b:000000)" },
        { Basic.Flip(), "t.flip()" },
        { Basic.Flop(), "t.flop()" },
        { Basic.Sharpen(), "t.sharpen(s:1.5)" },
        { Basic.Median(), "t.median(s:3)" },
        { Basic.Blur(), "t.blur(s:0.3,dpr:1)" },
        { Basic.Flatten(), "t.flatten(b:000000)" },
        { Basic.Negate(), "t.negate()" },
        { Basic.Normalise(), "t.normalise()" },
        { Basic.Grey(), "t.grey()" },
        { Basic.Linear(), "t.linear(a:1,b:0)" },
        { Basic.Modulate(), "t.modulate(b:1,s:1,h:90)" },
        { Basic.Tint(), "t.tint(c:000000)" },
        { Basic.ToFormat(), "t.toFormat(f:jpeg,q:75)" },
        { Basic.Density(), "t.density(d:300)" },
        { Basic.Merge(), "t.merge(m:overlay,bg:00000000,h:0,w:0,t:0,l:0,g:center,b:over,r:false)" },
        { EraseBG.Bg(), "erase.bg(i:general,shadow:false,r:true)" },
        { SuperResolution.Upscale(), "sr.upscale(t:2x,enhance_face:false,model:Picasso,enhance_quality:false)" },
    };

    [Theory]
    [MemberData(nameof(Defaults))]
    public void NoArguments_EmitsTheSdkDefaults(Transformation transformation, string expected)
    {
        Assert.Equal(expected, transformation.ToString());
    }

    public static TheoryData<Transformation, string> WithArguments => new()
    {
        { Basic.Resize(height: 100, width: 100), "t.resize(h:100,w:100)" },
        { Basic.Resize(width: 0), "t.resize(w:0)" },
        { Basic.Resize(height: 300, width: 200, fit: "contain", background: "ff0000", position: "right_top", algorithm: "nearest", dpr: 2), "t.resize(h:300,w:200,f:contain,b:ff0000,p:right_top,k:nearest,dpr:2)" },
        { Basic.Resize(fit: "", width: 5), "t.resize(w:5)" },
        { Basic.Extract(boundingBox: "10_20_30_40"), "t.extract(bbox:10_20_30_40)" },
        { Basic.Rotate(angle: -249), "t.rotate(a:-249)" },
        { Basic.Blur(sigma: 2.5, dpr: 1.5), "t.blur(s:2.5,dpr:1.5)" },
        { Basic.ToFormat(format: "webp", quality: "80"), "t.toFormat(f:webp,q:80)" },
        { Basic.Merge(mode: "wrap", listOfBboxes: "[[10_10_100_100]_[200_20_100_100]]"), "t.merge(m:wrap,bboxes:[[10_10_100_100]_[200_20_100_100]])" },
        { Basic.Merge(mode: "underlay", image: "eU44YkFJOHlVMmZrWVRDOUNTRm1D", blend: "screen", tile: true), "t.merge(m:underlay,i:eU44YkFJOHlVMmZrWVRDOUNTRm1D,b:screen,r:true)" },
        { EraseBG.Bg(addShadow: true), "erase.bg(shadow:true)" },
        { SuperResolution.Upscale(type: "4x", model: "Flash"), "sr.upscale(t:4x,model:Flash)" },
        { Transformation.Custom("p", "thumb"), "p:thumb" },
    };

    [Theory]
    [MemberData(nameof(WithArguments))]
    public void Arguments_AreEmittedInSdkOrder(Transformation transformation, string expected)
    {
        Assert.Equal(expected, transformation.ToString());
    }

    [Fact]
    public void Image_Resize()
    {
        var image = new PixelbinImage("demo", "path/to/image.jpeg") { Transformation = Basic.Resize(height: 100, width: 100) };
        Assert.Equal(Prefix + "t.resize(h:100,w:100)" + File, image.GetUrl());
    }

    [Fact]
    public void Image_Chain()
    {
        var chain = Basic.Resize(width: 300).Pipe(Basic.Flip()).Pipe(Basic.ToFormat(format: "webp", quality: "80"));
        var image = new PixelbinImage("demo", "path/to/image.jpeg") { Transformation = chain };
        Assert.Equal(Prefix + "t.resize(w:300)~t.flip()~t.toFormat(f:webp,q:80)" + File, image.GetUrl());
        Assert.Equal(3, chain.Steps.Count);
    }

    [Fact]
    public void Pipe_LeavesTheOriginalUnchanged()
    {
        var resize = Basic.Resize(width: 300);
        _ = resize.Pipe(Basic.Flip());
        Assert.Equal("t.resize(w:300)", resize.ToString());
        Assert.Equal(Basic.Resize(width: 300), resize);
    }

    [Fact]
    public void Image_NoTransformation_IsOriginal()
    {
        Assert.Equal(Prefix + "original" + File, new PixelbinImage("demo", "path/to/image.jpeg").GetUrl());
    }

    [Theory]
    [InlineData("default", Prefix + "original" + File)]
    [InlineData(null, Prefix + "original" + File)]
    [InlineData("z-slug", Prefix + "z-slug/original" + File)]
    public void Image_Zone(string? zone, string expected)
    {
        Assert.Equal(expected, new PixelbinImage("demo", "path/to/image.jpeg", zone).GetUrl());
    }

    [Fact]
    public void Image_Worker()
    {
        var image = new PixelbinImage("demo", "resize:w200/img.jpg", zone: "z-slug", worker: true) { Transformation = Basic.Flip() };
        Assert.Equal("https://cdn.pixelbin.io/v2/demo/z-slug/wrkr/resize:w200/img.jpg", image.GetUrl());
    }

    [Fact]
    public void Image_SpacesAreRemoved()
    {
        var image = new PixelbinImage("demo", "my folder/a b.png") { Transformation = Basic.Resize(fit: "con tain") };
        Assert.Equal(Prefix + "t.resize(f:contain)/myfolder/ab.png", image.GetUrl());
    }
}
