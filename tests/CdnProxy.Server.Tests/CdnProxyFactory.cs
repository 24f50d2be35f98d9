using CdnProxy.Core.Rendering;
using CdnProxy.Server.Tests.Origins;
using CdnProxy.Tests.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CdnProxy.Server.Tests;

/// <summary>
/// The real server over the test host: cloud <c>demo</c> serves samples/, cloud <c>golden</c> the golden-test
/// inputs (tests/golden/inputs), cloud <c>broken</c> a temporary folder of bad originals. The renderer is wrapped
/// to count renders.
/// </summary>
public sealed class CdnProxyFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public CdnProxyFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    internal CdnProxyFactory(Dictionary<string, string?> settings)
    {
        BrokenFolder = Directory.CreateTempSubdirectory("cdnproxy-broken-").FullName;
        DataFolder = Directory.CreateTempSubdirectory("cdnproxy-data-").FullName;
        var photo = TestImages.Read(TestImages.Flower);
        File.WriteAllBytes(Path.Combine(BrokenFolder, "truncated.jpg"), photo[..(photo.Length / 2)]);
        File.WriteAllBytes(Path.Combine(BrokenFolder, "random.jpg"), RandomBytes(4096));
        File.Copy(TestImages.Flower, Path.Combine(BrokenFolder, "good.jpg"));
        _settings = new Dictionary<string, string?>
        {
            // The shipped writable cloud "uploads" keeps its files here, never in the user's data folder.
            ["CdnProxy:DataDirectory"] = DataFolder,
            ["CdnProxy:Clouds:demo:Origin:Type"] = "local",
            ["CdnProxy:Clouds:demo:Origin:Root"] = TestImages.SamplesFolder,
            ["CdnProxy:Clouds:golden:Origin:Type"] = "local",
            ["CdnProxy:Clouds:golden:Origin:Root"] = Path.Combine(TestImages.RepositoryRoot, "tests", "golden", "inputs"),
            ["CdnProxy:Clouds:broken:Origin:Type"] = "local",
            ["CdnProxy:Clouds:broken:Origin:Root"] = BrokenFolder,

            // Zone z-slug of demo reads from the broken folder, so tests can tell which origin served a file.
            ["CdnProxy:Clouds:demo:Zones:z-slug:Origin:Type"] = "local",
            ["CdnProxy:Clouds:demo:Zones:z-slug:Origin:Root"] = BrokenFolder,
            ["CdnProxy:CustomDomains:assets.example.test"] = "demo",
            ["CdnProxy:Clouds:demo:Zones:strict:Worker:Rules:0:Name"] = "only",
            ["CdnProxy:Clouds:demo:Zones:strict:Worker:Rules:0:Match"] = "only/(?<path>.+)",
            ["CdnProxy:Clouds:demo:Zones:strict:Worker:Rules:0:Pattern"] = "t.resize(w:77)",
            ["CdnProxy:Clouds:demo:Zones:strict:Worker:Rules:0:FilePath"] = "{path}",

            ["CdnProxy:Clouds:secure:Origin:Type"] = "local",
            ["CdnProxy:Clouds:secure:Origin:Root"] = TestImages.SamplesFolder,
            ["CdnProxy:Clouds:secure:RequireSignedUrls"] = "true",
            ["CdnProxy:Signing:Keys:0:AccessKey"] = SigningAccessKey,
            ["CdnProxy:Signing:Keys:0:Token"] = SigningToken,
            ["CdnProxy:Signing:Keys:1:AccessKey"] = "ak-old",
            ["CdnProxy:Signing:Keys:1:Token"] = "tok_old",

            ["CdnProxy:Presets:thumb:Pattern"] = "t.resize(w:50)~t.flip()",
            ["CdnProxy:Presets:sized:Pattern"] = "t.resize(w:$w,h:$h)~t.toFormat(f:$fmt)",
            ["CdnProxy:Presets:sized:Variables:w:Type"] = "integer",
            ["CdnProxy:Presets:sized:Variables:w:Default"] = "100",
            ["CdnProxy:Presets:sized:Variables:h:Type"] = "integer",
            ["CdnProxy:Presets:sized:Variables:h:Default"] = "200",
            ["CdnProxy:Presets:sized:Variables:fmt:Type"] = "enum",
            ["CdnProxy:Presets:sized:Variables:fmt:Values:0"] = "jpeg",
            ["CdnProxy:Presets:sized:Variables:fmt:Values:1"] = "webp",
            ["CdnProxy:Presets:sized:Variables:fmt:Default"] = "webp",
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public const string SigningAccessKey = "ak-42";

    public const string SigningToken = "tok_ABC";

    public string BrokenFolder { get; }

    /// <summary>The <c>CdnProxy:DataDirectory</c> of this server (the <c>uploads</c> cloud is its <c>uploads</c> folder).</summary>
    public string DataFolder { get; }

    public CountingImageRenderer Renderer => Services.GetRequiredService<CountingImageRenderer>();

    /// <summary>Every line the server logged (at the configured levels).</summary>
    internal CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration((_, config) =>
        {
            // The shipped example worker rules, bound where an operator would put them: zone "cldnry" of demo,
            // and imgix rules for the default zone of the broken cloud.
            config.AddJsonStream(WorkerRules("cloudinary.json", "CdnProxy:Clouds:demo:Zones:cldnry:Worker"));
            config.AddJsonStream(WorkerRules("imgix.json", "CdnProxy:Clouds:demo:Zones:imgixz:Worker"));
            config.AddInMemoryCollection(_settings);
        });
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(sp => new CountingImageRenderer(sp.GetRequiredService<VipsImageRenderer>()));
            services.RemoveAll<IImageRenderer>();
            services.AddSingleton<IImageRenderer>(sp => sp.GetRequiredService<CountingImageRenderer>());
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(BrokenFolder))
        {
            Directory.Delete(BrokenFolder, recursive: true);
        }

        if (disposing && Directory.Exists(DataFolder))
        {
            Directory.Delete(DataFolder, recursive: true);
        }
    }

    private static MemoryStream WorkerRules(string file, string section)
    {
        var rules = File.ReadAllText(Path.Combine(TestImages.RepositoryRoot, "config", "workers", file));
        var json = section.Split(':').Reverse().Aggregate(rules, (inner, key) => $"{{\"{key}\":{inner}}}");
        return new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        return bytes;
    }
}
