using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Transformations;

/// <summary>The URL tokens of an enum argument, e.g. <c>cover</c> ↔ <c>ResizeFit.Cover</c>.</summary>
/// <typeparam name="T">The enum type.</typeparam>
public sealed class EnumArgument<T>
    where T : struct, Enum
{
    private readonly Dictionary<string, T> _byToken;
    private readonly Dictionary<T, string> _byValue;

    public EnumArgument(params (string Token, T Value)[] tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _byToken = tokens.ToDictionary(t => t.Token, t => t.Value, ArgumentText.ChoiceComparer);
        _byValue = tokens.GroupBy(t => t.Value).ToDictionary(g => g.Key, g => g.First().Token);
        Description = string.Join(", ", tokens.Select(t => t.Token));
        Tokens = [.. tokens.Select(t => t.Value).Distinct().Select(value => _byValue[value])];
        Aliases = tokens.Where(t => _byValue[t.Value] != t.Token).ToDictionary(t => t.Token, t => _byValue[t.Value], StringComparer.Ordinal);
    }

    /// <summary>The accepted tokens, for error messages.</summary>
    public string Description { get; }

    /// <summary>The canonical token of each value, in declaration order.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The other accepted tokens and the canonical token each stands for (e.g. <c>jpg</c> → <c>jpeg</c>).</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; }

    public bool TryParse(string token, out T value) => _byToken.TryGetValue(token, out value);

    /// <summary>The canonical token of <paramref name="value"/>.</summary>
    public string Format(T value) => _byValue[value];
}
