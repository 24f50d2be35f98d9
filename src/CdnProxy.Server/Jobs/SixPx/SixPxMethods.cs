using System.Globalization;
using System.Text.Json.Nodes;
using CdnProxy.Core;

namespace CdnProxy.Server.Jobs.SixPx;

/// <summary>
/// 6px's output <c>methods</c> as a Pixelbin pattern of the catalogue's operations: <c>crop</c> and every <c>filter</c>
/// option become the same <c>filter.*</c> operations a URL names (so a job and a URL render the same bytes),
/// <c>rotate</c> and <c>resize</c> the <c>t.*</c> ones. <c>analyze</c> is no image step: <see cref="Analysis"/> reads it.
/// What this server cannot do in a job (<c>layer</c>, which names another input) is refused with 422
/// <c>unsupported_operation</c> when the job is submitted.
/// </summary>
public static class SixPxMethods
{
    public static string ToPattern(JsonArray methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        var steps = new List<string>();
        foreach (var node in methods)
        {
            if (node is not JsonObject method || method["method"]?.GetValue<string>() is not { } name)
            {
                throw CdnException.InvalidArgument("every method is an object with a 'method' name");
            }

            var options = method["options"] as JsonObject ?? [];
            steps.AddRange(name switch
            {
                "rotate" => [$"t.rotate(a:{Integer(options, "degrees", -36000, 36000) ?? throw CdnException.InvalidArgument("rotate needs options.degrees")})"],
                "resize" => [Resize(options)],
                "crop" => [Crop(options)],
                "filter" => Filter(options),
                "layer" => throw Unsupported("the 6px method 'layer' is not available in jobs: use a 'pattern' with filter.layer(i:…) naming a file of the cloud"),
                "analyze" => [],
                _ => throw CdnException.InvalidArgument($"unknown method '{name}'"),
            });
        }

        return steps.Count == 0 ? "original" : string.Join('~', steps);
    }

    /// <summary>
    /// What the output's <c>analyze</c> methods ask for (6px's <c>exif</c>, <c>color</c> with its <c>context</c>, and
    /// <c>faces</c>), merged; null when there is none. Nothing asked for means everything.
    /// </summary>
    public static SixPxAnalysis? Analysis(JsonArray methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        SixPxAnalysis? analysis = null;
        foreach (var options in methods.OfType<JsonObject>().Where(m => m["method"]?.GetValue<string>() == "analyze").Select(m => m["options"] as JsonObject ?? []))
        {
            foreach (var (name, value) in options)
            {
                if (name is not ("exif" or "color" or "faces" or "context"))
                {
                    throw CdnException.InvalidArgument($"analyze has no option '{name}' (exif, color, context, faces)");
                }

                if (name == "context" && value?.GetValue<string>() is not ("palette" or "dominant"))
                {
                    throw CdnException.InvalidArgument("analyze.context is 'palette' or 'dominant'");
                }
            }

            var all = !options.Any(o => o.Key is "exif" or "color" or "faces");
            var asked = new SixPxAnalysis(
                Exif: all || IsOn(options, "exif"),
                Color: all || IsOn(options, "color"),
                Palette: options["context"]?.GetValue<string>() != "dominant",
                Faces: all || IsOn(options, "faces"));
            analysis = analysis is null ? asked : new SixPxAnalysis(
                analysis.Exif || asked.Exif, analysis.Color || asked.Color, analysis.Palette || asked.Palette, analysis.Faces || asked.Faces);
        }

        return analysis;
    }

    private static string Resize(JsonObject options)
    {
        var width = Integer(options, "width", 1, 100_000);
        var height = Integer(options, "height", 1, 100_000);
        if (width is null && height is null)
        {
            throw CdnException.InvalidArgument("resize needs options.width and/or options.height");
        }

        return $"t.resize({(width is { } w ? "w:" + w : string.Empty)}{(width is not null && height is not null ? "," : string.Empty)}{(height is { } h ? "h:" + h : string.Empty)})";
    }

    /// <summary>6px's <c>crop</c>: a region (x, y, width, height) or <c>face</c>, with <c>padding</c> around it.</summary>
    private static string Crop(JsonObject options)
    {
        var padding = Integer(options, "padding", 0, 100_000) ?? 0;
        if (IsOn(options, "face"))
        {
            return $"filter.crop(face:true,pad:{padding})";
        }

        var x = Integer(options, "x", 0, 100_000) ?? 0;
        var y = Integer(options, "y", 0, 100_000) ?? 0;
        var width = Integer(options, "width", 1, 100_000) ?? throw CdnException.InvalidArgument("crop needs options.width (or options.face)");
        var height = Integer(options, "height", 1, 100_000) ?? throw CdnException.InvalidArgument("crop needs options.height (or options.face)");
        return $"filter.crop(x:{x},y:{y},w:{width},h:{height},pad:{padding})";
    }

    /// <summary>Every filter option, in the order given, as its <c>filter.*</c> operation (greyscale as <c>t.grey</c>).</summary>
    private static List<string> Filter(JsonObject options)
    {
        var steps = new List<string>();
        foreach (var (name, _) in options)
        {
            var step = name switch
            {
                "greyscale" => IsOn(options, name) ? "t.grey()" : null,
                "invert" => IsOn(options, name) ? "filter.invert()" : null,
                "sepia" => options[name] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True
                    ? "filter.sepia()"
                    : Amount(name, Number(options, name, 0, 100)),
                "brightness" or "contrast" or "exposure" or "saturation" or "vibrance" => Amount(name, Integer(options, name, -100, 100)),
                "noise" or "hue" => Amount(name, Number(options, name, 0, 100)),
                "gamma" => Amount(name, Number(options, name, 0, 100)),
                "stackBlur" => Amount(name, Integer(options, name, 0, 100)),
                "sharpen" => options[name] is JsonValue b && b.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
                    ? (IsOn(options, name) ? "filter.sharpen()" : null)
                    : Amount(name, Number(options, name, 0, 500)),
                "colorize" => Colorize(options[name]),
                "channels" => Channels(options[name]),
                _ => throw Unsupported($"the 6px filter '{name}' is not available on this server"),
            };
            if (step is not null)
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    private static string Amount(string filter, double? amount) =>
        string.Create(CultureInfo.InvariantCulture, $"filter.{filter}(a:{amount})");

    /// <summary>6px's <c>colorize</c>: <c>{"hex": "#rrggbb", "strength": 0–100}</c> (a bare colour string: strength 50).</summary>
    private static string Colorize(JsonNode? value)
    {
        var (hex, strength) = value switch
        {
            JsonValue colour => (colour.GetValue<string>(), 50.0),
            JsonObject o => (o["hex"]?.GetValue<string>() ?? throw CdnException.InvalidArgument("colorize needs hex"), Number(o, "strength", 0, 100) ?? 50),
            _ => throw CdnException.InvalidArgument("colorize is {\"hex\": \"#rrggbb\", \"strength\": 0-100}"),
        };
        var digits = hex.TrimStart('#');
        if (digits.Length != 6 || !digits.All(char.IsAsciiHexDigit))
        {
            throw CdnException.InvalidArgument("colorize.hex is a colour #RRGGBB");
        }

        return string.Create(CultureInfo.InvariantCulture, $"filter.colorize(c:{digits.ToLowerInvariant()},s:{strength})");
    }

    /// <summary>6px's <c>channels</c>: <c>{"red": −100–100, "green": …, "blue": …}</c>.</summary>
    private static string Channels(JsonNode? value)
    {
        var channels = value as JsonObject ?? throw CdnException.InvalidArgument("channels is {\"red\", \"green\", \"blue\"} from -100 to 100");
        return $"filter.channels(r:{Integer(channels, "red", -100, 100) ?? 0},g:{Integer(channels, "green", -100, 100) ?? 0},b:{Integer(channels, "blue", -100, 100) ?? 0})";
    }

    private static bool IsOn(JsonObject options, string name) => options[name] switch
    {
        null => false,
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.True => true,
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.False => false,
        JsonValue value when value.TryGetValue<double>(out var number) => number != 0,
        _ => throw CdnException.InvalidArgument($"{name} is true, false or a number"),
    };

    private static double? Number(JsonObject options, string name, double min, double max)
    {
        if (options[name] is not JsonValue value)
        {
            return null;
        }

        if (!value.TryGetValue<double>(out var number) || number < min || number > max)
        {
            throw CdnException.InvalidArgument(string.Create(CultureInfo.InvariantCulture, $"{name} must be a number from {min} to {max}"));
        }

        return number;
    }

    private static int? Integer(JsonObject options, string name, int min, int max) =>
        Number(options, name, min, max) is { } number ? (int)Math.Round(number) : null;

    internal static CdnException Unsupported(string message) => new(CdnErrorKind.UnsupportedOperation, message);
}

/// <summary>What a 6px <c>analyze</c> asks for: EXIF, colours (the dominant one, and the palette unless only it), faces.</summary>
public sealed record SixPxAnalysis(bool Exif, bool Color, bool Palette, bool Faces);
