using CdnProxy.Urls.Workers;

namespace CdnProxy.Urls.Tests.Workers;

public class CloudflareRulesTests
{
    private static readonly WorkerTranslator Translator = WorkerRuleSets.Translator("cloudflare");

    [Theory]
    [InlineData("cdn-cgi/image/width=300,height=200,fit=cover,format=webp/path/img.jpg", "t.resize(w:300,h:200,f:cover)~t.toFormat(f:webp)/path/img.jpg")]
    [InlineData("cdn-cgi/image/w=640/uploads/hero.jpg", "t.resize(w:640,f:inside)/uploads/hero.jpg")]
    [InlineData("cdn-cgi/image/width=400,quality=80,format=auto/uploads/hero.jpg", "t.resize(w:400,f:inside)~t.compress(q:80)/uploads/hero.jpg")]
    [InlineData("cdn-cgi/image/fit=pad,width=300,height=300,background=%23FFFFFF/logo.png", "t.resize(w:300,h:300,f:contain,b:ffffff)/logo.png")]
    [InlineData("cdn-cgi/image/fit=crop,gravity=top,w=200,h=100/a/b.jpg", "t.resize(w:200,h:100,f:cover,p:top)/a/b.jpg")]
    [InlineData("cdn-cgi/image/rotate=90,flip=hv/img.jpg", "t.rotate(a:90)~t.flip()~t.flop()/img.jpg")]
    [InlineData("cdn-cgi/image/saturation=0,q=60,f=avif/img.jpg", "t.grey()~t.compress(q:60)~t.toFormat(f:avif)/img.jpg")]
    [InlineData("cdn-cgi/image/format=auto/images/x.png", "original/images/x.png")]
    [InlineData("cdn-cgi/image/width=300,dpr=2,fit=scale-down/img.jpg", "t.resize(w:300,f:inside,dpr:2)/img.jpg")]
    [InlineData("cdn-cgi/image/metadata=none,anim=false,width=100//img.gif", "t.resize(w:100,f:inside)/img.gif")]
    public void Translates(string workerPath, string expected) =>
        Assert.Equal(expected, WorkerRuleSets.TranslateAndParse(Translator, workerPath));

    [Theory]
    [InlineData("cdn-cgi/image/width=300/https://example.com/img.jpg", "No worker rule matches this path")]
    [InlineData("cdn-cgi/image/blur=10/img.jpg", "Unsupported worker option 'blur'")]
    [InlineData("cdn-cgi/image/width=auto/img.jpg", "Unsupported value for worker option 'width'")]
    [InlineData("cdn-cgi/image/fit=pad,w=10,h=10,background=red/img.jpg", "Unsupported value for worker option 'background'")]
    public void Rejects(string workerPath, string message)
    {
        var error = Assert.Throws<CdnUrlException>(() => Translator.Translate(workerPath));
        Assert.Equal(UrlErrorCode.MalformedUrl, error.Code);
        Assert.Equal(message, error.Message);
    }
}
