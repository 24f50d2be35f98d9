namespace CdnProxy.Urls.Presets;

/// <summary>A typed variable of a preset, used in the preset's pattern as the whole argument value <c>$name</c>.</summary>
/// <param name="Name">The variable name, also the argument key in <c>p:preset(name:value)</c>: letters, digits or <c>_</c>.</param>
/// <param name="Type">The type every argument and the default must satisfy.</param>
/// <param name="Default">The value used when the reference gives no argument; null makes the argument required.</param>
public sealed record PresetVariable(string Name, PresetVariableType Type, string? Default = null)
{
    /// <summary>The allowed values of an <see cref="PresetVariableType.Enum"/> variable; empty for other types.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>The type name used in configuration and error messages, e.g. <c>integer</c>.</summary>
    public string TypeName => PresetValues.TypeName(Type);
}
