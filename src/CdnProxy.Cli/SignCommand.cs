using System.CommandLine;
using CdnProxy.Urls.Security;

namespace CdnProxy.Cli;

/// <summary>
/// <c>cdnproxy sign &lt;url&gt; --expiry-seconds N --access-key K --token T [--now UNIX_SECONDS]</c>: prints the URL
/// signed exactly as the JS admin SDK's <c>security.signURL</c> would.
/// </summary>
internal static class SignCommand
{
    /// <summary>The exit code for arguments the signer refuses (bad URL, zero expiry, URL already signed…).</summary>
    public const int InvalidArgumentsExitCode = 2;

    public static Command Create()
    {
        var url = new Argument<string>("url")
        {
            Description = "The absolute http(s) URL to sign, e.g. https://cdn.pixelbin.io/v2/demo/original/a.jpg.",
        };
        var expirySeconds = new Option<double>("--expiry-seconds")
        {
            Description = "Seconds the URL stays valid (non-zero; fractions give a fractional pbe).",
            Required = true,
        };
        var accessKey = new Option<string>("--access-key")
        {
            Description = "The token's access key, written as pbt.",
            Required = true,
        };
        var token = new Option<string>("--token")
        {
            Description = "The secret token that keys the HMAC.",
            Required = true,
        };
        var now = new Option<double?>("--now")
        {
            Description = "Sign as if the time were this many Unix seconds (default: the current time).",
        };

        var command = new Command("sign", "Sign a CDN URL as the JS admin SDK does (pbs, pbe, pbt).")
        {
            url,
            expirySeconds,
            accessKey,
            token,
            now,
        };

        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(url),
            parseResult.GetRequiredValue(expirySeconds),
            parseResult.GetRequiredValue(accessKey),
            parseResult.GetRequiredValue(token),
            parseResult.GetValue(now),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));

        return command;
    }

    public static int Run(
        string url, double expirySeconds, string accessKey, string token, double? nowSeconds, TextWriter output, TextWriter error)
    {
        try
        {
            var now = nowSeconds is { } seconds
                ? DateTimeOffset.FromUnixTimeMilliseconds(checked((long)Math.Floor(seconds * 1000)))
                : TimeProvider.System.GetUtcNow();
            output.WriteLine(UrlSigner.Sign(url, expirySeconds, accessKey, token, now));
            return 0;
        }
        catch (Exception exception) when (exception is ArgumentException or OverflowException)
        {
            error.WriteLine($"error: {exception.Message}");
            return InvalidArgumentsExitCode;
        }
    }
}
