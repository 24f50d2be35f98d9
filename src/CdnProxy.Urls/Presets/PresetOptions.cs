namespace CdnProxy.Urls.Presets;

/// <summary>
/// One preset as bound from configuration (<c>CdnProxy:Presets:&lt;name&gt;</c>); see <c>docs/presets.md</c>.
/// Turn a dictionary of them into a catalog with <see cref="PresetCatalog.FromOptions"/>.
/// </summary>
public sealed class PresetOptions
{
    /// <summary>The pattern text, e.g. <c>t.resize(w:$w,h:$h)~t.toFormat(f:$fmt)</c>.</summary>
    public string Pattern { get; set; } = "";

    /// <summary>The variables by name, e.g. <c>w</c> → integer with default <c>100</c>.</summary>
    public IDictionary<string, PresetVariableOptions> Variables { get; } = new Dictionary<string, PresetVariableOptions>(StringComparer.Ordinal);

    /// <summary>Converts the options to a definition; the catalog checks it.</summary>
    /// <param name="name">The preset name (the configuration key).</param>
    /// <returns>The definition, variables in name order so that errors are reported deterministically.</returns>
    /// <exception cref="ArgumentException">A variable has no type or an unknown type.</exception>
    public PresetDefinition ToDefinition(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var variables = Variables
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => (v.Value ?? new PresetVariableOptions()).ToVariable(name, v.Key))
            .ToList();
        return new PresetDefinition(name, Pattern, variables);
    }
}

/// <summary>One preset variable as bound from configuration.</summary>
public sealed class PresetVariableOptions
{
    /// <summary>The type: <c>integer</c>, <c>string</c>, <c>color</c>, <c>enum</c>, <c>boolean</c> or <c>file</c> (any case).</summary>
    public string Type { get; set; } = "";

    /// <summary>The value used when a reference gives no argument; null or absent makes the argument required.</summary>
    public string? Default { get; set; }

    /// <summary>The allowed values of an <c>enum</c> variable.</summary>
    public IList<string> Values { get; } = new List<string>();

    /// <summary>Converts the options to a variable.</summary>
    /// <param name="preset">The preset name, for the error message.</param>
    /// <param name="name">The variable name (the configuration key).</param>
    /// <returns>The variable; the catalog checks its name, values and default.</returns>
    /// <exception cref="ArgumentException"><see cref="Type"/> is missing or unknown.</exception>
    public PresetVariable ToVariable(string preset, string name)
    {
        if (!PresetValues.TryParseType(Type, out var type))
        {
            throw new ArgumentException(
                $"Preset '{preset}' has variable '{name}' of unknown type '{Type}': use integer, string, color, enum, boolean or file.");
        }

        return new PresetVariable(name, type, Default) { Values = [.. Values] };
    }
}
