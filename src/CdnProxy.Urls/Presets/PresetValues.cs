using System.Globalization;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Urls.Presets;

/// <summary>The type checks and type names of preset variables, shared by the catalog and the expander.</summary>
internal static class PresetValues
{
    public static string TypeName(PresetVariableType type) =>
        type switch
        {
            PresetVariableType.Integer => "integer",
            PresetVariableType.String => "string",
            PresetVariableType.Color => "color",
            PresetVariableType.Enum => "enum",
            PresetVariableType.Boolean => "boolean",
            PresetVariableType.File => "file",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown preset variable type."),
        };

    public static bool TryParseType(string? text, out PresetVariableType type)
    {
        foreach (var candidate in Enum.GetValues<PresetVariableType>())
        {
            if (string.Equals(text, TypeName(candidate), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    public static bool IsValid(PresetVariable variable, string value)
    {
        if (!PatternGrammar.IsValue(value))
        {
            return false;
        }

        return variable.Type switch
        {
            PresetVariableType.Integer => IsInteger(value),
            PresetVariableType.String => true,
            PresetVariableType.Color => value.Length is 6 or 8 && value.All(char.IsAsciiHexDigit),
            PresetVariableType.Enum => variable.Values.Contains(value, StringComparer.Ordinal),
            PresetVariableType.Boolean => value is "true" or "false" or "1" or "0",
            PresetVariableType.File => value.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '=' or '-' or '_'),
            _ => false,
        };
    }

    /// <summary>A variable name, as used in <c>$name</c> and as an argument key.</summary>
    public static bool IsVariableName(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static bool IsInteger(string value)
    {
        var digits = value.StartsWith('-') ? value.AsSpan(1) : value.AsSpan();
        return digits.Length > 0
            && !digits.ContainsAnyExceptInRange('0', '9')
            && int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
    }
}
