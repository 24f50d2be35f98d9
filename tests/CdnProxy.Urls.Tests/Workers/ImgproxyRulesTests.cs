using CdnProxy.Urls.Workers;

namespace CdnProxy.Urls.Tests.Workers;

public class ImgproxyRulesTests
{
    private static readonly WorkerTranslator Translator = WorkerRuleSets.Translator("imgproxy");

    [Theory]
    [InlineData("insecure/rs:fit:300:200/plain/local:///path/to/img.jpg@webp", "t.resize(f:inside,w:300,h:200)~t.toFormat(f:webp)/path/to/img.jpg")]
    [InlineData("insecure/rs:fill:300:200/q:80/plain/images/cat.png", "t.resize(f:cover,w:300,h:200)~t.compress(q:80)/images/cat.png")]
    [InlineData("_/resize:force:640:480:0/plain/local:///a.jpg", "t.resize(f:fill,w:640,h:480)/a.jpg")]
    [InlineData("insecure/w:300/plain/img.jpg", "t.resize(f:inside,w:300)/img.jpg")]
    [InlineData("insecure/h:200/q:75/f:png/plain/local:///photos/2024/x.jpg", "t.resize(f:inside,h:200)~t.compress(q:75)~t.toFormat(f:png)/photos/2024/x.jpg")]
    [InlineData("insecure/plain/local:///img.jpg", "original/img.jpg")]
    [InlineData("insecure/plain/img.jpg@avif", "t.toFormat(f:avif)/img.jpg")]
    [InlineData("insecure/s:400:0/g:noea/rt:fill/plain/img.jpg", "t.resize(w:400,h:0,f:cover,p:right_top)/img.jpg")]
    [InlineData("insecure/rot:90/bl:2.5/sh:0.7/plain/a/b.jpg", "t.rotate(a:90)~t.blur(s:2.5)~t.sharpen(s:0.7)/a/b.jpg")]
    [InlineData("insecure/rs:fit:300/cb:123/plain/img.jpg?v=1", "t.resize(f:inside,w:300)/img.jpg")]
    [InlineData("insecure/w:300/f:webp/plain/img.jpg@png", "t.resize(f:inside,w:300)~t.toFormat(f:png)/img.jpg")]
    [InlineData("insecure/rs:fill:100:100/bg:FFFFFF/plain/logo.png", "t.resize(f:cover,w:100,h:100)~t.flatten(b:ffffff)/logo.png")]
    [InlineData("insecure/rs:fit:300:200/width:500/plain/img.jpg", "t.resize(f:inside,w:500,h:200)/img.jpg")]
    public void Translates(string workerPath, string expected) =>
        Assert.Equal(expected, WorkerRuleSets.TranslateAndParse(Translator, workerPath));

    [Theory]
    [InlineData("insecure/rs:auto:300:200/plain/img.jpg", "Unsupported value for worker option 'rs'")]
    [InlineData("insecure/pr:thumb/plain/img.jpg", "Unsupported worker option 'pr'")]
    [InlineData("insecure/bg:255:255:255/plain/img.jpg", "Unsupported value for worker option 'bg'")]
    [InlineData("insecure/aHR0cDovL2V4YW1wbGUuY29tL2ltZy5qcGc.jpg", "No worker rule matches this path")]
    [InlineData("signature/w:300/plain/img.jpg", "No worker rule matches this path")]
    public void Rejects(string workerPath, string message)
    {
        var error = Assert.Throws<CdnUrlException>(() => Translator.Translate(workerPath));
        Assert.Equal(UrlErrorCode.MalformedUrl, error.Code);
        Assert.Equal(message, error.Message);
    }
}
