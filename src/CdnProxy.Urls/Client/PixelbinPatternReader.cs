using System.Text.RegularExpressions;

namespace CdnProxy.Urls.Client;

/// <summary>
/// Reads a pattern segment as leniently as the Pixelbin SDK does (spec §2): operations split on <c>~</c>, the argument
/// text runs from the first <c>(</c> to the next <c>(</c> or the end with only its first <c>)</c> removed, arguments are
/// split on <c>,</c> and then on <c>:</c> keeping the first two parts, and a repeated key replaces the earlier value.
/// </summary>
internal static partial class PixelbinPatternReader
{
    public const string Original = "original";

    public static List<PixelbinTransformation> Read(string pattern)
    {
        if (pattern == Original)
        {
            return [];
        }

        var result = new List<PixelbinTransformation>();
        foreach (var op in pattern.Split('~'))
        {
            result.Add(ReadOperation(op));
        }

        return result;
    }

    private static PixelbinTransformation ReadOperation(string op)
    {
        if (op.StartsWith("p:", StringComparison.Ordinal))
        {
            var open = op.IndexOf('(', StringComparison.Ordinal);
            var name = open < 0 ? op[2..] : op[2..open];
            if (!PresetName().IsMatch(name))
            {
                throw Fail();
            }

            return new PixelbinTransformation("p", name, open < 0 ? null : ReadValues(op, open));
        }

        var match = PluginCall().Match(op);
        if (!match.Success)
        {
            throw Fail();
        }

        return new PixelbinTransformation(match.Groups["plugin"].Value, match.Groups["name"].Value, ReadValues(op, match.Length - 1));
    }

    private static List<PixelbinValue>? ReadValues(string op, int open)
    {
        var start = open + 1;
        var next = op.IndexOf('(', start);
        var text = next < 0 ? op[start..] : op[start..next];
        var close = text.IndexOf(')', StringComparison.Ordinal);
        if (close >= 0)
        {
            text = text.Remove(close, 1);
        }

        var values = new List<PixelbinValue>();
        foreach (var part in text.Split(','))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var pieces = part.Split(':');
            var value = new PixelbinValue(pieces[0], pieces.Length > 1 ? pieces[1] : null);
            var existing = values.FindIndex(v => v.Key == value.Key);
            if (existing >= 0)
            {
                values[existing] = value;
            }
            else
            {
                values.Add(value);
            }
        }

        return values.Count == 0 ? null : values;
    }

    private static PixelbinUrlException Fail() => new(PixelbinErrorKind.InvalidUrl, PixelbinUrlException.ProcessingErrorMessage);

    [GeneratedRegex(@"^(?<plugin>[A-Za-z0-9_-]+)\.(?<name>[A-Za-z0-9_-]+)\(", RegexOptions.CultureInvariant)]
    private static partial Regex PluginCall();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PresetName();
}
