namespace CdnProxy.Urls.Grammar;

/// <summary>One element of a <c>~</c>-chain: a <see cref="TransformationCall"/> or a <see cref="PresetReference"/>.</summary>
/// <param name="Column">1-based column of the element's first character inside the pattern segment.</param>
public abstract record PatternElement(int Column);
