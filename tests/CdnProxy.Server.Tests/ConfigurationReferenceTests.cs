using System.Text.RegularExpressions;
using CdnProxy.Server.Hosting;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests;

/// <summary>
/// docs/configuration.md is the full configuration reference: every option of <see cref="CdnProxyOptions"/> must be
/// documented there, and every setting documented there must exist.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    private static readonly string Reference = Path.Combine(TestImages.RepositoryRoot, "docs", "configuration.md");

    [Fact]
    public void EveryOptionIsDocumented()
    {
        var documented = DocumentedPaths().Select(Normalize).ToHashSet(StringComparer.Ordinal);

        var missing = OptionPaths.All(typeof(CdnProxyOptions)).Where(p => !documented.Contains(Normalize(p))).ToList();

        Assert.True(missing.Count == 0, "Options missing from docs/configuration.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryDocumentedSettingExists()
    {
        var unknown = DocumentedPaths()
            .Where(p => OptionPaths.FirstUnknownPrefix(typeof(CdnProxyOptions), Placeholder().Replace(p, m => m.Value == "<n>" ? "0" : "any").Split(':')) is not null)
            .ToList();

        Assert.True(unknown.Count == 0, "docs/configuration.md names settings CdnProxyOptions does not have: " + string.Join(", ", unknown));
    }

    [Fact]
    public void TheReferenceIsReadAsExpected()
    {
        var documented = DocumentedPaths();

        // Guards the parser below: a heading prefix joined with a table row, and a heading on its own.
        Assert.Contains("Clouds:<cloud>:Origin:Bucket", documented);
        Assert.Contains("Cache:Redis:Breaker:FailureRatio", documented);
        Assert.Contains("CustomDomains:<host>", documented);
        // Computed, read-only properties are not settings.
        Assert.DoesNotContain("Cache:Redis:Enabled", OptionPaths.All(typeof(CdnProxyOptions)));
        Assert.Contains("Clouds:<name>:Zones:<name>:Origin", OptionPaths.All(typeof(CdnProxyOptions)));
    }

    /// <summary>
    /// The settings the reference names: a heading's <c>`CdnProxy:…`</c> path, and that path joined with the first
    /// cell of each table row below it (<c>| `Breaker:FailureRatio` | …</c>).
    /// </summary>
    private static List<string> DocumentedPaths()
    {
        var paths = new List<string>();
        string? section = null;
        foreach (var line in File.ReadLines(Reference))
        {
            if (line.StartsWith('#'))
            {
                section = HeadingPath().Match(line) is { Success: true } heading ? heading.Groups[1].Value : null;
                if (section is not null)
                {
                    paths.Add(section);
                }
            }
            else if (section is not null && TableRowSetting().Match(line) is { Success: true } row)
            {
                paths.Add(section + ":" + row.Groups[1].Value);
            }
        }

        return paths;
    }

    private static string Normalize(string path) => Placeholder().Replace(path, "<>");

    [GeneratedRegex("`CdnProxy:([^`]+)`")]
    private static partial Regex HeadingPath();

    [GeneratedRegex(@"^\|\s*`([^`]+)`\s*\|")]
    private static partial Regex TableRowSetting();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Placeholder();
}
