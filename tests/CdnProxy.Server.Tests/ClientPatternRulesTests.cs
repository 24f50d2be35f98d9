using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Transformations;
using CdnProxy.Server.Api;
using CdnProxy.Tests.Common;
using CdnProxy.Urls.Client;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Server.Tests;

/// <summary>
/// The client library checks patterns against the catalogue a default server publishes (GET /api/v1/catalog), embedded
/// in CdnProxy.Urls: it must be exactly what the server's binders and pattern limits describe. Run with
/// CDNPROXY_WRITE_CLIENT_CATALOG=1 to rewrite src/CdnProxy.Urls/Client/cdnproxy-catalog.json after changing a binder.
/// The client then refuses exactly the calls the server's binders refuse.
/// </summary>
public sealed class ClientPatternRulesTests
{
    [Fact]
    public void EmbeddedCatalog_IsWhatTheDefaultServerPublishes()
    {
        var published = JsonNode.Parse(CatalogDocument.Body(TransformationCatalog.Default, PatternLimits.Default).Bytes.Span);
        if (Environment.GetEnvironmentVariable("CDNPROXY_WRITE_CLIENT_CATALOG") == "1")
        {
            File.WriteAllText(
                Path.Combine(TestImages.RepositoryRoot, "src", "CdnProxy.Urls", "Client", "cdnproxy-catalog.json"),
                published!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            return;
        }

        using var stream = typeof(PatternRules).Assembly.GetManifestResourceStream("CdnProxy.Urls.Client.cdnproxy-catalog.json");
        Assert.NotNull(stream);
        Assert.True(
            JsonNode.DeepEquals(published, JsonNode.Parse(stream)),
            "src/CdnProxy.Urls/Client/cdnproxy-catalog.json is not what the server publishes: rerun this test with CDNPROXY_WRITE_CLIENT_CATALOG=1");
    }

    [Theory]
    [InlineData("t.resize(w:300,h:200,f:Cover,k:LANCZOS3,dpr:2.5)")]
    [InlineData("t.resize(w:100001)")]
    [InlineData("t.resize(w:-1)")]
    [InlineData("t.resize(w:1.5)")]
    [InlineData("t.resize(dpr:0.05)")]
    [InlineData("t.resize(dpr:+2)")]
    [InlineData("t.resize(x:1)")]
    [InlineData("t.resize(f:covr)")]
    [InlineData("t.resize(b:ff00)")]
    [InlineData("t.resize(b:FF000080)")]
    [InlineData("t.toFormat(f:jpg,q:GOOD)")]
    [InlineData("t.toFormat(q:0)")]
    [InlineData("t.toFormat(q:+50)")]
    [InlineData("t.compress(q:101)")]
    [InlineData("t.merge(r:1,m:wrap,bboxes:[[1_2_3_4]])")]
    [InlineData("t.merge(r:yes)")]
    [InlineData("t.merge(i:Li4vYQ)")]
    [InlineData("t.merge(i:YS5qcGc,tr:dC5mbGlwKCk)")]
    [InlineData("t.merge(i:YS5qcGc,tr:dC50b0Zvcm1hdChmOnBuZyk)")]
    [InlineData("t.extract(bbox:1_2_-3_4)")]
    [InlineData("t.rotate(a:-450)")]
    [InlineData("t.resise()")]
    [InlineData("erase.bg()")]
    public void Client_RefusesExactlyTheCallsTheServerRefuses(string pattern)
    {
        var serverBinds = true;
        try
        {
            foreach (var call in PatternGrammar.Parse(pattern).Calls)
            {
                TransformationCatalog.Default.Bind(call);
            }
        }
        catch (CdnException)
        {
            serverBinds = false;
        }

        var obj = new PixelbinUrlObject { CloudName = "demo", FilePath = "a.jpg", Transformations = PixelbinUrls.PatternToTransformations(pattern) };
        var clientBuilds = true;
        try
        {
            PixelbinUrls.ObjToUrl(obj, PatternRules.CdnProxyDefaults);
        }
        catch (PixelbinUrlException)
        {
            clientBuilds = false;
        }

        Assert.Equal(serverBinds, clientBuilds);
    }
}
