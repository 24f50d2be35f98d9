using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sprache;
using Sp = Sprache.Parse;

namespace CdnProxy.Urls.Grammar;

/// <summary>
/// The grammar of a pattern segment: <c>original</c>, or <c>plugin.name(key:value,...)</c> calls joined by <c>~</c>.
/// It checks shape only; whether an operation exists or a value is valid is decided by the binder.
/// </summary>
/// <remarks>See <c>Grammar/README.md</c> for the EBNF. Presets (<c>p:name</c>) are not part of this grammar yet.</remarks>
public static class PatternGrammar
{
    // The rules are fields, not properties, so each is built once; order matters because each uses the ones above it.

    /// <summary>The 1-based column of the current position; consumes nothing.</summary>
    internal static readonly Parser<int> Column = input => Result.Success(input.Position + 1, input);

    internal static readonly Parser<char> AsciiLetter = Sp.Char(char.IsAsciiLetter, "letter");

    internal static readonly Parser<char> WordCharacter =
        Sp.Char(c => char.IsAsciiLetterOrDigit(c) || c == '_', "letter, digit or '_'");

    /// <summary>A letter followed by letters, digits or underscores: <c>t</c>, <c>toFormat</c>, <c>vertexAi</c>.</summary>
    internal static readonly Parser<string> Identifier =
        from first in AsciiLetter
        from rest in WordCharacter.Many().Text()
        select first + rest;

    internal static readonly Parser<string> PluginName = Identifier.Named("plugin name");

    internal static readonly Parser<string> OperationName = Identifier.Named("operation name");

    internal static readonly Parser<string> Key = WordCharacter.AtLeastOnce().Text().Named("argument key");

    /// <summary>Raw value text such as <c>300</c>, <c>-249</c>, <c>right_top</c>, <c>[[1_2_3_4]_[5_6_7_8]]</c> or base64.</summary>
    internal static readonly Parser<string> Value =
        Sp.Char(IsValueCharacter, "argument value character").AtLeastOnce().Text().Named("argument value");

    internal static readonly Parser<ArgumentSyntax> Argument =
        from column in Column
        from key in Key
        from colon in Symbol(':')
        from value in Value
        select new ArgumentSyntax(key, value, column);

    /// <summary>One or more arguments and the closing parenthesis; a consumed <c>,</c> must be followed by an argument.</summary>
    internal static readonly Parser<IReadOnlyList<ArgumentSyntax>> NonEmptyArguments =
        from arguments in Argument.XDelimitedBy(Symbol(','))
        from close in Sp.Char(')').Named("',' or ')'")
        select (IReadOnlyList<ArgumentSyntax>)[.. arguments];

    internal static readonly Parser<IReadOnlyList<ArgumentSyntax>> EmptyArguments =
        Symbol(')').Return((IReadOnlyList<ArgumentSyntax>)[]);

    /// <summary><c>(</c>, then <c>)</c> or a comma-separated argument list and <c>)</c>.</summary>
    internal static readonly Parser<IReadOnlyList<ArgumentSyntax>> ArgumentList =
        from open in Symbol('(')
        from arguments in NonEmptyArguments.Or(EmptyArguments)
        select arguments;

    internal static readonly Parser<TransformationCall> Call =
        from column in Column
        from plugin in PluginName
        from dot in Symbol('.')
        from name in OperationName
        from arguments in ArgumentList
        select new TransformationCall(plugin, name, arguments, column);

    /// <summary>Calls joined by <c>~</c>; a consumed <c>~</c> must be followed by a call.</summary>
    internal static readonly Parser<PatternSyntax> Chain =
        from calls in Call.XDelimitedBy(Symbol('~'))
        select new PatternSyntax([.. calls]);

    internal static readonly Parser<PatternSyntax> Original =
        Identifier.Where(word => word == "original").Named("'original'").Return(PatternSyntax.Original);

    /// <summary>The whole pattern segment.</summary>
    internal static readonly Parser<PatternSyntax> Pattern = Original.End().Or(Chain.End());

    /// <summary>Parses a pattern segment with <see cref="PatternLimits.Default"/>.</summary>
    /// <param name="patternText">The percent-decoded pattern segment, e.g. <c>t.resize(w:300)~t.flip()</c>.</param>
    /// <returns>The syntax tree; <see cref="PatternSyntax.Original"/> for <c>original</c>.</returns>
    /// <exception cref="CdnUrlException">With <see cref="UrlErrorCode.PatternSyntax"/> or <see cref="UrlErrorCode.LimitExceeded"/>.</exception>
    public static PatternSyntax Parse(string patternText) => Parse(patternText, PatternLimits.Default);

    /// <summary>Parses a pattern segment, after checking it against <paramref name="limits"/>.</summary>
    /// <param name="patternText">The percent-decoded pattern segment, e.g. <c>t.resize(w:300)~t.flip()</c>.</param>
    /// <param name="limits">The length and call-count limits to enforce before parsing.</param>
    /// <returns>The syntax tree; <see cref="PatternSyntax.Original"/> for <c>original</c>.</returns>
    /// <exception cref="CdnUrlException">With <see cref="UrlErrorCode.PatternSyntax"/> or <see cref="UrlErrorCode.LimitExceeded"/>.</exception>
    public static PatternSyntax Parse(string patternText, PatternLimits limits) =>
        TryParse(patternText, limits, out var pattern, out var error) ? pattern : throw error;

    /// <summary>Parses a pattern segment with <see cref="PatternLimits.Default"/>, without throwing on bad input.</summary>
    /// <param name="patternText">The percent-decoded pattern segment.</param>
    /// <param name="pattern">The syntax tree when parsing succeeds.</param>
    /// <param name="error">The problem, with its column, when parsing fails.</param>
    /// <returns>True when the pattern is valid.</returns>
    public static bool TryParse(
        string patternText,
        [NotNullWhen(true)] out PatternSyntax? pattern,
        [NotNullWhen(false)] out CdnUrlException? error) =>
        TryParse(patternText, PatternLimits.Default, out pattern, out error);

    /// <summary>Parses a pattern segment, after checking it against <paramref name="limits"/>, without throwing on bad input.</summary>
    /// <param name="patternText">The percent-decoded pattern segment.</param>
    /// <param name="limits">The length and call-count limits to enforce before parsing.</param>
    /// <param name="pattern">The syntax tree when parsing succeeds.</param>
    /// <param name="error">The problem, with its column, when parsing fails.</param>
    /// <returns>True when the pattern is valid.</returns>
    public static bool TryParse(
        string patternText,
        PatternLimits limits,
        [NotNullWhen(true)] out PatternSyntax? pattern,
        [NotNullWhen(false)] out CdnUrlException? error)
    {
        ArgumentNullException.ThrowIfNull(patternText);
        ArgumentNullException.ThrowIfNull(limits);

        pattern = null;
        error = CheckLimits(patternText, limits);
        if (error is not null)
        {
            return false;
        }

        var result = Pattern(new Input(patternText));
        if (!result.WasSuccessful)
        {
            error = SyntaxError(result);
            return false;
        }

        pattern = result.Value;
        return true;
    }

    private static Parser<char> Symbol(char c) => Sp.Char(c).Named($"'{c}'");

    // Visible ASCII only: every documented value type (numbers, enums, colours, bbox lists, base64) fits,
    // and a value never needs a character that also delimits the grammar or the path.
    private static bool IsValueCharacter(char c) =>
        c is > ' ' and < '\u007f' and not (',' or ')' or '(' or '~' or ':' or '/');

    private static CdnUrlException? CheckLimits(string patternText, PatternLimits limits)
    {
        if (patternText.Length > limits.MaxLength)
        {
            return new CdnUrlException(
                UrlErrorCode.LimitExceeded,
                $"Pattern is longer than {limits.MaxLength} characters.",
                limits.MaxLength + 1);
        }

        // Each '~' starts another call, so the call count is known without parsing.
        var calls = 1;
        for (var i = patternText.IndexOf('~'); i >= 0; i = patternText.IndexOf('~', i + 1))
        {
            if (++calls > limits.MaxCalls)
            {
                return new CdnUrlException(
                    UrlErrorCode.LimitExceeded,
                    $"Pattern has more than {limits.MaxCalls} transformations.",
                    i + 2);
            }
        }

        return null;
    }

    private static CdnUrlException SyntaxError(IResult<PatternSyntax> failure)
    {
        var remainder = failure.Remainder;
        var column = remainder.Position + 1;
        var found = remainder.AtEnd ? "end of pattern" : Describe(remainder.Current);
        var expected = string.Join(
            " or ",
            failure.Expectations.Select(e => e == "end of input" ? "end of pattern" : e).Distinct());

        return expected.Length == 0
            ? new CdnUrlException(UrlErrorCode.PatternSyntax, $"Unexpected {found} at column {column}", column)
            : new CdnUrlException(UrlErrorCode.PatternSyntax, $"Unexpected {found} at column {column}; expected {expected}", column, expected);
    }

    /// <summary>Quotes a visible ASCII character; anything else is shown as a code point, so the message stays safe to echo.</summary>
    private static string Describe(char c) =>
        c switch
        {
            ' ' => "space",
            > ' ' and < '\u007f' => $"'{c}'",
            _ => string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}"),
        };
}
