namespace CdnProxy.Urls.Grammar;

/// <summary>
/// The parsed pattern segment: <c>original</c> (no elements) or an ordered chain of transformation calls and
/// preset references.
/// </summary>
/// <remarks>
/// <see cref="Elements"/> is the tree as written. <see cref="Calls"/> is the same chain seen as calls only, for
/// code that binds transformations: a <see cref="PresetReference"/> appears there in the SDKs' shape (plugin
/// <c>p</c>, the preset name as operation name, see <see cref="PresetReference.ToCall"/>), so a pattern whose
/// presets were not expanded is rejected by the binder as an unknown operation instead of being silently dropped.
/// For a pattern without presets, <see cref="Calls"/> holds exactly the elements.
/// </remarks>
public sealed record PatternSyntax
{
    /// <summary>Creates a pattern from its elements, in URL order.</summary>
    /// <param name="elements">The calls and preset references in URL order; empty for <c>original</c>.</param>
    public PatternSyntax(IReadOnlyList<PatternElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        Elements = elements;
        var calls = new TransformationCall[elements.Count];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = elements[i] switch
            {
                TransformationCall call => call,
                PresetReference preset => preset.ToCall(),
                var other => throw new ArgumentException($"Unknown pattern element type {other?.GetType().Name ?? "null"}.", nameof(elements)),
            };
            HasPresets |= elements[i] is PresetReference;
        }

        Calls = calls;
    }

    /// <summary>The pattern <c>original</c>: no transformation.</summary>
    public static PatternSyntax Original { get; } = new PatternSyntax([]);

    /// <summary>The calls and preset references in URL order; repeats are allowed and meaningful.</summary>
    public IReadOnlyList<PatternElement> Elements { get; }

    /// <summary>The elements as calls; a preset reference appears as the call <c>p.name</c> (see the remarks).</summary>
    public IReadOnlyList<TransformationCall> Calls { get; }

    /// <summary>True when at least one element is a <see cref="PresetReference"/>, so the pattern needs expanding.</summary>
    public bool HasPresets { get; }

    /// <summary>True when the pattern is <c>original</c>.</summary>
    public bool IsOriginal => Elements.Count == 0;

    /// <summary>The canonical pattern text; see <see cref="PatternPrinter"/>.</summary>
    /// <returns>For example <c>t.resize(w:300)~p:thumb</c>, or <c>original</c>.</returns>
    public override string ToString() => PatternPrinter.Print(this);
}
