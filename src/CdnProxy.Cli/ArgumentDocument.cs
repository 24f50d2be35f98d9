namespace CdnProxy.Cli;

/// <summary>One <c>key:value</c> argument in the <c>cdnproxy parse</c> output.</summary>
internal sealed record ArgumentDocument(string Key, string Value);
