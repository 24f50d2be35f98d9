using System.Diagnostics.CodeAnalysis;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Urls.Presets;

/// <summary>
/// The presets a server knows, by name. Every definition is checked when the catalog is built, so expansion
/// only has to check the arguments a URL gives.
/// </summary>
public sealed class PresetCatalog
{
    /// <summary>The most transformations one preset may hold (Pixelbin's documented limit).</summary>
    public const int MaxTransformations = 15;

    private static readonly PatternLimits DefinitionLimits = PatternLimits.Default with { MaxCalls = MaxTransformations };

    private readonly Dictionary<string, CompiledPreset> _presets = new(StringComparer.Ordinal);

    /// <summary>Builds a catalog, checking every definition.</summary>
    /// <param name="definitions">The presets; names must be unique (case-sensitive).</param>
    /// <exception cref="ArgumentException">
    /// A duplicate or invalid name, a pattern that does not parse, is <c>original</c>, has more than
    /// <see cref="MaxTransformations"/> transformations or references a preset, a placeholder that is not declared,
    /// or a variable whose name, values or default are invalid. The message names the preset.
    /// </exception>
    public PresetCatalog(IEnumerable<PresetDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        foreach (var definition in definitions)
        {
            ArgumentNullException.ThrowIfNull(definition, nameof(definitions));
            var compiled = Compile(definition);
            if (!_presets.TryAdd(definition.Name, compiled))
            {
                throw new ArgumentException($"Duplicate preset name '{definition.Name}'.", nameof(definitions));
            }
        }
    }

    /// <summary>A catalog with no presets: every preset reference is reported as invalid.</summary>
    public static PresetCatalog Empty { get; } = new([]);

    /// <summary>The number of presets.</summary>
    public int Count => _presets.Count;

    /// <summary>The preset names, in no particular order.</summary>
    public IEnumerable<string> Names => _presets.Keys;

    /// <summary>Builds a catalog from bound configuration, e.g. the section <c>CdnProxy:Presets</c>.</summary>
    /// <param name="presets">Preset name → options.</param>
    /// <returns>The checked catalog.</returns>
    /// <exception cref="ArgumentException">An option or definition is invalid; the message names the preset.</exception>
    public static PresetCatalog FromOptions(IEnumerable<KeyValuePair<string, PresetOptions>> presets)
    {
        ArgumentNullException.ThrowIfNull(presets);
        return new PresetCatalog(presets.Select(p => (p.Value ?? throw new ArgumentException($"Preset '{p.Key}' has no options.", nameof(presets))).ToDefinition(p.Key)));
    }

    /// <summary>Finds a preset by its exact name.</summary>
    /// <param name="name">The preset name.</param>
    /// <param name="definition">The definition when found.</param>
    /// <returns>True when the catalog holds a preset of that name.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out PresetDefinition? definition)
    {
        ArgumentNullException.ThrowIfNull(name);
        definition = _presets.TryGetValue(name, out var compiled) ? compiled.Definition : null;
        return definition is not null;
    }

    internal bool TryGetCompiled(string name, [NotNullWhen(true)] out CompiledPreset? preset) =>
        _presets.TryGetValue(name, out preset);

    private static CompiledPreset Compile(PresetDefinition definition)
    {
        var name = definition.Name ?? throw Invalid("(null)", "has no name");
        if (!PatternGrammar.IsPresetName(name))
        {
            throw new ArgumentException($"Preset name '{name}' is not valid: use letters, digits, '_' or '-'.", nameof(definition));
        }

        var variables = CompileVariables(name, definition.Variables ?? []);

        if (!PatternGrammar.TryParse(definition.Pattern ?? "", DefinitionLimits, out var pattern, out var error))
        {
            throw Invalid(name, $"has an invalid pattern: {error.Message.TrimEnd('.')}");
        }

        if (pattern.IsOriginal)
        {
            throw Invalid(name, "has no transformations ('original')");
        }

        var calls = new List<TransformationCall>(pattern.Elements.Count);
        foreach (var element in pattern.Elements)
        {
            if (element is not TransformationCall call || call is { Plugin: PresetReference.Plugin, Name: "apply" })
            {
                throw Invalid(name, $"references another preset at column {element.Column}; presets cannot contain presets");
            }

            foreach (var argument in call.Arguments)
            {
                if (!argument.Value.StartsWith('$'))
                {
                    continue;
                }

                var variable = argument.Value[1..];
                if (!PresetValues.IsVariableName(variable))
                {
                    throw Invalid(name, $"has an invalid placeholder '{argument.Value}' at column {argument.Column}");
                }

                if (!variables.ContainsKey(variable))
                {
                    throw Invalid(name, $"uses undeclared variable '{argument.Value}' at column {argument.Column}");
                }
            }

            calls.Add(call);
        }

        return new CompiledPreset(definition, calls, variables);
    }

    private static Dictionary<string, PresetVariable> CompileVariables(string preset, IReadOnlyList<PresetVariable> declared)
    {
        var variables = new Dictionary<string, PresetVariable>(StringComparer.Ordinal);
        foreach (var variable in declared)
        {
            if (variable is null || variable.Name is null || !PresetValues.IsVariableName(variable.Name))
            {
                throw Invalid(preset, $"has an invalid variable name '{variable?.Name}': use letters, digits or '_'");
            }

            if (!Enum.IsDefined(variable.Type))
            {
                throw Invalid(preset, $"has variable '{variable.Name}' of unknown type {variable.Type}");
            }

            var values = variable.Values ?? [];
            if (variable.Type == PresetVariableType.Enum)
            {
                if (values.Count == 0)
                {
                    throw Invalid(preset, $"has enum variable '{variable.Name}' without values");
                }

                var bad = values.FirstOrDefault(v => v is null || !PatternGrammar.IsValue(v));
                if (bad is not null || values.Contains(null))
                {
                    throw Invalid(preset, $"has enum variable '{variable.Name}' with value '{bad}' that cannot be written in a URL");
                }
            }
            else if (values.Count > 0)
            {
                throw Invalid(preset, $"has values on variable '{variable.Name}', which is not an enum");
            }

            if (variable.Default is not null && !PresetValues.IsValid(variable, variable.Default))
            {
                throw Invalid(preset, $"has default '{variable.Default}' for '{variable.Name}', which must be a type of {variable.TypeName}");
            }

            if (!variables.TryAdd(variable.Name, variable))
            {
                throw Invalid(preset, $"declares variable '{variable.Name}' twice");
            }
        }

        return variables;
    }

    private static ArgumentException Invalid(string preset, string problem) =>
        new($"Preset '{preset}' {problem}.");
}

/// <summary>A checked preset: its definition, its calls (placeholders still in place) and its variables by name.</summary>
internal sealed record CompiledPreset(
    PresetDefinition Definition,
    IReadOnlyList<TransformationCall> Calls,
    IReadOnlyDictionary<string, PresetVariable> Variables);
