using CdnProxy.Core.Rendering;
using CdnProxy.Vips;

namespace CdnProxy.Core.Transformations;

/// <summary>A bound, validated operation of a render plan.</summary>
public interface ITransformation
{
    /// <summary>
    /// Applies the operation. Returns a new image (the caller disposes the input) or the input itself when
    /// nothing changes in the pixels.
    /// </summary>
    VipsImage Apply(VipsImage image, RenderContext context);
}

/// <summary>A transformation with a catalog name and a binder; registered in the transformation catalog.</summary>
/// <typeparam name="TSelf">The transformation type itself.</typeparam>
public interface ITransformation<TSelf> : ITransformation
    where TSelf : ITransformation<TSelf>
{
    /// <summary>The name as written in URLs, e.g. <c>t.resize</c>.</summary>
    static abstract string Name { get; }

    /// <summary>Reads and validates arguments; throws <see cref="Pipeline.CdnException"/> for bad ones.</summary>
    static abstract TSelf Bind(ArgumentReader args);
}
