using System.Text;
using System.Text.RegularExpressions;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Urls.Workers;

/// <summary>A checked <see cref="WorkerRule"/>: compiled regex, parsed templates and option map.</summary>
internal sealed class CompiledWorkerRule
{
    private readonly string _label;
    private readonly WorkerTemplate _pattern;
    private readonly WorkerTemplate _filePath;
    private readonly CompiledOptionList? _options;

    public CompiledWorkerRule(WorkerRule rule, int number)
    {
        _label = rule.Name.Length > 0 ? $"Worker rule {number} ('{rule.Name}')" : $"Worker rule {number}";
        if (string.IsNullOrEmpty(rule.Match))
        {
            throw new ArgumentException($"{_label}: Match is empty.");
        }

        try
        {
            Regex = new Regex(
                "^(?:" + rule.Match + ")$",
                RegexOptions.CultureInvariant | RegexOptions.NonBacktracking,
                WorkerTranslator.MatchTimeout);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"{_label}: Match is not a valid non-backtracking regex: {e.Message}", e);
        }

        var maps = rule.Options is null
            ? new Dictionary<string, IReadOnlyDictionary<string, string>>()
            : rule.Options.Values.ToDictionary(
                m => m.Key,
                m => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(m.Value ?? new Dictionary<string, string>(), StringComparer.Ordinal),
                StringComparer.Ordinal);

        _pattern = GroupTemplate(rule.Pattern ?? "", "Pattern", maps);
        _filePath = GroupTemplate(rule.FilePath ?? "", "FilePath", maps);
        if (_filePath.IsEmpty)
        {
            throw new ArgumentException($"{_label}: FilePath is empty.");
        }

        if (rule.Options is not null)
        {
            CheckGroup(rule.Options.Group, "Options.Group");
            var append = rule.Options.Append.Select((a, i) => GroupTemplate(a, $"Options.Append[{i}]", maps)).ToArray();
            _options = new CompiledOptionList(rule.Options, maps, append, _label);
        }
    }

    /// <summary>The anchored, non-backtracking regex.</summary>
    public Regex Regex { get; }

    /// <summary>Builds <c>{pattern}/{filePath}</c> from a successful match.</summary>
    public string Translate(Match match)
    {
        var calls = new List<string>();
        var prefix = Expand(_pattern, match, out _);
        if (prefix.Length > 0 && prefix != "original")
        {
            calls.Add(prefix);
        }

        if (_options is not null)
        {
            var extra = new List<string>();
            foreach (var template in _options.Append)
            {
                var item = Expand(template, match, out var anyEmpty);
                if (!anyEmpty)
                {
                    extra.Add(item);
                }
            }

            calls.AddRange(_options.Translate(GroupValue(match, _options.Group), extra));
        }

        var pattern = calls.Count == 0 ? "original" : string.Join('~', calls);
        if (!PatternGrammar.TryParse(pattern, out _, out var error))
        {
            throw new CdnUrlException(UrlErrorCode.MalformedUrl, $"Worker path translates to an invalid pattern: {error.Message}");
        }

        var filePath = Expand(_filePath, match, out _);
        if (filePath.Length == 0 || filePath.StartsWith('/'))
        {
            throw new CdnUrlException(UrlErrorCode.MalformedUrl, "Worker path translates to an empty file path");
        }

        return pattern + "/" + filePath;
    }

    private static string GroupValue(Match match, string group)
    {
        var g = int.TryParse(group, out var number) ? match.Groups[number] : match.Groups[group];
        return g.Success ? g.Value : "";
    }

    private string Expand(WorkerTemplate template, Match match, out bool anyEmpty) =>
        template.Expand(p => _options?.Filter(GroupValue(match, p.Name), p, p.Name) ?? Plain(GroupValue(match, p.Name), p), out anyEmpty);

    private static string Plain(string value, WorkerPlaceholder placeholder)
    {
        var empty = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var filter in placeholder.Filters)
        {
            if (value.Length > 0 && !WorkerFilters.TryApply(filter, value, empty, out value))
            {
                throw new CdnUrlException(UrlErrorCode.MalformedUrl, "Worker path has an unsupported value");
            }
        }

        return value;
    }

    private WorkerTemplate GroupTemplate(string text, string what, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> maps)
    {
        var template = WorkerTemplate.Parse(text, $"{_label} {what}");
        foreach (var placeholder in template.Placeholders)
        {
            CheckGroup(placeholder.Name, what);
            CompiledOptionList.CheckFilters(placeholder, maps, $"{_label} {what}");
        }

        return template;
    }

    private void CheckGroup(string group, string what)
    {
        var exists = int.TryParse(group, out var number)
            ? Regex.GetGroupNumbers().Contains(number)
            : Regex.GroupNumberFromName(group) >= 0;
        if (!exists)
        {
            throw new ArgumentException($"{_label} {what}: group '{group}' is not defined by Match.");
        }
    }
}

/// <summary>A checked <see cref="WorkerOptionList"/>.</summary>
internal sealed class CompiledOptionList
{
    private readonly WorkerOptionList _syntax;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _maps;
    private readonly Dictionary<string, CompiledOption> _byKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ignore;
    private readonly string _label;

    public CompiledOptionList(
        WorkerOptionList syntax,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> maps,
        WorkerTemplate[] append,
        string label)
    {
        _syntax = syntax;
        _maps = maps;
        _label = label;
        Append = append;
        _ignore = new HashSet<string>(syntax.Ignore, StringComparer.Ordinal);
        if (string.IsNullOrEmpty(syntax.Separator))
        {
            throw new ArgumentException($"{label} Options.Separator is empty.");
        }

        if (string.IsNullOrEmpty(syntax.KeyValueSeparator))
        {
            throw new ArgumentException($"{label} Options.KeyValueSeparator is empty.");
        }

        for (var i = 0; i < syntax.Map.Count; i++)
        {
            var option = syntax.Map[i] ?? throw new ArgumentException($"{label} Options.Map[{i}] is null.");
            var compiled = new CompiledOption(option, i, this, maps, $"{label} Options.Map[{i}]");
            if (option.Keys.Count == 0)
            {
                throw new ArgumentException($"{label} Options.Map[{i}] has no Keys.");
            }

            foreach (var key in option.Keys)
            {
                if (string.IsNullOrEmpty(key) || !_byKey.TryAdd(key, compiled))
                {
                    throw new ArgumentException($"{label} Options.Map[{i}]: key '{key}' is empty or used twice.");
                }
            }
        }

        foreach (var item in syntax.Defaults)
        {
            var (key, _) = SplitOption(item);
            if (!_byKey.ContainsKey(key))
            {
                throw new ArgumentException($"{label} Options.Defaults: '{item}' has no key in Map.");
            }
        }
    }

    public string Group => _syntax.Group;

    public WorkerTemplate[] Append { get; }

    public static void CheckFilters(WorkerPlaceholder placeholder, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> maps, string where)
    {
        foreach (var filter in placeholder.Filters)
        {
            if (!WorkerFilters.BuiltIn.Contains(filter) && !maps.ContainsKey(filter))
            {
                throw new ArgumentException($"{where}: filter '{filter}' is neither built in nor a map in Options.Values.");
            }
        }
    }

    /// <summary>Applies a placeholder's filters; an empty value stays empty.</summary>
    public string Filter(string value, WorkerPlaceholder placeholder, string key)
    {
        foreach (var filter in placeholder.Filters)
        {
            if (value.Length > 0 && !WorkerFilters.TryApply(filter, value, _maps, out value))
            {
                throw new CdnUrlException(UrlErrorCode.MalformedUrl, $"Unsupported value for worker option '{Safe(key)}'");
            }
        }

        return value;
    }

    /// <summary>Translates the option list into printed calls, step by step.</summary>
    public IEnumerable<string> Translate(string text, List<string> extra)
    {
        var steps = (_syntax.StepSeparator.Length == 0 ? [text] : text.Split(_syntax.StepSeparator))
            .Select(step => step.Split(_syntax.Separator).Where(item => item.Length > 0).ToList())
            .Where(items => items.Count > 0)
            .ToList();
        if (extra.Count > 0)
        {
            if (steps.Count == 0)
            {
                steps.Add([]);
            }

            steps[^1].AddRange(extra);
        }

        foreach (var step in steps)
        {
            var calls = TranslateStep(step);
            if (calls.Length > 0)
            {
                yield return calls;
            }
        }
    }

    private string TranslateStep(List<string> items)
    {
        var produced = new List<(CompiledOption Option, bool Weak, List<CallValue> Calls)>();
        foreach (var item in _syntax.Defaults)
        {
            var (key, value) = SplitOption(item);
            produced.Add((_byKey[key], true, _byKey[key].Produce(key, value)));
        }

        foreach (var item in items)
        {
            var (key, value) = SplitOption(item);
            if (_ignore.Contains(key))
            {
                continue;
            }

            if (!_byKey.TryGetValue(key, out var option))
            {
                if (_syntax.IgnoreUnknown)
                {
                    continue;
                }

                throw new CdnUrlException(UrlErrorCode.MalformedUrl, $"Unsupported worker option '{Safe(key)}'");
            }

            if (_syntax.PercentDecode)
            {
                value = Uri.UnescapeDataString(value.Replace('+', ' '));
            }

            produced.Add((option, option.Modifies, option.Produce(key, value)));
        }

        var created = produced.Where(p => !p.Weak).SelectMany(p => p.Calls).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var merged = new Dictionary<string, MergedCall>(StringComparer.Ordinal);
        foreach (var (option, weak, calls) in produced)
        {
            foreach (var call in calls)
            {
                if (weak && !created.Contains(call.Name))
                {
                    continue;
                }

                if (!merged.TryGetValue(call.Name, out var target))
                {
                    target = new MergedCall(call.Name, option.Index, merged.Count);
                    merged.Add(call.Name, target);
                }

                target.Rank = Math.Min(target.Rank, option.Index);
                for (var i = 0; i < call.Arguments.Count; i++)
                {
                    var (argKey, argValue) = call.Arguments[i];
                    // The value is the last one set; the place is the earliest, so overriding never reorders arguments.
                    var place = (option.Index, i);
                    if (target.Arguments.TryGetValue(argKey, out var earlier) && (earlier.Rank, earlier.Position).CompareTo(place) < 0)
                    {
                        place = (earlier.Rank, earlier.Position);
                    }

                    target.Arguments[argKey] = (argValue, place.Item1, place.Item2);
                }
            }
        }

        var text = new StringBuilder();
        foreach (var call in merged.Values.OrderBy(c => c.Rank).ThenBy(c => c.Sequence))
        {
            if (text.Length > 0)
            {
                text.Append('~');
            }

            text.Append(call.Name).Append('(');
            text.AppendJoin(',', call.Arguments.OrderBy(a => a.Value.Rank).ThenBy(a => a.Value.Position).Select(a => a.Key + ":" + a.Value.Value));
            text.Append(')');
        }

        return text.ToString();
    }

    private (string Key, string Value) SplitOption(string item)
    {
        var at = item.IndexOf(_syntax.KeyValueSeparator, StringComparison.Ordinal);
        return at < 0 ? (item, "") : (item[..at], item[(at + _syntax.KeyValueSeparator.Length)..]);
    }

    internal string[] SplitArguments(string value) =>
        _syntax.ArgumentSeparator.Length == 0 ? [value] : value.Split(_syntax.ArgumentSeparator);

    /// <summary>A vendor key as it may appear in a client-facing message: short and plain, or nothing.</summary>
    internal static string Safe(string key) =>
        key.Length is > 0 and <= 32 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? key : "?";

    private sealed class MergedCall(string name, int rank, int sequence)
    {
        public string Name { get; } = name;

        public int Rank { get; set; } = rank;

        public int Sequence { get; } = sequence;

        public Dictionary<string, (string Value, int Rank, int Position)> Arguments { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>One call produced by one option: <c>t.resize</c> and its argument values.</summary>
internal sealed record CallValue(string Name, IReadOnlyList<(string Key, string Value)> Arguments);

/// <summary>A checked <see cref="WorkerOption"/>: its call templates, parsed.</summary>
internal sealed class CompiledOption
{
    private static readonly HashSet<string> ValueNames = ["v", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"];

    private readonly CompiledOptionList _list;
    private readonly CallTemplate[]? _pattern;
    private readonly Dictionary<string, CallTemplate[]> _cases = new(StringComparer.Ordinal);

    public CompiledOption(
        WorkerOption option,
        int index,
        CompiledOptionList list,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> maps,
        string where)
    {
        Index = index;
        Modifies = option.Modifies;
        _list = list;
        if (!string.IsNullOrEmpty(option.Pattern))
        {
            _pattern = ParseCalls(option.Pattern, where + " Pattern", maps);
        }

        foreach (var (value, pattern) in option.Cases)
        {
            _cases[value] = ParseCalls(pattern ?? "", $"{where} Cases['{value}']", maps);
        }

        if (_pattern is null && _cases.Count == 0)
        {
            throw new ArgumentException($"{where}: needs a Pattern or Cases.");
        }
    }

    public int Index { get; }

    public bool Modifies { get; }

    /// <summary>The calls for one occurrence of the option.</summary>
    public List<CallValue> Produce(string key, string value)
    {
        var arguments = _list.SplitArguments(value);
        var templates = _cases.TryGetValue(value, out var byValue) ? byValue
            : _cases.TryGetValue(arguments[0], out var byFirst) ? byFirst
            : _cases.TryGetValue("*", out var fallback) ? fallback
            : _pattern ?? throw new CdnUrlException(UrlErrorCode.MalformedUrl, $"Unsupported value for worker option '{CompiledOptionList.Safe(key)}'");

        var calls = new List<CallValue>(templates.Length);
        foreach (var template in templates)
        {
            var values = new List<(string, string)>(template.Arguments.Length);
            foreach (var (argKey, argTemplate) in template.Arguments)
            {
                var text = argTemplate.Expand(p => _list.Filter(Lookup(p.Name, value, arguments), p, key), out var anyEmpty);
                if (anyEmpty)
                {
                    continue;
                }

                if (!PatternGrammar.IsValue(text))
                {
                    throw new CdnUrlException(UrlErrorCode.MalformedUrl, $"Unsupported value for worker option '{CompiledOptionList.Safe(key)}'");
                }

                values.Add((argKey, text));
            }

            calls.Add(new CallValue(template.Name, values));
        }

        return calls;
    }

    private static string Lookup(string name, string value, string[] arguments)
    {
        if (name == "v")
        {
            return value;
        }

        var index = name[1] - '1';
        return index < arguments.Length ? arguments[index] : "";
    }

    private static CallTemplate[] ParseCalls(string text, string where, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> maps)
    {
        if (text.Length == 0)
        {
            return [];
        }

        // Placeholders use only '{', '}', '|' and word characters, all valid in argument values, so a template is itself a pattern.
        if (!PatternGrammar.TryParse(text, out var syntax, out var error) || syntax.IsOriginal || syntax.HasPresets)
        {
            throw new ArgumentException($"{where}: '{text}' is not a chain of calls: {error?.Message ?? "'original' and presets are not allowed"}.");
        }

        return [.. syntax.Calls.Select(call => new CallTemplate(
            call.QualifiedName,
            [.. call.Arguments.Select(a => (a.Key, ArgumentTemplate(a.Value, where, maps)))]))];
    }

    private static WorkerTemplate ArgumentTemplate(string text, string where, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> maps)
    {
        var template = WorkerTemplate.Parse(text, where);
        foreach (var placeholder in template.Placeholders)
        {
            if (!ValueNames.Contains(placeholder.Name))
            {
                throw new ArgumentException($"{where}: placeholder '{placeholder.Name}' must be v or v1…v9.");
            }

            CompiledOptionList.CheckFilters(placeholder, maps, where);
        }

        return template;
    }

    private sealed record CallTemplate(string Name, (string Key, WorkerTemplate Value)[] Arguments);
}
