using System.CommandLine;
using System.Globalization;
using CdnProxy.Urls.Security;

namespace CdnProxy.Cli;

/// <summary>
/// <c>cdnproxy sign &lt;url&gt; --expiry-seconds N --access-key K --token T [--now UNIX_SECONDS]</c>: prints the URL
/// signed exactly as the JS admin SDK's <c>security.signURL</c> would.
/// </summary>
internal static class SignCommand
{
    /// <summary>The exit code for values out of range and URLs the signer refuses (not http(s), already signed…).</summary>
    public const int InvalidArgumentsExitCode = 2;

    /// <summary>The latest time <c>--now</c> takes, the last second a <see cref="DateTimeOffset"/> holds (9999-12-31T23:59:59Z).</summary>
    private const long LatestUnixSeconds = 253_402_300_799;

    public static Command Create()
    {
        var url = new Argument<string>("url")
        {
            Description = "The absolute http(s) URL to sign, e.g. https://cdn.pixelbin.io/v2/demo/original/a.jpg.",
        };
        var expirySeconds = NumericOption.Number(
            "--expiry-seconds", $"Seconds the URL stays valid: a whole number from 1 to {UrlSigner.MaxExpirySeconds} (100 years).", "3600");
        expirySeconds.Required = true;
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
        var now = NumericOption.OptionalNumber(
            "--now", "Sign as if the time were this many Unix seconds (default: the current time).", "1700000000");

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
        if (Refusal(url, expirySeconds, accessKey, token, nowSeconds) is { } refusal)
        {
            error.WriteLine($"error: {refusal}");
            return InvalidArgumentsExitCode;
        }

        try
        {
            var now = nowSeconds is { } seconds
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(seconds * 1000))
                : TimeProvider.System.GetUtcNow();
            output.WriteLine(UrlSigner.Sign(url, expirySeconds, accessKey, token, now));
            return 0;
        }
        catch (ArgumentException exception)
        {
            // What is left is the URL's: not http(s), not absolute, already signed…
            error.WriteLine($"error: {ErrorText.Of(exception)}");
            return InvalidArgumentsExitCode;
        }
    }

    /// <summary>What is wrong with the options, said in their terms; null when the signer may take them.</summary>
    private static string? Refusal(string url, double expirySeconds, string accessKey, string token, double? nowSeconds)
    {
        if (url.Length == 0)
        {
            return "the URL to sign is empty";
        }

        if (ExpiryRefusal(expirySeconds) is { } expiryRefusal)
        {
            return expiryRefusal;
        }

        if (accessKey.Length == 0 || token.Length == 0)
        {
            return accessKey.Length == 0 ? "--access-key must not be empty" : "--token must not be empty";
        }

        if (nowSeconds is { } seconds && seconds is not (>= 0 and <= LatestUnixSeconds))
        {
            // A JavaScript Date.now() pasted as is is the likely mistake.
            var hint = seconds / 1000 is >= 0 and <= LatestUnixSeconds ? " (milliseconds?)" : string.Empty;
            return $"--now must be Unix seconds from 0 to {LatestUnixSeconds} (the end of year 9999), e.g. 1700000000; got {Show(seconds)}{hint}";
        }

        return null;
    }

    /// <summary>Why <c>--expiry-seconds</c> cannot be <paramref name="expirySeconds"/>; null when the signer takes it.</summary>
    internal static string? ExpiryRefusal(double expirySeconds) =>
        UrlSigner.IsValidExpiry(expirySeconds)
            ? null
            : $"--expiry-seconds must be a whole number of seconds from 1 to {UrlSigner.MaxExpirySeconds} (100 years); got {Show(expirySeconds)}";

    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
}
