using System.Text;

namespace CdnProxy.Urls.Grammar;

/// <summary>
/// Prints a syntax tree back to canonical pattern text: elements joined by <c>~</c>, arguments as <c>k:v</c> in the
/// order written, <c>()</c> after every call, presets as <c>p:name</c> or <c>p:name(k:v,...)</c>.
/// </summary>
/// <remarks>
/// Parsing the printed text gives the same tree except for columns, which follow the printed text. The forms
/// <c>p:name()</c> and <c>p.apply(n:name,...)</c> print as <c>p:name</c> and <c>p:name(...)</c>.
/// </remarks>
public static class PatternPrinter
{
    /// <summary>Prints a whole pattern.</summary>
    /// <param name="pattern">The pattern to print.</param>
    /// <returns><c>original</c> for an empty pattern, otherwise the elements joined by <c>~</c>.</returns>
    public static string Print(PatternSyntax pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.IsOriginal)
        {
            return "original";
        }

        var text = new StringBuilder();
        foreach (var element in pattern.Elements)
        {
            if (text.Length > 0)
            {
                text.Append('~');
            }

            Append(text, element);
        }

        return text.ToString();
    }

    /// <summary>Prints one call or preset reference.</summary>
    /// <param name="element">The element to print.</param>
    /// <returns>For example <c>t.resize(w:300,h:200)</c> or <c>p:sized(w:300)</c>.</returns>
    public static string Print(PatternElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var text = new StringBuilder();
        Append(text, element);
        return text.ToString();
    }

    private static void Append(StringBuilder text, PatternElement element)
    {
        switch (element)
        {
            case TransformationCall call:
                text.Append(call.Plugin).Append('.').Append(call.Name);
                AppendArguments(text, call.Arguments, alwaysParenthesise: true);
                break;
            case PresetReference preset:
                text.Append("p:").Append(preset.Name);
                AppendArguments(text, preset.Arguments, alwaysParenthesise: false);
                break;
            default:
                throw new ArgumentException($"Unknown pattern element type {element.GetType().Name}.", nameof(element));
        }
    }

    private static void AppendArguments(StringBuilder text, IReadOnlyList<ArgumentSyntax> arguments, bool alwaysParenthesise)
    {
        if (arguments.Count == 0 && !alwaysParenthesise)
        {
            return;
        }

        text.Append('(');
        for (var i = 0; i < arguments.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(arguments[i].Key).Append(':').Append(arguments[i].Value);
        }

        text.Append(')');
    }
}
