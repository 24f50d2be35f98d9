namespace CdnProxy.Urls.Grammar;

/// <summary>One <c>key:value</c> argument as written; the value is raw text, typed later by the binder.</summary>
/// <param name="Key">The argument key, e.g. <c>w</c>.</param>
/// <param name="Value">The raw value text, e.g. <c>300</c>.</param>
/// <param name="Column">1-based column of the key inside the pattern segment.</param>
public sealed record ArgumentSyntax(string Key, string Value, int Column);
