namespace CdnProxy.Urls.Presets;

/// <summary>A named, saved pattern that URLs reference as <c>p:name</c>.</summary>
/// <param name="Name">The preset name: letters, digits, <c>_</c> or <c>-</c>; case-sensitive.</param>
/// <param name="Pattern">
/// The pattern text, e.g. <c>t.resize(w:$w,h:$h)~t.toFormat(f:$fmt)</c>; an argument value written <c>$name</c>
/// is replaced by the variable <c>name</c>. At most 15 transformations; no preset references.
/// </param>
/// <param name="Variables">The variables the pattern may use; every <c>$name</c> in it must be declared here.</param>
public sealed record PresetDefinition(string Name, string Pattern, IReadOnlyList<PresetVariable> Variables)
{
    /// <summary>Creates a preset without variables.</summary>
    /// <param name="name">The preset name.</param>
    /// <param name="pattern">The pattern text, without placeholders.</param>
    public PresetDefinition(string name, string pattern)
        : this(name, pattern, [])
    {
    }
}
