using System.Text.RegularExpressions;

namespace CdnProxy.Urls.Workers;

/// <summary>
/// Translates a worker path (everything after <c>wrkr/</c>, followed by <c>?</c> and the raw query string when the
/// request has one) into a Pixelbin <c>{pattern}/{filePath}</c> with an ordered list of <see cref="WorkerRule"/>s.
/// </summary>
/// <remarks>
/// The rules are checked when the translator is built. With no rules, <see cref="Translate"/> returns the path
/// unchanged, like Pixelbin's default <c>translate(oldPath)</c>; the path must then already start with a pattern.
/// See <c>docs/worker-urls.md</c>.
/// </remarks>
public sealed class WorkerTranslator
{
    /// <summary>How long one rule's regex may run on one path; the linear-time engine makes this a safety net only.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private readonly CompiledWorkerRule[] _rules;

    /// <summary>Builds a translator from configuration.</summary>
    /// <param name="options">The zone's worker options.</param>
    /// <exception cref="ArgumentException">A rule is invalid; the message names the rule and the problem.</exception>
    public WorkerTranslator(WorkerOptions options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Rules)
    {
    }

    /// <summary>Builds a translator from rules, tried in the given order.</summary>
    /// <param name="rules">The rules; none means pass-through.</param>
    /// <exception cref="ArgumentException">A rule is invalid; the message names the rule and the problem.</exception>
    public WorkerTranslator(IEnumerable<WorkerRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = [.. rules.Select((rule, i) => new CompiledWorkerRule(
            rule ?? throw new ArgumentException($"Worker rule {i + 1} is null.", nameof(rules)),
            i + 1))];
    }

    /// <summary>True when no rules are configured and <see cref="Translate"/> passes paths through unchanged.</summary>
    public bool IsPassThrough => _rules.Length == 0;

    /// <summary>Translates a worker path with the first rule that matches it.</summary>
    /// <param name="workerPath">The path after <c>wrkr/</c>, with <c>?query</c> appended when the request has a query.</param>
    /// <returns>
    /// <c>{pattern}/{filePath}</c>, the pattern being <c>original</c> when nothing translates to a call; with no
    /// rules, <paramref name="workerPath"/> itself.
    /// </returns>
    /// <exception cref="CdnUrlException">
    /// <see cref="UrlErrorCode.MalformedUrl"/>: no rule matches, an option or value is not supported, or the
    /// translated pattern does not follow the grammar. Messages are safe to show to clients.
    /// </exception>
    public string Translate(string workerPath)
    {
        ArgumentNullException.ThrowIfNull(workerPath);
        if (_rules.Length == 0)
        {
            return workerPath;
        }

        foreach (var rule in _rules)
        {
            Match match;
            try
            {
                match = rule.Regex.Match(workerPath);
            }
            catch (RegexMatchTimeoutException)
            {
                throw new CdnUrlException(UrlErrorCode.MalformedUrl, "Worker path took too long to match");
            }

            if (match.Success)
            {
                return rule.Translate(match);
            }
        }

        throw new CdnUrlException(UrlErrorCode.MalformedUrl, "No worker rule matches this path");
    }
}
