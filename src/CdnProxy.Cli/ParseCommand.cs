using System.CommandLine;
using System.Text.Json;
using CdnProxy.Urls.Client;

namespace CdnProxy.Cli;

/// <summary><c>cdnproxy parse &lt;url&gt; [--custom-domain]</c>: prints the Pixelbin SDK's <c>urlToObj</c> JSON for a URL.</summary>
internal static class ParseCommand
{
    /// <summary>The exit code for a URL that cannot be parsed.</summary>
    public const int InvalidUrlExitCode = 2;

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static Command Create()
    {
        var url = new Argument<string>("url")
        {
            Description = "A full URL, or a path such as /v2/demo/t.resize(w:100)/a.jpg (taken on " + PixelbinUrlObject.DefaultBaseUrl + ").",
        };
        var customDomain = new Option<bool>("--custom-domain")
        {
            Description = "The host is a custom domain: no cloud-name segment, version required.",
        };

        var command = new Command("parse", "Parse a Pixelbin-style URL as the Pixelbin SDK's urlToObj does and print it as JSON.")
        {
            url,
            customDomain,
        };

        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(url),
            parseResult.GetValue(customDomain),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));

        return command;
    }

    public static int Run(string urlOrPath, bool isCustomDomain, TextWriter output, TextWriter error)
    {
        var url = urlOrPath.Trim();
        if (url.StartsWith('/'))
        {
            url = PixelbinUrlObject.DefaultBaseUrl + url;
        }

        try
        {
            output.WriteLine(JsonSerializer.Serialize(PixelbinUrls.UrlToObj(url, isCustomDomain), JsonOptions));
            return 0;
        }
        catch (PixelbinUrlException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return InvalidUrlExitCode;
        }
    }
}
