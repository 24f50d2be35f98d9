using Sprache;

namespace CdnProxy.Urls.Grammar;

/// <summary>
/// The Sprache input <see cref="PatternGrammar"/> parses a pattern segment with: a string and a position, so the
/// hand-written token rules (see <see cref="PatternTokens"/>) can jump over a whole token in one step.
/// </summary>
/// <remarks>
/// It behaves like Sprache's own <see cref="Input"/> (same positions, lines, columns, equality and end-of-input
/// error) but is cheaper: the line and column are computed only when asked for (the grammar reports positions), and
/// the memo dictionary is created only when a memoising parser uses it (the grammar has none).
/// </remarks>
internal sealed class PatternInput : IInput
{
    private IDictionary<object, object>? _memos;

    /// <summary>Starts at the first character of <paramref name="source"/>.</summary>
    /// <param name="source">The pattern segment.</param>
    public PatternInput(string source)
        : this(source, 0)
    {
    }

    private PatternInput(string source, int position)
    {
        Source = source;
        Position = position;
    }

    public string Source { get; }

    public int Position { get; }

    public char Current => Source[Position];

    public bool AtEnd => Position == Source.Length;

    public int Line => 1 + Source.AsSpan(0, Position).Count('\n');

    public int Column => Position - Source.AsSpan(0, Position).LastIndexOf('\n');

    public IDictionary<object, object> Memos => _memos ??= new Dictionary<object, object>();

    public IInput Advance() =>
        AtEnd
            ? throw new InvalidOperationException("The input is already at the end of the source.")
            : new PatternInput(Source, Position + 1);

    /// <summary>The input <paramref name="count"/> characters further on.</summary>
    /// <param name="count">How many characters to skip; the caller has checked they exist.</param>
    /// <returns>A new input.</returns>
    public PatternInput Skip(int count) => count == 0 ? this : new PatternInput(Source, Position + count);

    public bool Equals(IInput? other) =>
        other is not null && Position == other.Position && string.Equals(Source, other.Source, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is IInput other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Source, Position);

    public override string ToString() => $"Line {Line}, Column {Column}";
}
