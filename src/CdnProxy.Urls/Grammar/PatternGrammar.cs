using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sprache;
using Sp = Sprache.Parse;

namespace CdnProxy.Urls.Grammar;

/// <summary>
/// The grammar of a pattern segment: <c>original</c>, or <c>plugin.name(key:value,...)</c> calls and
/// <c>p:name(key:value,...)</c> preset references joined by <c>~</c>.
/// It checks shape only; whether an operation or preset exists or a value is valid is decided later.
/// </summary>
/// <remarks>
/// See <c>Grammar/README.md</c> for the EBNF. <c>p.apply(n:name,...)</c> is read as a call and then normalised
/// to the same <see cref="PresetReference"/> as <c>p:name(...)</c>.
/// </remarks>
public static class PatternGrammar
{
    // The rules are fields, not properties, so each is built once; order matters because each uses the ones above it.

    /// <summary>The 1-based column of the current position; consumes nothing.</summary>
    internal static readonly Parser<int> Column = input => Result.Success(input.Position + 1, input);

    // Identifier, Key, Value, Argument and ArgumentList (and PresetName below) are hand-written Sprache parsers that
    // scan the string directly; each gives exactly the result of the combinator expression in its comment, errors
    // included. See PatternTokens and Grammar/README.md.

    /// <summary>A letter followed by letters, digits or underscores: <c>t</c>, <c>toFormat</c>, <c>vertexAi</c>.</summary>
    /// <remarks><c>from first in Char(IsAsciiLetter, "letter") from rest in Char(IsWordCharacter).Many().Text() select first + rest</c>.</remarks>
    internal static readonly Parser<string> Identifier = PatternTokens.Identifier;

    internal static readonly Parser<string> PluginName = Identifier.Named("plugin name");

    internal static readonly Parser<string> OperationName = Identifier.Named("operation name");

    /// <summary>Letters, digits and underscores.</summary>
    /// <remarks><c>Char(IsWordCharacter, "letter, digit or '_'").AtLeastOnce().Text().Named("argument key")</c>.</remarks>
    internal static readonly Parser<string> Key = PatternTokens.Key;

    /// <summary>Raw value text such as <c>300</c>, <c>-249</c>, <c>right_top</c>, <c>[[1_2_3_4]_[5_6_7_8]]</c> or base64.</summary>
    /// <remarks><c>Char(IsValueCharacter, "argument value character").AtLeastOnce().Text().Named("argument value")</c>.</remarks>
    internal static readonly Parser<string> Value = PatternTokens.Value;

    /// <summary><c>key:value</c>; the column is the key's.</summary>
    /// <remarks><c>from column in Column from key in Key from colon in Symbol(':') from value in Value select new ArgumentSyntax(key, value, column)</c>.</remarks>
    internal static readonly Parser<ArgumentSyntax> Argument = PatternTokens.Argument;

    /// <summary><c>(</c>, then <c>)</c> or a comma-separated argument list and <c>)</c>; a consumed <c>,</c> must be followed by an argument.</summary>
    /// <remarks>
    /// <c>from open in Symbol('(') from arguments in NonEmptyArguments.Or(EmptyArguments) select arguments</c>, with
    /// <c>NonEmptyArguments = from arguments in Argument.XDelimitedBy(Symbol(',')) from close in Char(')').Named("',' or ')'") select arguments</c>
    /// and <c>EmptyArguments = Symbol(')').Return([])</c>.
    /// </remarks>
    internal static readonly Parser<IReadOnlyList<ArgumentSyntax>> ArgumentList = PatternTokens.ArgumentList;

    internal static readonly Parser<TransformationCall> Call =
        from column in Column
        from plugin in PluginName
        from dot in Symbol('.')
        from name in OperationName
        from arguments in ArgumentList
        select new TransformationCall(plugin, name, arguments, column);

    /// <summary>A preset name: letters, digits, <c>_</c> and <c>-</c>.</summary>
    /// <remarks><c>Char(IsPresetNameCharacter, "letter, digit, '_' or '-'").AtLeastOnce().Text().Named("preset name")</c>.</remarks>
    internal static readonly Parser<string> PresetName = PatternTokens.PresetName;

    /// <summary>
    /// <c>p:name</c>, <c>p:name()</c> or <c>p:name(k:v,...)</c>. The leading <c>p</c> is named like a plugin, so a
    /// chain that starts badly still reports "expected plugin name"; an opened <c>(</c> must be closed.
    /// </summary>
    internal static readonly Parser<PresetReference> Preset =
        from column in Column
        from p in Sp.Char('p').Named("plugin name")
        from colon in Symbol(':')
        from name in PresetName
        from arguments in ArgumentList.XOptional()
        select new PresetReference(name, arguments.GetOrElse([]), column);

    /// <summary>A preset reference, or a call; <c>p.apply(n:name,...)</c> becomes a preset reference.</summary>
    internal static readonly Parser<PatternElement> Element =
        Preset.Select(preset => (PatternElement)preset).Or(Call.Select(NormaliseApply));

    /// <summary>Elements joined by <c>~</c>; a consumed <c>~</c> must be followed by an element.</summary>
    internal static readonly Parser<PatternSyntax> Chain =
        from elements in Element.XDelimitedBy(Symbol('~'))
        select new PatternSyntax([.. elements]);

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

        var result = Pattern(new PatternInput(patternText));
        if (!result.WasSuccessful)
        {
            error = SyntaxError(result);
            return false;
        }

        pattern = result.Value;
        return true;
    }

    /// <summary>True when <paramref name="text"/> is a valid preset name (what <c>p:</c> may be followed by).</summary>
    /// <param name="text">The candidate name.</param>
    /// <returns>True for one or more letters, digits, <c>_</c> or <c>-</c>.</returns>
    internal static bool IsPresetName(string text) => text.Length > 0 && text.All(IsPresetNameCharacter);

    /// <summary>True when <paramref name="text"/> is a valid plugin or operation name.</summary>
    /// <param name="text">The candidate name.</param>
    /// <returns>True for an ASCII letter followed by letters, digits or <c>_</c>.</returns>
    internal static bool IsIdentifier(string text) => text.Length > 0 && char.IsAsciiLetter(text[0]) && text.All(IsWordCharacter);

    /// <summary>True when <paramref name="text"/> can be written as an argument value without escaping.</summary>
    /// <param name="text">The candidate value.</param>
    /// <returns>True for one or more visible ASCII characters other than the grammar's delimiters.</returns>
    internal static bool IsValue(string text) => text.Length > 0 && text.All(IsValueCharacter);

    /// <summary>
    /// <c>p.apply(n:name,k:v,...)</c> with a valid name in its first <c>n</c> becomes a preset reference with the
    /// other arguments; anything else (including <c>p.apply</c> without <c>n</c>) stays a call for the expander to report.
    /// </summary>
    private static PatternElement NormaliseApply(TransformationCall call)
    {
        if (call is not { Plugin: PresetReference.Plugin, Name: "apply" })
        {
            return call;
        }

        for (var i = 0; i < call.Arguments.Count; i++)
        {
            var argument = call.Arguments[i];
            if (argument.Key == "n")
            {
                return IsPresetName(argument.Value)
                    ? new PresetReference(argument.Value, [.. call.Arguments.Where((_, j) => j != i)], call.Column)
                    : call;
            }
        }

        return call;
    }

    internal static bool IsPresetNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    internal static bool IsWordCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static Parser<char> Symbol(char c) => Sp.Char(c).Named($"'{c}'");

    // Visible ASCII only: every documented value type (numbers, enums, colours, bbox lists, base64) fits,
    // and a value never needs a character that also delimits the grammar or the path.
    internal static bool IsValueCharacter(char c) =>
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
