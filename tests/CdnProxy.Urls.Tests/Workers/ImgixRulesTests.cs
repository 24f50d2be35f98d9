using CdnProxy.Urls.Workers;

namespace CdnProxy.Urls.Tests.Workers;

public class ImgixRulesTests
{
    private static readonly WorkerTranslator Translator = WorkerRuleSets.Translator("imgix");

    [Theory]
    [InlineData("products/shoe.jpg?w=300&h=200&fit=crop&fm=webp&q=80", "t.resize(w:300,h:200,f:cover)~t.compress(q:80)~t.toFormat(f:webp)/products/shoe.jpg")]
    [InlineData("img.jpg", "original/img.jpg")]
    [InlineData("img.jpg?w=640", "t.resize(w:640,f:inside)/img.jpg")]
    [InlineData("img.jpg?fit=crop&crop=top,left&w=200&h=200", "t.resize(w:200,h:200,f:cover,p:left_top)/img.jpg")]
    [InlineData("img.jpg?crop=top%2Cleft&fit=crop&w=200&h=200", "t.resize(w:200,h:200,f:cover,p:left_top)/img.jpg")]
    [InlineData("img.png?w=300&h=300&fit=fill&fill-color=ffffff", "t.resize(w:300,h:300,f:contain,b:ffffff)/img.png")]
    [InlineData("img.jpg?rot=90&flip=h", "t.rotate(a:90)~t.flop()/img.jpg")]
    [InlineData("a/b/c.jpg?auto=format%2Ccompress&ixlib=js-3.8.0&w=1200", "t.resize(w:1200,f:inside)/a/b/c.jpg")]
    [InlineData("img.jpg?sat=-100&fm=pjpg&q=60", "t.grey()~t.compress(q:60)~t.toFormat(f:jpeg)/img.jpg")]
    [InlineData("img.jpg?fill-color=%23FF0000&fit=fill&w=100&h=50", "t.resize(w:100,h:50,f:contain,b:ff0000)/img.jpg")]
    [InlineData("img.jpg?w=300&dpr=2", "t.resize(w:300,f:inside,dpr:2)/img.jpg")]
    [InlineData("img.jpg?", "original/img.jpg")]
    [InlineData("img.jpg?flip=hv&invert=true", "t.flip()~t.flop()~t.negate()/img.jpg")]
    public void Translates(string workerPath, string expected) =>
        Assert.Equal(expected, WorkerRuleSets.TranslateAndParse(Translator, workerPath));

    [Theory]
    [InlineData("img.jpg?w=0.5", "Unsupported value for worker option 'w'")]
    [InlineData("img.jpg?blend=ff0000", "Unsupported worker option 'blend'")]
    [InlineData("img.jpg?crop=faces&fit=crop&w=10&h=10", "Unsupported value for worker option 'crop'")]
    [InlineData("img.jpg?w=3%2Ch%3A5", "Unsupported value for worker option 'w'")]
    public void Rejects(string workerPath, string message)
    {
        var error = Assert.Throws<CdnUrlException>(() => Translator.Translate(workerPath));
        Assert.Equal(UrlErrorCode.MalformedUrl, error.Code);
        Assert.Equal(message, error.Message);
    }
}
