using CdnProxy.Core.Transformations.Basic;
using CdnProxy.Core.Transformations.Enhance;
using CdnProxy.Core.Transformations.SixPx;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Transformations;

/// <summary>The single table from operation names (<c>t.resize</c>) to binders. A duplicate name fails at start-up.</summary>
public sealed class TransformationCatalog
{
    private readonly Dictionary<string, Func<ArgumentReader, ITransformation>> _binders = new(StringComparer.Ordinal);
    private IReadOnlyList<OperationDescription>? _descriptions;

    /// <summary>Every operation CdnProxy serves.</summary>
    public static TransformationCatalog Default { get; } = new TransformationCatalog()
        .Add<Resize>()
        .Add<Flip>()
        .Add<Flop>()
        .Add<Rotate>()
        .Add<Extract>()
        .Add<Extend>()
        .Add<Trim>()
        .Add<Flatten>()
        .Add<Sharpen>()
        .Add<Median>()
        .Add<Blur>()
        .Add<Negate>()
        .Add<Normalise>()
        .Add<Compress>()
        .Add<ToFormat>()
        .Add<Linear>()
        .Add<Grey>()
        .Add<Modulate>()
        .Add<Tint>()
        .Add<Density>()
        .Add<Merge>()
        .AddSixPx()
        .Add<Magic>();

    /// <summary>The registered names, sorted.</summary>
    public IEnumerable<string> Names => _binders.Keys.Order(StringComparer.Ordinal);

    public TransformationCatalog Add<T>()
        where T : ITransformation<T>
    {
        if (!_binders.TryAdd(T.Name, reader => T.Bind(reader)))
        {
            throw new InvalidOperationException($"Transformation {T.Name} is registered twice");
        }

        return this;
    }

    /// <summary>
    /// Every operation with its arguments (type, range, choices, default), sorted by name: each binder is run once on a
    /// call without arguments by a describing <see cref="ArgumentReader"/>, so this is exactly what binding accepts.
    /// </summary>
    public IReadOnlyList<OperationDescription> Describe() => _descriptions ??= [.. Names.Select(DescribeOne)];

    /// <summary>Binds one call: typed, range-checked, no unknown keys. Returns the transformation and its canonical text.</summary>
    public (ITransformation Transformation, string Canonical) Bind(TransformationCall call) => Bind(call, depth: 0);

    /// <summary>Binds a call found <paramref name="depth"/> levels deep in nested patterns (0 = the URL's own pattern).</summary>
    internal (ITransformation Transformation, string Canonical) Bind(TransformationCall call, int depth)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!_binders.TryGetValue(call.QualifiedName, out var bind))
        {
            throw new CdnException(CdnErrorKind.UnknownTransformation, $"Unknown transformation '{Shorten(call.QualifiedName)}' at column {call.Column}", column: call.Column);
        }

        var reader = new ArgumentReader(call, this, depth);
        var transformation = bind(reader);
        reader.EnsureAllConsumed();
        return (transformation, reader.ToCanonicalString());
    }

    private OperationDescription DescribeOne(string name)
    {
        var reader = ArgumentReader.Describing(name);
        var transformation = _binders[name](reader);
        return new OperationDescription(
            name,
            reader.Descriptions(),
            reader.ToCanonicalString(),
            SetsOutput: transformation is IOutputTransformation,
            ReferencesFiles: transformation is IReferencesFiles);
    }

    private static string Shorten(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
