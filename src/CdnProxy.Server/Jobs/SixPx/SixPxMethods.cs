using System.Globalization;
using System.Text.Json.Nodes;
using CdnProxy.Core;

namespace CdnProxy.Server.Jobs.SixPx;

/// <summary>
/// 6px's output <c>methods</c> as a Pixelbin pattern of operations the catalogue really has. A method or option the
/// catalogue cannot do (face crops, layers, analysis, sepia, noise…) is refused with 422 <c>unsupported_operation</c>
/// when the job is submitted; nothing is approximated by an operation that does something else.
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
                "layer" or "analyze" => throw Unsupported($"the 6px method '{name}' is not available on this server"),
                _ => throw CdnException.InvalidArgument($"unknown method '{name}'"),
            });
        }

        return steps.Count == 0 ? "original" : string.Join('~', steps);
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

    private static string Crop(JsonObject options)
    {
        if (options["face"] is { } face && face.GetValueKind() == System.Text.Json.JsonValueKind.True)
        {
            throw Unsupported("crop with face needs face detection, which this server does not have yet");
        }

        var x = Integer(options, "x", 0, 100_000) ?? 0;
        var y = Integer(options, "y", 0, 100_000) ?? 0;
        var width = Integer(options, "width", 1, 100_000) ?? throw CdnException.InvalidArgument("crop needs options.width");
        var height = Integer(options, "height", 1, 100_000) ?? throw CdnException.InvalidArgument("crop needs options.height");
        return $"t.extract(l:{x},t:{y},w:{width},h:{height})";
    }

    /// <summary>The filters with an exact counterpart in the catalogue, in a fixed order.</summary>
    private static List<string> Filter(JsonObject options)
    {
        var steps = new List<string>();
        foreach (var (name, _) in options)
        {
            if (name is not ("greyscale" or "invert" or "brightness" or "saturation" or "hue" or "contrast" or "sharpen" or "stackBlur" or "colorize"))
            {
                throw Unsupported($"the 6px filter '{name}' is not available on this server");
            }
        }

        if (IsOn(options, "greyscale"))
        {
            steps.Add("t.grey()");
        }

        // Brightness and saturation are multipliers of lightness and chroma (t.modulate; h:0 keeps the hue).
        var brightness = Integer(options, "brightness", 0, 900);
        var saturation = Integer(options, "saturation", -100, 100);
        var hue = Integer(options, "hue", 0, 100);
        if (brightness is not null || saturation is not null || hue is not null)
        {
            steps.Add(string.Create(CultureInfo.InvariantCulture,
                $"t.modulate(b:{1 + (brightness ?? 0) / 100.0},s:{1 + (saturation ?? 0) / 100.0},h:{(hue ?? 0) * 360 / 100})"));
        }

        // Contrast around mid-grey: a·x + 128·(1 − a), a = 1 + contrast/100.
        if (Integer(options, "contrast", -100, 100) is { } contrast)
        {
            var a = 1 + contrast / 100.0;
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"t.linear(a:{a},b:{Math.Round(128 * (1 - a), 2)})"));
        }

        if (options["colorize"]?.GetValue<string>() is { } colour)
        {
            var hex = colour.TrimStart('#');
            if (hex.Length != 6 || !hex.All(char.IsAsciiHexDigit))
            {
                throw CdnException.InvalidArgument("colorize is a colour #RRGGBB");
            }

            steps.Add($"t.tint(c:{hex.ToLowerInvariant()})");
        }

        if (IsOn(options, "sharpen"))
        {
            steps.Add("t.sharpen()");
        }

        // A stack blur of radius r is close to a gaussian of sigma r/2.
        if (Integer(options, "stackBlur", 1, 100) is { } radius)
        {
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"t.blur(s:{Math.Max(0.3, radius / 2.0)})"));
        }

        if (IsOn(options, "invert"))
        {
            steps.Add("t.negate()");
        }

        return steps;
    }

    private static bool IsOn(JsonObject options, string name) => options[name] switch
    {
        null => false,
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.True => true,
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.False => false,
        JsonValue value when value.TryGetValue<double>(out var number) => number != 0,
        _ => throw CdnException.InvalidArgument($"{name} is true, false or a number"),
    };

    private static int? Integer(JsonObject options, string name, int min, int max)
    {
        if (options[name] is not JsonValue value)
        {
            return null;
        }

        if (!value.TryGetValue<double>(out var number) || number < min || number > max)
        {
            throw CdnException.InvalidArgument($"{name} must be a number from {min} to {max}");
        }

        return (int)Math.Round(number);
    }

    internal static CdnException Unsupported(string message) => new(CdnErrorKind.UnsupportedOperation, message);
}
