using Sprache;

namespace CdnProxy.Urls.Grammar;

/// <summary>
/// The hand-written token rules behind <see cref="PatternGrammar"/>'s <c>Identifier</c>, <c>Key</c>, <c>Value</c>,
/// <c>PresetName</c>, <c>Argument</c> and <c>ArgumentList</c>: Sprache parsers (<c>IResult&lt;T&gt; (IInput)</c>) that
/// scan the source string directly instead of combining one-character parsers.
/// </summary>
/// <remarks>
/// Each method gives exactly the result of the combinator expression quoted in its summary: the same value, the same
/// remainder, and on failure the same position, message and expectations, so errors keep their columns and wording.
/// On a <see cref="PatternInput"/> a token is skipped in one step; on any other <see cref="IInput"/> (Sprache's own,
/// used by the rule-level tests) the input is advanced one character at a time, as Sprache does.
/// </remarks>
internal static class PatternTokens
{
    private static readonly string[] ExpectLetter = ["letter"];
    private static readonly string[] ExpectArgumentKey = ["argument key"];
    private static readonly string[] ExpectColon = ["':'"];
    private static readonly string[] ExpectArgumentValue = ["argument value"];
    private static readonly string[] ExpectPresetName = ["preset name"];
    private static readonly string[] ExpectOpen = ["'('"];
    private static readonly string[] ExpectCommaOrClose = ["',' or ')'"];
    private static readonly string[] ExpectArgumentKeyOrClose = ["argument key", "')'"];

    /// <summary>The empty list for <c>()</c> (the same instance the combinator version returned).</summary>
    private static readonly IReadOnlyList<ArgumentSyntax> NoArguments = [];

    /// <summary><c>from first in AsciiLetter from rest in WordCharacter.Many().Text() select first + rest</c>.</summary>
    /// <param name="input">Where to start.</param>
    /// <returns>The identifier, or a failure expecting <c>letter</c>.</returns>
    public static IResult<string> Identifier(IInput input)
    {
        var source = input.Source;
        var start = input.Position;
        if (start == source.Length || !char.IsAsciiLetter(source[start]))
        {
            return Failure<string>(input, ExpectLetter);
        }

        var end = ScanWordCharacters(source, start + 1);
        return Result.Success(source.Substring(start, end - start), Skip(input, end - start));
    }

    /// <summary><c>WordCharacter.AtLeastOnce().Text().Named("argument key")</c>.</summary>
    /// <param name="input">Where to start.</param>
    /// <returns>The key, or a failure expecting <c>argument key</c>.</returns>
    public static IResult<string> Key(IInput input) => Token(input, ScanWordCharacters(input.Source, input.Position), ExpectArgumentKey);

    /// <summary><c>Char(IsValueCharacter).AtLeastOnce().Text().Named("argument value")</c>.</summary>
    /// <param name="input">Where to start.</param>
    /// <returns>The raw value, or a failure expecting <c>argument value</c>.</returns>
    public static IResult<string> Value(IInput input) => Token(input, ScanValueCharacters(input.Source, input.Position), ExpectArgumentValue);

    /// <summary><c>Char(IsPresetNameCharacter).AtLeastOnce().Text().Named("preset name")</c>.</summary>
    /// <param name="input">Where to start.</param>
    /// <returns>The preset name, or a failure expecting <c>preset name</c>.</returns>
    public static IResult<string> PresetName(IInput input)
    {
        var source = input.Source;
        var end = input.Position;
        while (end < source.Length && PatternGrammar.IsPresetNameCharacter(source[end]))
        {
            end++;
        }

        return Token(input, end, ExpectPresetName);
    }

    /// <summary><c>from column in Column from key in Key from colon in Symbol(':') from value in Value select new ArgumentSyntax(key, value, column)</c>.</summary>
    /// <param name="input">Where to start.</param>
    /// <returns>The argument, or the failure of its key, colon or value.</returns>
    public static IResult<ArgumentSyntax> Argument(IInput input)
    {
        var source = input.Source;
        var start = input.Position;
        var outcome = ScanArgument(source, start);
        return outcome.Failed
            ? Failure<ArgumentSyntax>(Skip(input, outcome.End - start), outcome.Expectations)
            : Result.Success(outcome.ToSyntax(source, start), Skip(input, outcome.End - start));
    }

    /// <summary>
    /// <c>from open in Symbol('(') from arguments in NonEmptyArguments.Or(EmptyArguments) select arguments</c>, where
    /// <c>NonEmptyArguments</c> is <c>Argument.XDelimitedBy(Symbol(','))</c> followed by <c>Char(')').Named("',' or ')'")</c>
    /// and <c>EmptyArguments</c> is <c>Symbol(')')</c> returning no arguments.
    /// </summary>
    /// <param name="input">Where to start.</param>
    /// <returns>The arguments, or the failure Sprache's combinators would report.</returns>
    public static IResult<IReadOnlyList<ArgumentSyntax>> ArgumentList(IInput input)
    {
        var source = input.Source;
        var start = input.Position;
        if (start == source.Length || source[start] != '(')
        {
            return Failure<IReadOnlyList<ArgumentSyntax>>(input, ExpectOpen);
        }

        var first = start + 1;
        var outcome = ScanArgument(source, first);
        if (outcome.Failed)
        {
            // NonEmptyArguments failed, so Or tries EmptyArguments at the same place.
            if (first < source.Length && source[first] == ')')
            {
                return Result.Success(NoArguments, Skip(input, first + 1 - start));
            }

            // Both failed: Or keeps the failure that got further, and merges the expectations of a tie
            // (the first argument is missing altogether: "argument key or ')'").
            return Failure<IReadOnlyList<ArgumentSyntax>>(
                Skip(input, outcome.End - start),
                outcome.End == first ? ExpectArgumentKeyOrClose : outcome.Expectations);
        }

        var arguments = new List<ArgumentSyntax>(4) { outcome.ToSyntax(source, first) };
        var position = outcome.End;
        while (position < source.Length && source[position] == ',')
        {
            // A consumed ',' must be followed by an argument (XDelimitedBy).
            var next = position + 1;
            outcome = ScanArgument(source, next);
            if (outcome.Failed)
            {
                return Failure<IReadOnlyList<ArgumentSyntax>>(Skip(input, outcome.End - start), outcome.Expectations);
            }

            arguments.Add(outcome.ToSyntax(source, next));
            position = outcome.End;
        }

        return position < source.Length && source[position] == ')'
            ? Result.Success<IReadOnlyList<ArgumentSyntax>>([.. arguments], Skip(input, position + 1 - start))
            : Failure<IReadOnlyList<ArgumentSyntax>>(Skip(input, position - start), ExpectCommaOrClose);
    }

    /// <summary>Scans <c>key:value</c> at <paramref name="start"/> without allocating.</summary>
    private static ArgumentScan ScanArgument(string source, int start)
    {
        var keyEnd = ScanWordCharacters(source, start);
        if (keyEnd == start)
        {
            return ArgumentScan.Failure(start, ExpectArgumentKey);
        }

        if (keyEnd == source.Length || source[keyEnd] != ':')
        {
            return ArgumentScan.Failure(keyEnd, ExpectColon);
        }

        var valueStart = keyEnd + 1;
        var valueEnd = ScanValueCharacters(source, valueStart);
        return valueEnd == valueStart
            ? ArgumentScan.Failure(valueStart, ExpectArgumentValue)
            : new ArgumentScan(keyEnd, valueStart, valueEnd, null);
    }

    private static int ScanWordCharacters(string source, int position)
    {
        while (position < source.Length && PatternGrammar.IsWordCharacter(source[position]))
        {
            position++;
        }

        return position;
    }

    private static int ScanValueCharacters(string source, int position)
    {
        while (position < source.Length && PatternGrammar.IsValueCharacter(source[position]))
        {
            position++;
        }

        return position;
    }

    /// <summary>The text from <paramref name="input"/> to <paramref name="end"/>; empty means the one-or-more rule failed where it started.</summary>
    private static IResult<string> Token(IInput input, int end, string[] expectations)
    {
        var start = input.Position;
        return end == start
            ? Failure<string>(input, expectations)
            : Result.Success(input.Source.Substring(start, end - start), Skip(input, end - start));
    }

    /// <summary>The failure Sprache's <c>Parse.Char</c> reports at <paramref name="at"/>, with the rule's own expectations.</summary>
    private static IResult<T> Failure<T>(IInput at, string[] expectations) =>
        Result.Failure<T>(
            at,
            at.AtEnd ? "Unexpected end of input reached" : $"unexpected '{at.Current}'",
            expectations);

    private static IInput Skip(IInput input, int count)
    {
        if (input is PatternInput pattern)
        {
            return pattern.Skip(count);
        }

        for (var i = 0; i < count; i++)
        {
            input = input.Advance();
        }

        return input;
    }

    /// <summary>Where an argument's key, value and end are; a failure has the position and expectations instead.</summary>
    private readonly record struct ArgumentScan(int KeyEnd, int ValueStart, int End, string[]? FailedExpectations)
    {
        public bool Failed => FailedExpectations is not null;

        public string[] Expectations => FailedExpectations!;

        public static ArgumentScan Failure(int at, string[] expectations) => new(at, at, at, expectations);

        public ArgumentSyntax ToSyntax(string source, int start) =>
            new(source[start..KeyEnd], source[ValueStart..End], start + 1);
    }
}
