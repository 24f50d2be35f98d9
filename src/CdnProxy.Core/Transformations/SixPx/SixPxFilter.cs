namespace CdnProxy.Core.Transformations.SixPx;

/// <summary>The URL namespace of 6px's methods: <c>filter.sepia(a:70)</c>, <c>filter.crop(...)</c>, <c>filter.layer(...)</c>.</summary>
internal static class SixPxFilter
{
    public const string Namespace = "filter.";

    /// <summary>The key of a filter's single amount, as in <c>filter.sepia(a:70)</c>.</summary>
    public const string Amount = "a";
}
