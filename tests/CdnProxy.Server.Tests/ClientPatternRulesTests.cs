using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Pipeline;
using CdnProxy.Core.Planning;
using CdnProxy.Core.Transformations;
using CdnProxy.Server.Api;
using CdnProxy.Tests.Common;
using CdnProxy.Urls.Client;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Presets;
using CdnProxy.Urls.Security;

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
        var embedded = JsonNode.Parse(stream);
        Assert.True(
            JsonNode.DeepEquals(published, embedded),
            $"src/CdnProxy.Urls/Client/cdnproxy-catalog.json is not what the server publishes ({Differences(published!, embedded!)}), so "
            + "PixelbinImage refuses or builds the wrong calls. Regenerate it: CDNPROXY_WRITE_CLIENT_CATALOG=1 dotnet test "
            + "tests/CdnProxy.Server.Tests -c Release --filter FullyQualifiedName~ClientPatternRulesTests.EmbeddedCatalog, then commit the file");
    }

    /// <summary>Which parts of the catalogue differ: the limits, operations only one side has, operations described otherwise.</summary>
    private static string Differences(JsonNode published, JsonNode embedded)
    {
        static Dictionary<string, JsonNode> Operations(JsonNode catalog) =>
            catalog["operations"]!.AsArray().ToDictionary(operation => (string)operation!["name"]!, operation => operation!);

        var (server, client) = (Operations(published), Operations(embedded));
        var differences = new List<string>();
        differences.AddRange(server.Keys.Except(client.Keys).Select(name => name + " missing"));
        differences.AddRange(client.Keys.Except(server.Keys).Select(name => name + " no longer served"));
        differences.AddRange(server.Keys.Intersect(client.Keys).Where(name => !JsonNode.DeepEquals(server[name], client[name])).Select(name => name + " changed"));
        if (!JsonNode.DeepEquals(published["limits"], embedded["limits"]))
        {
            differences.Add("limits changed");
        }

        return differences.Count == 0 ? "other fields changed" : string.Join(", ", differences);
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

    /// <summary>
    /// Every argument of every operation the server serves, at and just past each end of its range, in other cases and
    /// spellings: the default image builder (<see cref="PixelbinImage"/>) builds exactly the URLs the server's
    /// <see cref="RequestResolver"/> resolves, and refuses the others.
    /// </summary>
    [Fact]
    public void ImageBuilder_BuildsExactlyWhatTheServerResolves_AtEveryRangeBoundary()
    {
        var resolver = DefaultServer();
        var disagreements = new List<string>();
        var cases = 0;
        foreach (var operation in TransformationCatalog.Default.Describe())
        {
            var (plugin, name) = (operation.Name[..operation.Name.IndexOf('.', StringComparison.Ordinal)], operation.Name[(operation.Name.IndexOf('.', StringComparison.Ordinal) + 1)..]);
            var calls = operation.Arguments.Count == 0
                ? [Transformation.Custom(plugin, name)]
                : operation.Arguments.SelectMany(argument => SampleValues(argument).Select(value =>
                    Transformation.Custom(plugin, name, new KeyValuePair<string, string?>(argument.Key, value))));
            foreach (var call in calls)
            {
                cases++;
                var lenient = new PixelbinImage("demo", "a.jpg") { Rules = PatternRules.AnyOperation, Transformation = call }.GetUrl();
                var served = Accepts(() => resolver.Resolve(new ImageRequest(Uri.UnescapeDataString(new Uri(lenient).AbsolutePath))));
                var built = Accepts(() => new PixelbinImage("demo", "a.jpg") { Rules = PatternRules.CdnProxyDefaults, Transformation = call }.GetUrl());
                if (served != built)
                {
                    disagreements.Add($"{call}: server {(served ? "serves" : "refuses")}, client {(built ? "builds" : "refuses")}");
                }
            }
        }

        Assert.True(cases > 300, $"only {cases} cases");
        string[] expected =
        [
            // Refused by the server for a combination the catalogue does not describe (a region of no area, a
            // wrap region without m:wrap): the client checks each argument alone, so it builds these.
            "t.extract(bbox:0_0_0_0): server refuses, client builds",
            "t.merge(bboxes:[[10_10_100_100]_[200_20_100_100]]): server refuses, client builds",
            "t.merge(bboxes:[[1_2_3_4]]): server refuses, client builds",
            "t.merge(polys:[[[0_0]_[10_0]_[10_10]]]): server refuses, client builds",
            "t.merge(polys:[[[0_0]_[10_0]_[10_-10]]]): server refuses, client builds",
        ];
        Assert.True(disagreements.SequenceEqual(expected), "The client and the server disagree on:\n" + string.Join('\n', disagreements.Except(expected)) + "\nExpected only:\n" + string.Join('\n', expected));
    }

    /// <summary>Whole patterns as users write them: the SDK's builder outputs (spec §3, §6.6), positions, aliases and
    /// case variants; the client builds each one the server resolves.</summary>
    [Theory]
    [InlineData("t.resize(h:0,w:0,f:cover,b:000000,p:center,k:lanczos3,dpr:1)")]
    [InlineData("t.resize(h:300,w:200,f:contain,b:ff0000,p:right_top,k:nearest,dpr:2)")]
    [InlineData("t.resize(w:300,p:face)~t.resize(w:10,p:Attention)~t.resize(p:ENTROPY,f:Outside)")]
    [InlineData("t.compress(q:80)~t.extend(t:10,l:10,b:10,r:10,bc:000000,bt:constant,dpr:1)")]
    [InlineData("t.extract(t:10,l:10,h:50,w:20)~t.trim(t:10)~t.rotate(a:0,b:000000)~t.flip()~t.flop()")]
    [InlineData("t.sharpen(s:1.5)~t.median(s:3)~t.blur(s:0.3,dpr:1)~t.flatten(b:000000)~t.negate()~t.normalise()~t.grey()")]
    [InlineData("t.linear(a:1,b:0)~t.modulate(b:1,s:1,h:90)~t.tint(c:000000)~t.toFormat(f:jpeg,q:75)~t.density(d:300)")]
    [InlineData("t.merge(m:overlay,bg:00000000,h:0,w:0,t:0,l:0,g:center,b:over,r:false)")]
    [InlineData("t.merge(m:wrap,bboxes:[[10_10_100_100]_[200_20_100_100]])")]
    [InlineData("t.merge(m:underlay,i:eU44YkFJOHlVMmZrWVRDOUNTRm1D,b:screen,r:true)")]
    [InlineData("t.merge(i:YS5qcGc,g:centre,b:color-dodge)~t.toFormat(f:JPG,q:best)")]
    [InlineData("t.rotate(a:-249)~t.extract(bbox:10_20_30_40)~t.resize(w:5)")]
    public void ImageBuilder_BuildsTheSdksPatternsTheServerServes(string pattern)
    {
        var resolver = DefaultServer();
        var steps = PixelbinUrls.PatternToTransformations(pattern).Select(t =>
            Transformation.Custom(t.Plugin, t.Name, [.. (t.Values ?? []).Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))]));
        var transformation = steps.Aggregate((chain, step) => chain.Pipe(step));

        resolver.Resolve(new ImageRequest($"/v2/demo/{pattern}/a.jpg"));
        Assert.Equal($"https://cdn.pixelbin.io/v2/demo/{pattern}/a.jpg", new PixelbinImage("demo", "a.jpg") { Rules = PatternRules.CdnProxyDefaults, Transformation = transformation }.GetUrl());
    }

    /// <summary>The dpr query at and past the ends of its range: the client writes exactly the values the server reads.</summary>
    [Theory]
    [InlineData(0.1)]
    [InlineData(5)]
    [InlineData(2.5)]
    [InlineData(0.09)]
    [InlineData(5.01)]
    [InlineData(0)]
    public void Dpr_IsBuiltExactlyWhenTheServerReadsIt(double dpr)
    {
        var obj = new PixelbinUrlObject
        {
            CloudName = "demo",
            FilePath = "a.jpg",
            Transformations = [],
            Options = new PixelbinUrlOptions { Dpr = PixelbinDpr.FromNumber(dpr), FAuto = true },
        };
        var text = dpr.ToString(CultureInfo.InvariantCulture);

        var served = Accepts(() => DefaultServer().Resolve(new ImageRequest("/v2/demo/original/a.jpg", Dpr: text)));
        var built = Accepts(() => PixelbinUrls.ObjToUrl(obj, PatternRules.CdnProxyDefaults));

        Assert.Equal(served, built);
        Assert.Equal(served, PixelbinDpr.TryParse(text, out var parsed) && parsed.IsInRange);
    }

    /// <summary>A server with the default configuration, as far as resolving a URL goes (no origin is read).</summary>
    private static RequestResolver DefaultServer() => new RequestResolver(
            new FakeOriginStore("demo"),
            new RenderPlanBinder(TransformationCatalog.Default),
            PresetCatalog.Empty,
            SigningKeyRing.Empty,
            SignatureVerifierOptions.Default,
            PatternLimits.Default,
            TimeProvider.System);

    private static bool Accepts(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception e) when (e is CdnException or PixelbinUrlException)
        {
            return false;
        }
    }

    /// <summary>Values at and just past each end of the argument's range, and other spellings the server may read.</summary>
    private static IEnumerable<string> SampleValues(ArgumentDescription argument)
    {
        static string Number(double value) => value.ToString("0.##########", CultureInfo.InvariantCulture);
        switch (argument.Kind)
        {
            case ArgumentKind.Whole:
                var (min, max) = ((long)argument.Min!.Value, (long)argument.Max!.Value);
                return [.. new[] { min, max, min - 1, max + 1, 0 }.Select(v => v.ToString(CultureInfo.InvariantCulture)), "+" + max, "0" + max, "1.5", "1e2", "abc", ""];
            case ArgumentKind.Number:
                var (low, high) = (argument.Min!.Value, argument.Max!.Value);
                return [Number(low), Number(high), Number(low - 0.01), Number(high + 0.01), Number((low + high) / 2), "+" + Number(high), "." + "5", "1e0", "NaN", "Infinity", "abc"];
            case ArgumentKind.Boolean:
                return ["true", "false", "1", "0", "TRUE", "False", "yes", "2"];
            case ArgumentKind.Choice:
                var tokens = argument.Choices!.Concat(argument.Aliases?.Keys ?? []).ToList();
                return [.. tokens, .. tokens.Select(t => t.ToUpperInvariant()), "bogus", "cover_"];
            case ArgumentKind.Colour:
                return ["ff0000", "FF000080", "aBcDeF", "ff00", "fff", "ff00000", "red", "gg0000", "-ff000"];
            case ArgumentKind.Quality:
                var least = (int)argument.Min!.Value;
                return [.. new[] { least, 100, least - 1, 101 }.Select(v => v.ToString(CultureInfo.InvariantCulture)), .. argument.Words!.Keys, .. argument.Words.Keys.Select(w => w.ToUpperInvariant()), "+50", "superb"];
            case ArgumentKind.BoundingBox:
                return ["10_20_30_40", "0_0_0_0", "-1_0_1_1", "1_2_-3_4", "1_2_3", "a_b_c_d"];
            case ArgumentKind.BoundingBoxList:
                return ["[[10_10_100_100]_[200_20_100_100]]", "[[1_2_3_4]]", "[1_2_3_4]", "[[1_2_-3_4]]", "[]"];
            case ArgumentKind.PolygonList:
                return ["[[[0_0]_[10_0]_[10_10]]]", "[[[0_0]_[10_0]]]", "[[[0_0]_[10_0]_[10_-10]]]", "[]"];
            case ArgumentKind.FileId:
                return [Base64Url("a.jpg"), Base64Url("dir/b.png"), Base64Url("../a"), Base64Url(""), "!!", "YS5qcGc="];
            case ArgumentKind.Pattern:
                return [Base64Url("t.flip()"), Base64Url("t.resize(w:100)~t.grey()"), Base64Url("t.toFormat(f:png)"), Base64Url("t.resize(w:-1)"), Base64Url("p:thumb"), Base64Url("t.nope()"), "!!"];
            default:
                throw new InvalidOperationException($"No sample values for {argument.Kind}: add them here.");
        }
    }

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
