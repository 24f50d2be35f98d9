using CdnProxy.Urls.Workers;

namespace CdnProxy.Urls.Tests.Workers;

public class CloudinaryRulesTests
{
    private static readonly WorkerTranslator Translator = WorkerRuleSets.Translator("cloudinary");

    [Theory]
    [InlineData("image/upload/w_300,h_200,c_fill/v123/folder/img.jpg", "t.resize(w:300,h:200,f:cover)/folder/img.jpg")]
    [InlineData("image/upload/c_fill,h_200,w_300/folder/img.jpg", "t.resize(w:300,h:200,f:cover)/folder/img.jpg")]
    [InlineData("image/upload/w_300,h_200,c_fit/img.jpg", "t.resize(w:300,h:200,f:inside)/img.jpg")]
    [InlineData("image/upload/c_limit,w_800/v1699999999/products/shoe.png", "t.resize(w:800,f:inside)/products/shoe.png")]
    [InlineData("image/upload/w_300,h_200/sample.jpg", "t.resize(w:300,h:200,f:fill)/sample.jpg")]
    [InlineData("image/upload/c_scale,w_300/sample.jpg", "t.resize(w:300,f:fill)/sample.jpg")]
    [InlineData("image/upload/c_pad,w_400,h_400,b_rgb:ffffff/logo.png", "t.resize(w:400,h:400,f:contain,b:ffffff)/logo.png")]
    [InlineData("image/upload/c_pad,w_300,h_300,b_white,dpr_2.0/x.png", "t.resize(w:300,h:300,f:contain,b:ffffff,dpr:2.0)/x.png")]
    [InlineData("image/upload/q_80,f_webp/v42/banner.jpg", "t.compress(q:80)~t.toFormat(f:webp)/banner.jpg")]
    [InlineData("image/upload/a_90/folder/sub/pic.jpg", "t.rotate(a:90)/folder/sub/pic.jpg")]
    [InlineData("image/upload/folder/img.jpg", "original/folder/img.jpg")]
    [InlineData("image/upload/v123/folder/img.jpg", "original/folder/img.jpg")]
    [InlineData("image/upload/c_fill,g_north_east,w_150,h_150/a_hflip/e_grayscale/q_auto,f_auto/face.jpg", "t.resize(w:150,h:150,f:cover,p:right_top)~t.flop()~t.grey()/face.jpg")]
    [InlineData("w_300,c_scale/img.jpg", "t.resize(w:300,f:fill)/img.jpg")]
    [InlineData("image/upload/a_90/w_200,c_fill,h_100/x.jpg", "t.rotate(a:90)~t.resize(w:200,h:100,f:cover)/x.jpg")]
    [InlineData("image/upload/w_200,fl_progressive/x.jpg", "t.resize(w:200,f:fill)/x.jpg")]
    public void Translates(string workerPath, string expected) =>
        Assert.Equal(expected, WorkerRuleSets.TranslateAndParse(Translator, workerPath));

    [Theory]
    [InlineData("image/upload/c_scale,w_0.5/img.jpg", "Unsupported value for worker option 'w'")]
    [InlineData("image/upload/c_crop,w_100,h_100,x_10,y_20/img.jpg", "Unsupported value for worker option 'c'")]
    [InlineData("image/upload/w_100,l_logo/img.jpg", "Unsupported worker option 'l'")]
    [InlineData("image/upload/e_blur:300/img.jpg", "Unsupported value for worker option 'e'")]
    public void Rejects(string workerPath, string message)
    {
        var error = Assert.Throws<CdnUrlException>(() => Translator.Translate(workerPath));
        Assert.Equal(UrlErrorCode.MalformedUrl, error.Code);
        Assert.Equal(message, error.Message);
    }
}
