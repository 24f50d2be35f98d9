namespace CdnProxy.Urls.Client;

/// <summary>
/// An immutable chain of operations built by <see cref="Basic"/>, <see cref="EraseBG"/>, <see cref="SuperResolution"/>
/// or <see cref="Custom"/>. <see cref="ToString"/> gives the pattern segment, e.g. <c>t.resize(w:300)~t.flip()</c>.
/// </summary>
public sealed class Transformation : IEquatable<Transformation>
{
    private readonly PixelbinTransformation[] _steps;

    private Transformation(PixelbinTransformation[] steps) => _steps = steps;

    /// <summary>The operations in order.</summary>
    public IReadOnlyList<PixelbinTransformation> Steps => _steps;

    /// <summary>A single operation with arguments in the given order; <see langword="null"/> values are skipped.</summary>
    /// <param name="plugin">Plugin prefix, e.g. <c>t</c>.</param>
    /// <param name="name">Operation name, e.g. <c>resize</c>.</param>
    /// <param name="values">Key/value pairs in emission order.</param>
    /// <returns>The one-step transformation.</returns>
    public static Transformation Custom(string plugin, string name, params IEnumerable<KeyValuePair<string, string?>> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(plugin);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var list = values.Where(v => !string.IsNullOrEmpty(v.Value)).Select(v => new PixelbinValue(v.Key, v.Value)).ToList();
        return new([new PixelbinTransformation(plugin, name, list.Count == 0 ? null : list)]);
    }

    /// <summary>Appends another transformation's operations to this one.</summary>
    /// <param name="next">The operations to run after this one's.</param>
    /// <returns>A new chain; this one is unchanged.</returns>
    public Transformation Pipe(Transformation next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return new([.. _steps, .. next._steps]);
    }

    /// <summary>The pattern segment, e.g. <c>t.resize(w:300)~t.flip()</c>.</summary>
    /// <returns>The pattern.</returns>
    public override string ToString() => PixelbinUrls.PatternOf(_steps);

    /// <inheritdoc/>
    public bool Equals(Transformation? other) => other is not null && ToString() == other.ToString();

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Transformation);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}

/// <summary>Builds ordered argument lists the way the core SDK does: defaults when no argument is given, else only what was set.</summary>
internal sealed class Args
{
    private readonly List<KeyValuePair<string, string?>> _values = [];

    public Args Add(string key, int? value) => Add(key, value?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Args Add(string key, double? value) => Add(key, value is { } v ? PixelbinFormat.Number(v) : null);

    public Args Add(string key, bool? value) => Add(key, value is { } v ? PixelbinFormat.Bool(v) : null);

    public Args Add(string key, string? value)
    {
        _values.Add(new(key, value));
        return this;
    }

    /// <summary>Whether every argument was left out, in which case the SDK's defaults object applies.</summary>
    public bool AllUnset => _values.TrueForAll(v => v.Value is null);

    public Transformation Build(string plugin, string name, Args defaults) =>
        Transformation.Custom(plugin, name, AllUnset ? defaults._values : _values);
}
