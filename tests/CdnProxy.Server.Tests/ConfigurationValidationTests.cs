using System.Diagnostics;
using CdnProxy.Server.Hosting;
using CdnProxy.Tests.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CdnProxy.Server.Tests;

public sealed class ConfigurationValidationTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("my.cloud")]
    [InlineData("my cloud")]
    public void ACloudNameUrlsCannotCarry_StopsStartUp(string cloud)
    {
        var error = ValidationFailure(LocalDemoWith($"CdnProxy:Clouds:{cloud}:Origin:Type", "local"));

        Assert.Contains($"CdnProxy:Clouds:{cloud}: not a cloud name URLs can carry", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CdnProxy:Clouds:demo:Origin:Type", "ftp", "Type 'ftp' is not supported")]
    [InlineData("CdnProxy:Clouds:demo:Origin:Root", "/definitely/not/here", "does not exist")]
    [InlineData("CdnProxy:Clouds:demo:Origin:MaxBytes", "2000000000", "MaxBytes must be between 1 and")]
    [InlineData("CdnProxy:Clouds:demo:Origin:TimeoutSeconds", "0", "TimeoutSeconds must be above 0 and at most 300")]
    [InlineData("CdnProxy:Clouds:demo:Origin:StoredFileTimeoutSeconds", "0", "StoredFileTimeoutSeconds must be above 0 and at most 86400")]
    [InlineData("CdnProxy:Clouds:demo:Origin:StoredFileTimeoutSeconds", "86401", "StoredFileTimeoutSeconds must be above 0 and at most 86400")]
    [InlineData("CdnProxy:Clouds:demo:Origin:StoredFileMinBytesPerSecond", "0", "StoredFileMinBytesPerSecond must be above 0")]
    [InlineData("CdnProxy:Clouds:demo:Origin:StoredFileRateGraceSeconds", "0", "StoredFileRateGraceSeconds must be above 0 and at most 300")]
    [InlineData("CdnProxy:Clouds:demo:Zones:s3zone:Origin:Type", "s3", "CdnProxy:Clouds:demo:Zones:s3zone:Origin:Bucket is required")]
    [InlineData("CdnProxy:Clouds:demo:Zones:webzon:Origin:Type", "http", "CdnProxy:Clouds:demo:Zones:webzon:Origin:BaseUrl is required")]
    [InlineData("CdnProxy:Clouds:demo:Origin:Fallback:Fallback:Type", "local", "CdnProxy:Clouds:demo:Origin:Fallback:Fallback: a fallback origin cannot have a fallback")]
    [InlineData("CdnProxy:Clouds:demo:Origin:Fallback:Type", "local", "CdnProxy:Clouds:demo:Origin:Fallback:Root is required")]
    [InlineData("CdnProxy:Vips:Concurrency", "-1", "Concurrency must be 0 (adaptive) or more")]
    [InlineData("CdnProxy:Cache:Memory:MaxBytes", "-1", "MaxBytes must be 0 (off) or positive")]
    [InlineData("CdnProxy:Cache:Memory:EntryOverheadBytes", "-1", "EntryOverheadBytes must be between 0 and 1000000")]
    [InlineData("CdnProxy:Cache:FreshSeconds", "-1", "must not be negative")]
    [InlineData("CdnProxy:Api:Keys:0", "short-key", "CdnProxy:Api:Keys:0 must be at least 32 characters")]
    [InlineData("CdnProxy:Api:Keys:0", "0123456789abcdef0123456789abcde", "CdnProxy:Api:Keys:0 must be at least 32 characters")]
    [InlineData("CdnProxy:Api:Keys:0", "REPLACE-ME-api-key", "a placeholder left in place?")]
    [InlineData("CdnProxy:Jobs:MaxBufferedBodyBytes", "40000000", "CdnProxy:Jobs:MaxBufferedBodyBytes must be 0 (no budget) or at least 41732206")]
    [InlineData("CdnProxy:Jobs:LargeBodyBytes", "0", "CdnProxy:Jobs:LargeBodyBytes must be 1 or more")]
    [InlineData("CdnProxy:Jobs:MaxLargeBodiesPerKey", "-1", "CdnProxy:Jobs:MaxLargeBodiesPerKey must be 0 (no limit)")]
    [InlineData("CdnProxy:Clouds:demo:NotFoundImage", "../missing.png", "CdnProxy:Clouds:demo:NotFoundImage: not a file path")]
    [InlineData("CdnProxy:Http:MaxStoredFileStreams", "-1", "CdnProxy:Http:MaxStoredFileStreams must be 0 (no cap) or more")]
    [InlineData("CdnProxy:Http:CorsOrigins", "https://www.example.com/", "'https://www.example.com/' is not an origin")]
    [InlineData("CdnProxy:Http:CorsOrigins", "www.example.com", "'www.example.com' is not an origin")]
    [InlineData("CdnProxy:Http:CorsOrigins", "https://a.example https://b.example/path", "'https://b.example/path' is not an origin")]
    [InlineData("CdnProxy:Http:CorsOrigins", "*, https://a.example", "'*' lets every origin in and cannot be listed with others")]
    [InlineData("CdnProxy:Http:TrustedProxies", "10.0.0.0/8 ingress.local", "'ingress.local' is neither an IP address nor a network")]
    [InlineData("CdnProxy:Http:TrustedProxies", "10.0.0.0/33", "'10.0.0.0/33' is neither an IP address nor a network")]
    [InlineData("CdnProxy:Cache:FreshSeconds", "a day", "'CdnProxy:Cache:FreshSeconds'")]
    [InlineData("CdnProxy:Faces:Detector", "yolo", "value 'yolo' at 'CdnProxy:Faces:Detector'")]
    [InlineData("CdnProxy:Limits:RenderTimeout", "10s", "'CdnProxy:Limits:RenderTimeout'")]
    [InlineData("CdnProxy:Clouds:demo:Origin:MaxBytes", "lots", "'CdnProxy:Clouds:demo:Origin:MaxBytes'")]
    public void BadConfiguration_FailsValidationWithAClearMessage(string key, string value, string expected)
    {
        var error = ValidationFailure(LocalDemoWith(key, value));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOriginKindsOwnSettingThatIsNotANumber_FailsValidationNamingIt()
    {
        // Only the http kind's own binding reads ConnectTimeoutSeconds, after the common settings were bound.
        var settings = LocalDemoWith("CdnProxy:Clouds:demo:Zones:webzon:Origin:Type", "http");
        settings["CdnProxy:Clouds:demo:Zones:webzon:Origin:BaseUrl"] = "https://images.example.com/";
        settings["CdnProxy:Clouds:demo:Zones:webzon:Origin:ConnectTimeoutSeconds"] = "soon";

        var error = ValidationFailure(settings);

        Assert.Contains("'CdnProxy:Clouds:demo:Zones:webzon:Origin:ConnectTimeoutSeconds'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListableCloud_CannotRequireSignedUrls()
    {
        var settings = LocalDemoWith("CdnProxy:Clouds:demo:Listable", "true");
        settings["CdnProxy:Clouds:demo:RequireSignedUrls"] = "true";

        var error = ValidationFailure(settings);

        Assert.Contains("CdnProxy:Clouds:demo:Listable cannot be set on a cloud that requires signed URLs", error.Message, StringComparison.Ordinal);
        Assert.NotNull(Options(LocalDemoWith("CdnProxy:Clouds:demo:Listable", "true")));
    }

    [Theory]
    [InlineData("nope", null, "CdnProxy:Signing:Keys:0:Clouds:0 names cloud 'nope', which is not configured.")]
    [InlineData("Demo", null, "CdnProxy:Signing:Keys:0:Clouds:0 names cloud 'Demo', which is not configured.")] // names are exact
    [InlineData("demo", "demo", "CdnProxy:Signing:Keys:0:Clouds:1: cloud 'demo' is listed twice.")]
    public void SigningKeyClouds_MustBeConfiguredOnce(string first, string? second, string expected)
    {
        var settings = LocalDemoWith("CdnProxy:Signing:Keys:0:AccessKey", "ak-demo");
        settings["CdnProxy:Signing:Keys:0:Token"] = "tok-demo";
        settings["CdnProxy:Signing:Keys:0:Clouds:0"] = first;
        if (second is not null)
        {
            settings["CdnProxy:Signing:Keys:0:Clouds:1"] = second;
        }

        var error = ValidationFailure(settings);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        settings.Remove("CdnProxy:Signing:Keys:0:Clouds:1");
        settings["CdnProxy:Signing:Keys:0:Clouds:0"] = "demo";
        Assert.Equal(["demo"], Options(settings).Signing.Keys[0].Clouds);
    }

    private const string CloudKey = "cloud-key-0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData(CloudKey, "nope", null, "CdnProxy:Api:CloudKeys:0:Clouds:0 names cloud 'nope', which is not configured.")]
    [InlineData(CloudKey, "Demo", null, "CdnProxy:Api:CloudKeys:0:Clouds:0 names cloud 'Demo', which is not configured.")] // names are exact
    [InlineData(CloudKey, "demo", "demo", "CdnProxy:Api:CloudKeys:0:Clouds:1: cloud 'demo' is listed twice.")]
    [InlineData(CloudKey, null, null, "CdnProxy:Api:CloudKeys:0:Clouds must name at least one cloud")]
    [InlineData("REPLACE-ME-api-key", "demo", null, "CdnProxy:Api:CloudKeys:0:Key must be at least 32 characters (a placeholder left in place?")]
    public void ApiCloudKeys_NeedASecretKeyAndConfiguredClouds(string key, string? first, string? second, string expected)
    {
        var settings = LocalDemoWith("CdnProxy:Api:CloudKeys:0:Key", key);
        foreach (var (index, cloud) in new[] { first, second }.Index().Where(c => c.Item is not null))
        {
            settings[$"CdnProxy:Api:CloudKeys:0:Clouds:{index}"] = cloud;
        }

        var error = ValidationFailure(settings);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        settings.Remove("CdnProxy:Api:CloudKeys:0:Clouds:1");
        settings["CdnProxy:Api:CloudKeys:0:Key"] = CloudKey;
        settings["CdnProxy:Api:CloudKeys:0:Clouds:0"] = "demo";
        Assert.Equal(["demo"], Options(settings).Api.CloudKeys[0].Clouds);
    }

    [Theory]
    [InlineData("CdnProxy:Api:Keys:0", "CdnProxy:Api:CloudKeys:1:Key is listed twice")] // in both lists
    [InlineData("CdnProxy:Api:CloudKeys:0:Key", "CdnProxy:Api:CloudKeys:1:Key is listed twice")] // twice among cloud keys
    public void AnApiCloudKey_IsListedOnce(string otherPlace, string expected)
    {
        var settings = LocalDemoWith("CdnProxy:Api:CloudKeys:1:Key", " " + CloudKey + "\n");
        settings["CdnProxy:Api:CloudKeys:1:Clouds:0"] = "demo";
        settings[otherPlace] = CloudKey;
        settings["CdnProxy:Api:CloudKeys:0:Clouds:0"] = "demo";
        if (otherPlace.StartsWith("CdnProxy:Api:Keys", StringComparison.Ordinal))
        {
            settings["CdnProxy:Api:CloudKeys:0:Key"] = "another-cloud-key-0123456789abcdef0123456789";
        }

        var error = ValidationFailure(settings);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JpegQuality", "0", "CdnProxy:Encoding:JpegQuality must be between 1 and 100 (is 0).")]
    [InlineData("JpegQuality", "101", "CdnProxy:Encoding:JpegQuality must be between 1 and 100 (is 101).")]
    [InlineData("WebpQuality", "0", "CdnProxy:Encoding:WebpQuality must be between 1 and 100")]
    [InlineData("AvifQuality", "101", "CdnProxy:Encoding:AvifQuality must be between 1 and 100")]
    [InlineData("AvifEffort", "12", "CdnProxy:Encoding:AvifEffort must be between 0 and 9 (is 12).")]
    [InlineData("AvifEffort", "-1", "CdnProxy:Encoding:AvifEffort must be between 0 and 9")]
    [InlineData("WebpEffort", "7", "CdnProxy:Encoding:WebpEffort must be between 0 and 6")]
    [InlineData("GifEffort", "0", "CdnProxy:Encoding:GifEffort must be between 1 and 10")]
    [InlineData("GifEffort", "11", "CdnProxy:Encoding:GifEffort must be between 1 and 10")]
    [InlineData("GifDither", "1.5", "CdnProxy:Encoding:GifDither must be between 0 and 1 (is 1.5).")]
    [InlineData("GifDither", "NaN", "CdnProxy:Encoding:GifDither must be between 0 and 1")]
    [InlineData("PngCompression", "10", "CdnProxy:Encoding:PngCompression must be between 0 and 9")]
    public void EncoderSettingOutsideLibvipsRange_FailsValidation(string setting, string value, string expected)
    {
        var error = ValidationFailure(LocalDemoWith("CdnProxy:Encoding:" + setting, value));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Single(error.Failures);
    }

    [Theory]
    [InlineData("JpegQuality", "1")]
    [InlineData("JpegQuality", "100")]
    [InlineData("AvifEffort", "0")]
    [InlineData("AvifEffort", "9")]
    [InlineData("WebpEffort", "6")]
    [InlineData("GifEffort", "10")]
    [InlineData("GifDither", "0")]
    [InlineData("GifDither", "1")]
    [InlineData("PngCompression", "0")]
    public void EncoderSettingAtTheEdgeOfItsRange_IsAccepted(string setting, string value)
    {
        var options = Options(LocalDemoWith("CdnProxy:Encoding:" + setting, value));

        Assert.NotNull(options);
    }

    [Theory]
    [InlineData("604800", "0", "CdnProxy:Cache:Redis:TtlSeconds less TtlJitterPercent (604800 s) must be at least Cache:FreshSeconds + Cache:StaleIfErrorSeconds (691200 s)")]
    [InlineData("768000", "11", "CdnProxy:Cache:Redis:TtlSeconds less TtlJitterPercent (683520 s)")]
    public void RedisTtlShorterThanFreshPlusStaleWindow_FailsValidation(string ttlSeconds, string jitterPercent, string expected)
    {
        var error = ValidationFailure(RedisWithTtl(ttlSeconds, jitterPercent));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RedisTtlWhoseShortestJitteredValueCoversTheWindow_IsAccepted()
    {
        // 768000 s less 10 % is exactly 1 day fresh + 7 days stale.
        Assert.NotNull(Options(RedisWithTtl("768000", "10")));
    }

    [Theory]
    [InlineData("CdnProxy:Cache:FreshSeconds", "0")]
    [InlineData("CdnProxy:Cache:Redis:Configuration", "")]
    public void ShortRedisTtl_IsAccepted_WhenRenditionsNeverGoStaleOrRedisIsOff(string key, string value)
    {
        var settings = RedisWithTtl("3600", "10");
        settings[key] = value;

        Assert.NotNull(Options(settings));
    }

    private static Dictionary<string, string?> RedisWithTtl(string ttlSeconds, string jitterPercent)
    {
        var settings = LocalDemoWith("CdnProxy:Cache:Redis:Configuration", "127.0.0.1:6379");
        settings["CdnProxy:Cache:FreshSeconds"] = "86400";
        settings["CdnProxy:Cache:StaleIfErrorSeconds"] = "604800";
        settings["CdnProxy:Cache:Redis:TtlSeconds"] = ttlSeconds;
        settings["CdnProxy:Cache:Redis:TtlJitterPercent"] = jitterPercent;
        return settings;
    }

    [Theory]
    [InlineData("CdnProxy:Cache:Redis:TimeoutMilliseconds", "0", "timeouts, lock TTL and poll interval must be positive")]
    [InlineData("CdnProxy:Cache:Redis:TtlJitterPercent", "80", "TtlJitterPercent between 0 and 50")]
    [InlineData("CdnProxy:Cache:Redis:Breaker:MinimumThroughput", "1", "MinimumThroughput ≥ 2")]
    public void BadRedisOptions_FailValidationOnlyWhenRedisIsOn(string key, string value, string expected)
    {
        static IServiceProvider Build(string key, string value, string redis) => new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["CdnProxy:Clouds:demo:Origin:Type"] = "local",
                    ["CdnProxy:Clouds:demo:Origin:Root"] = TestImages.SamplesFolder,
                    ["CdnProxy:Cache:Redis:Configuration"] = redis,
                    [key] = value,
                })
                .Build())
            .AddLogging()
            .AddCdnProxy()
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => Build(key, value, "127.0.0.1:6379").GetRequiredService<IOptions<CdnProxyOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.NotNull(Build(key, value, string.Empty).GetRequiredService<IOptions<CdnProxyOptions>>().Value);
    }

    [Theory]
    [InlineData("127.0.0.1:6379,password=hunter2-secret,connectTimeout=hunter2-secret")]
    [InlineData("127.0.0.1:6379,password=hunter2-secret,hunter2-secret=1")]
    public void InvalidRedisConfiguration_IsReported_WithoutQuotingIt(string configuration)
    {
        var error = ValidationFailure(new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:demo:Origin:Type"] = "local",
            ["CdnProxy:Clouds:demo:Origin:Root"] = TestImages.SamplesFolder,
            ["CdnProxy:Cache:Redis:Configuration"] = configuration,
        });

        Assert.Contains("CdnProxy:Cache:Redis:Configuration is not a valid", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadConfiguration_StopsTheServerProcessAtStartup()
    {
        var server = Path.Combine(AppContext.BaseDirectory, "CdnProxy.Server.dll");
        var start = new ProcessStartInfo("dotnet", [server, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["CdnProxy__Clouds__demo__Origin__Type"] = "ftp";
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("CdnProxy:Clouds:demo:Origin:Type 'ftp' is not supported", await output + await errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://images.example.com/", "BaseUrl must be an absolute http(s) URL")]
    [InlineData("https://user:hunter2@images.example.com/", "BaseUrl must be an absolute http(s) URL")]
    [InlineData("https://images.example.com/?sig=1", "BaseUrl must be an absolute http(s) URL")]
    [InlineData("https://other.example.com/", "BaseUrl's host 'other.example.com' is not in AllowedHosts")]
    public void BadHttpOrigin_FailsValidation_WithoutEchoingCredentials(string baseUrl, string expected)
    {
        var error = ValidationFailure(new Dictionary<string, string?>
        {
            ["CdnProxy:Clouds:demo:Origin:Type"] = "http",
            ["CdnProxy:Clouds:demo:Origin:BaseUrl"] = baseUrl,
            ["CdnProxy:Clouds:demo:Origin:AllowedHosts:0"] = "images.example.com",
        });

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A valid configuration (the demo cloud on samples/) plus one setting.</summary>
    private static Dictionary<string, string?> LocalDemoWith(string key, string value) => new()
    {
        ["CdnProxy:Clouds:demo:Origin:Type"] = "local",
        ["CdnProxy:Clouds:demo:Origin:Root"] = TestImages.SamplesFolder,
        [key] = value,
    };

    private static OptionsValidationException ValidationFailure(Dictionary<string, string?> settings) =>
        Assert.Throws<OptionsValidationException>(() => Options(settings));

    private static CdnProxyOptions Options(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddCdnProxy()
            .BuildServiceProvider();
        return services.GetRequiredService<IOptions<CdnProxyOptions>>().Value;
    }
}
