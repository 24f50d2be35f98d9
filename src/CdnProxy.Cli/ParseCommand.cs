using System.CommandLine;
using System.Text.Json;
using CdnProxy.Urls;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Cli;

/// <summary><c>cdnproxy parse &lt;url&gt;</c>: splits a CDN URL, parses its pattern and prints the result as JSON.</summary>
internal static class ParseCommand
{
    /// <summary>The exit code for a URL that cannot be split or parsed.</summary>
    public const int InvalidUrlExitCode = 2;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var url = new Argument<string>("url")
        {
            Description = "A full CDN URL or a path such as /v2/demo/t.resize(w:100)/a.jpg.",
        };

        var command = new Command("parse", "Split a CDN URL and parse its transformation pattern.")
        {
            url,
        };

        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(url),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));

        return command;
    }

    public static int Run(string urlOrPath, TextWriter output, TextWriter error)
    {
        try
        {
            var url = CdnUrlSplitter.Split(RequestPath.FromUrlOrPath(urlOrPath));
            var pattern = PatternGrammar.Parse(url.PatternText);
            output.WriteLine(JsonSerializer.Serialize(ParsedUrlDocument.From(url, pattern), JsonOptions));
            return 0;
        }
        catch (CdnUrlException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return InvalidUrlExitCode;
        }
    }
}
