using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Urls.Presets;

/// <summary>
/// Replaces every preset reference in a parsed pattern by the preset's calls, in place, with its variables
/// substituted. See <c>docs/presets.md</c> for the rules.
/// </summary>
public sealed class PresetExpander
{
    private const int MaxEchoedLength = 64;

    private readonly PresetCatalog _catalog;
    private readonly PatternLimits _limits;

    /// <summary>Creates an expander that enforces <see cref="PatternLimits.Default"/> after expansion.</summary>
    /// <param name="catalog">The known presets.</param>
    public PresetExpander(PresetCatalog catalog)
        : this(catalog, PatternLimits.Default)
    {
    }

    /// <summary>Creates an expander.</summary>
    /// <param name="catalog">The known presets.</param>
    /// <param name="limits">The call limit the expanded pattern must respect (<see cref="PatternLimits.MaxCalls"/>).</param>
    public PresetExpander(PresetCatalog catalog, PatternLimits limits)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(limits);
        _catalog = catalog;
        _limits = limits;
    }

    /// <summary>Expands every preset reference.</summary>
    /// <param name="pattern">The parsed pattern.</param>
    /// <returns>
    /// A pattern of calls only (<see cref="PatternSyntax.HasPresets"/> is false); the same instance when there was
    /// nothing to expand. Expanded calls carry the reference's column; a substituted argument carries the column of
    /// the URL argument that supplied it.
    /// </returns>
    /// <exception cref="CdnUrlException">
    /// <see cref="UrlErrorCode.Preset"/> for an unknown preset, a <c>p.apply</c> without <c>n</c>, an unknown or
    /// mistyped argument, or a missing argument without default; <see cref="UrlErrorCode.LimitExceeded"/> when
    /// the expanded pattern has more than <see cref="PatternLimits.MaxCalls"/> calls.
    /// </exception>
    public PatternSyntax Expand(PatternSyntax pattern) =>
        TryExpand(pattern, out var expanded, out var error) ? expanded : throw error;

    /// <summary>Expands every preset reference, without throwing on bad input.</summary>
    /// <param name="pattern">The parsed pattern.</param>
    /// <param name="expanded">The expanded pattern when expansion succeeds.</param>
    /// <param name="error">The problem, with its column, when expansion fails.</param>
    /// <returns>True when every reference was expanded.</returns>
    public bool TryExpand(
        PatternSyntax pattern,
        [NotNullWhen(true)] out PatternSyntax? expanded,
        [NotNullWhen(false)] out CdnUrlException? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        expanded = null;
        if (!pattern.HasPresets && !pattern.Elements.Any(IsApplyCall))
        {
            expanded = pattern;
            error = null;
            return true;
        }

        var elements = new List<PatternElement>(pattern.Elements.Count);
        foreach (var element in pattern.Elements)
        {
            error = element switch
            {
                PresetReference reference => ExpandReference(reference, elements),
                TransformationCall call when IsApplyCall(call) => ApplyError(call),
                _ => Add(element, elements),
            };
            if (error is not null)
            {
                return false;
            }

            if (elements.Count > _limits.MaxCalls)
            {
                error = new CdnUrlException(
                    UrlErrorCode.LimitExceeded,
                    string.Create(CultureInfo.InvariantCulture, $"Pattern has more than {_limits.MaxCalls} transformations after preset expansion."),
                    element.Column);
                return false;
            }
        }

        expanded = new PatternSyntax(elements);
        error = null;
        return true;
    }

    private static bool IsApplyCall(PatternElement element) =>
        element is TransformationCall { Plugin: PresetReference.Plugin, Name: "apply" };

    private static CdnUrlException? Add(PatternElement element, List<PatternElement> elements)
    {
        elements.Add(element);
        return null;
    }

    /// <summary>A <c>p.apply</c> the grammar could not normalise: no <c>n</c>, or an <c>n</c> that is no preset name.</summary>
    private static CdnUrlException ApplyError(TransformationCall call)
    {
        var name = call.Arguments.FirstOrDefault(a => a.Key == "n");
        return name is null
            ? PresetError($"Missing param 'n' for preset: {Shorten(PatternPrinter.Print(call))}", call.Column)
            : PresetError($"Invalid preset: {Shorten(name.Value)}", name.Column);
    }

    private CdnUrlException? ExpandReference(PresetReference reference, List<PatternElement> elements)
    {
        if (!_catalog.TryGetCompiled(reference.Name, out var preset))
        {
            return PresetError($"Invalid preset: {Shorten(reference.Name)}", reference.Column);
        }

        var presetName = preset.Definition.Name;
        var given = new Dictionary<string, ArgumentSyntax>(StringComparer.Ordinal);
        foreach (var argument in reference.Arguments)
        {
            if (!preset.Variables.TryGetValue(argument.Key, out var variable))
            {
                return PresetError($"Unknown param '{Shorten(argument.Key)}' for preset: {presetName}", argument.Column);
            }

            if (!PresetValues.IsValid(variable, argument.Value))
            {
                return PresetError($"Value for '{variable.Name}' in '{presetName}' must be a type of {variable.TypeName}", argument.Column);
            }

            given[argument.Key] = argument; // Duplicate keys: the last one wins, as for transformation arguments.
        }

        foreach (var call in preset.Calls)
        {
            var arguments = new ArgumentSyntax[call.Arguments.Count];
            for (var i = 0; i < arguments.Length; i++)
            {
                var argument = call.Arguments[i];
                if (!argument.Value.StartsWith('$'))
                {
                    arguments[i] = argument with { Column = reference.Column };
                }
                else if (given.TryGetValue(argument.Value[1..], out var supplied))
                {
                    arguments[i] = argument with { Value = supplied.Value, Column = supplied.Column };
                }
                else if (preset.Variables[argument.Value[1..]].Default is { } defaultValue)
                {
                    arguments[i] = argument with { Value = defaultValue, Column = reference.Column };
                }
                else
                {
                    return PresetError($"Missing param '{argument.Value[1..]}' for preset: {presetName}", reference.Column);
                }
            }

            elements.Add(call with { Arguments = arguments, Column = reference.Column });
        }

        return null;
    }

    private static CdnUrlException PresetError(string message, int column) => new(UrlErrorCode.Preset, message, column);

    private static string Shorten(string text) => text.Length <= MaxEchoedLength ? text : text[..MaxEchoedLength] + "...";
}
