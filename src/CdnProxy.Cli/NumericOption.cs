using System.CommandLine;
using System.Globalization;

namespace CdnProxy.Cli;

/// <summary>
/// Numeric options whose parse error names the option and the format expected: System.CommandLine's own message names
/// the .NET type instead ("as expected type 'System.Nullable`1[System.Double]'"). Ranges are each command's to check.
/// </summary>
internal static class NumericOption
{
    private delegate bool TryParse<T>(string text, out T value);

    public static Option<int> WholeNumber(string name, string description, string example) =>
        Create(name, description, $"a whole number, e.g. {example}", (string text, out int value) =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value));

    public static Option<double> Number(string name, string description, string example) =>
        Create<double>(name, description, $"a number, e.g. {example}", TryParseNumber);

    /// <summary>A number that may be left out (then null).</summary>
    public static Option<double?> OptionalNumber(string name, string description, string example) =>
        Create(name, description, $"a number, e.g. {example}", (string text, out double? value) =>
        {
            var parsed = TryParseNumber(text, out var number);
            value = number;
            return parsed;
        });

    private static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static Option<T> Create<T>(string name, string description, string expected, TryParse<T> tryParse) =>
        new(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
                if (tryParse(text, out var value))
                {
                    return value;
                }

                result.AddError($"{name} must be {expected}; got '{text}'.");
                return default;
            },
        };
}
