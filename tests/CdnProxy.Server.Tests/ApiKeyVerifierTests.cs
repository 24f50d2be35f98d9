using CdnProxy.Core;
using CdnProxy.Server.Api;
using Microsoft.AspNetCore.Http;

namespace CdnProxy.Server.Tests;

public class ApiKeyVerifierTests
{
    private readonly ApiKeyVerifier _verifier = new(["key-one", "key-two-longer"]);

    [Theory]
    [InlineData("key-one", true)]
    [InlineData("key-two-longer", true)]
    [InlineData("key-on", false)]
    [InlineData("key-one ", false)]
    [InlineData("KEY-ONE", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValid(string? presented, bool expected) => Assert.Equal(expected, _verifier.IsValid(presented));

    [Fact]
    public void ConfiguredKeys_AreTrimmed_AsTheirValidationTrimsThem()
    {
        var verifier = new ApiKeyVerifier([" padded-key-0123456789\n"]);

        Assert.True(verifier.IsValid("padded-key-0123456789"));
        Assert.False(verifier.IsValid(" padded-key-0123456789\n"));
    }

    [Fact]
    public void NoKeys_DisablesTheApi_AndAcceptsNothing()
    {
        var none = new ApiKeyVerifier(["", " "]);

        Assert.False(none.Enabled);
        Assert.False(none.IsValid(string.Empty));
        Assert.True(_verifier.Enabled);
    }

    [Theory]
    [InlineData("Authorization", "Bearer key-one", "key-one")]
    [InlineData("Authorization", "bearer   key-one  ", "key-one")]
    [InlineData("Authorization", "Basic a2V5", null)]
    [InlineData("x-api-key", "key-two-longer", "key-two-longer")]
    [InlineData("x-api-key", " key-two-longer ", "key-two-longer")]
    [InlineData("WWW-Authenticate", "key-one", "key-one")]
    [InlineData("WWW-Authenticate", "Bearer key-one", "key-one")]
    [InlineData("WWW-Authenticate", "  ", null)]
    public void PresentedKey_ComesFromBearerXApiKeyOrWwwAuthenticate(string header, string value, string? expected)
    {
        var request = new DefaultHttpContext().Request;
        request.Headers[header] = value;

        Assert.Equal(expected, ApiKeyVerifier.PresentedKey(request));
    }

    [Fact]
    public void PresentedKey_ComesFromTheQuery_AndMayBeRepeatedElsewhere()
    {
        var request = new DefaultHttpContext().Request;
        request.QueryString = new QueryString("?key=key-one&x=1");

        Assert.Equal("key-one", ApiKeyVerifier.PresentedKey(request));

        request.Headers["x-api-key"] = "key-one";
        Assert.Equal("key-one", ApiKeyVerifier.PresentedKey(request));
    }

    [Theory]
    [InlineData("Authorization", "Bearer key-one", "x-api-key", "wrong")] // one of them valid: still refused, either way round
    [InlineData("x-api-key", "wrong", "Authorization", "Bearer key-one")]
    [InlineData("x-api-key", "key-one", "WWW-Authenticate", "key-two-longer")] // two valid keys: which one would it be?
    public void TwoDifferentKeys_AreRefused(string header, string value, string otherHeader, string otherValue)
    {
        var request = new DefaultHttpContext().Request;
        request.Headers[header] = value;
        request.Headers[otherHeader] = otherValue;

        Assert.Equal(ApiKeyVerifier.Conflicting, ApiKeyVerifier.PresentedKey(request));
        Assert.Null(_verifier.Authenticate(request));
    }

    [Fact]
    public void OneParameterGivenTwice_WithTwoKeys_IsRefused()
    {
        var request = new DefaultHttpContext().Request;
        request.QueryString = new QueryString("?key=key-one&key=key-two-longer");

        Assert.Null(_verifier.Authenticate(request));
    }

    [Fact]
    public void PresentedKey_IsNull_WhenNothingCarriesOne()
    {
        var request = new DefaultHttpContext().Request;
        request.QueryString = new QueryString("?key=");

        Assert.Null(ApiKeyVerifier.PresentedKey(request));
    }

    [Theory]
    [InlineData(null, "key-one", "key-one")] // the body's field when nothing else carries one, trimmed below
    [InlineData(null, " key-one\n", "key-one")]
    [InlineData(null, "wrong", null)]
    [InlineData(null, null, null)]
    [InlineData("key-two-longer", "key-one", "key-two-longer")] // a header's key comes first
    [InlineData("wrong", "key-one", null)] // and is not replaced by the body's when it is wrong
    public void Authenticate_TakesTheHeadersOrQueryFirst_ThenTheBodysKeyField(string? header, string? bodyKey, string? expected)
    {
        var request = new DefaultHttpContext().Request;
        if (header is not null)
        {
            request.Headers["x-api-key"] = header;
        }

        Assert.Equal(expected, _verifier.Authenticate(request, bodyKey));
    }

    [Fact]
    public void CheckPresentedKey_ReturnsAValidKey_OrNullWhenNoneIsSent_AndRefusesAWrongOne()
    {
        var valid = new DefaultHttpContext().Request;
        valid.Headers.Authorization = "Bearer key-one";
        var wrong = new DefaultHttpContext().Request;
        wrong.QueryString = new QueryString("?key=key-three");

        Assert.Equal("key-one", _verifier.CheckPresentedKey(valid, "refused"));
        Assert.Null(_verifier.CheckPresentedKey(new DefaultHttpContext().Request, "refused"));
        var refusal = Assert.Throws<CdnException>(() => _verifier.CheckPresentedKey(wrong, "refused: send a valid key"));
        Assert.Equal(CdnErrorKind.ApiKeyInvalid, refusal.Kind);
        Assert.Equal("refused: send a valid key", refusal.Message);
    }
}
