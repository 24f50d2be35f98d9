using System.Collections.Concurrent;
using CdnProxy.Urls;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Planning;

/// <summary>
/// A bounded, thread-safe map from pattern text to its bound <see cref="RenderPlan"/>, so a hot URL skips parsing and
/// binding. <see cref="GetOrBind"/> gives the same plans and throws the same <see cref="CdnException"/>s as
/// <see cref="Parse"/> followed by <see cref="RenderPlanBinder.Bind"/>.
/// </summary>
/// <remarks>
/// <para><b>Eviction</b> is approximately LRU with two generations: entries are added to the current generation; a
/// hit in the older generation copies the entry into the current one; when the current generation holds half the
/// capacity it becomes the older one and the previous older one is dropped whole. Every operation is O(1), a hit
/// takes no lock, and the lock is taken only to swap generations (once per <c>capacity / 2</c> additions). Under
/// concurrent misses a few entries more than the capacity may be held for a moment (at most one per thread racing a
/// swap).</para>
/// <para><b>Failures are cached too</b>, so a hot bad URL stays as cheap as a hot good one: the kind, public message,
/// column and inner exception of the <see cref="CdnException"/> are kept and a fresh, equivalent exception is thrown
/// on every hit (an exception instance is never thrown twice). Failures live in their own, smaller map
/// (<c>capacity / 8</c>, at least 2 entries), so a flood of distinct bad patterns cannot evict the good plans.
/// Patterns longer than <see cref="PatternLimits.MaxLength"/> are rejected before parsing and never cached, so every
/// key is at most that long. Exceptions other than <see cref="CdnException"/> (bugs) are not cached.</para>
/// <para>Cached plans are shared between requests; <see cref="RenderPlan"/> and the bound transformations are
/// immutable.</para>
/// </remarks>
public sealed class RenderPlanCache
{
    /// <summary>A sensible default: ten thousand distinct patterns.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly RenderPlanBinder _binder;
    private readonly PatternLimits _limits;
    private readonly Func<PatternSyntax, PatternSyntax>? _expand;
    private readonly GenerationalMap<RenderPlan> _plans;
    private readonly GenerationalMap<Failure> _failures;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="binder">Binds parsed patterns to plans.</param>
    /// <param name="limits">The pattern limits checked before parsing (the pipeline options' pattern limits).</param>
    /// <param name="capacity">The most successful bindings kept; at least 2.</param>
    public RenderPlanCache(RenderPlanBinder binder, PatternLimits limits, int capacity = DefaultCapacity)
        : this(binder, limits, expand: null, capacity)
    {
    }

    /// <summary>A cache that also runs <paramref name="expand"/> (preset expansion) between parsing and binding.</summary>
    /// <param name="binder">Binds parsed patterns.</param>
    /// <param name="limits">Pattern limits checked before parsing.</param>
    /// <param name="expand">Rewrites the syntax tree before binding (throws <see cref="CdnException"/>), or null.</param>
    /// <param name="capacity">Entries kept.</param>
    public RenderPlanCache(RenderPlanBinder binder, PatternLimits limits, Func<PatternSyntax, PatternSyntax>? expand, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(binder);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _binder = binder;
        _limits = limits;
        _expand = expand;
        Capacity = capacity;
        _plans = new GenerationalMap<RenderPlan>(capacity);
        _failures = new GenerationalMap<Failure>(Math.Max(2, capacity / 8));
    }

    /// <summary>The most successful bindings kept (see the remarks for the small overshoot under races).</summary>
    public int Capacity { get; }

    /// <summary>Entries held now, plans and failures together; an entry promoted from the older generation counts twice until that generation is dropped.</summary>
    public int Count => _plans.Count + _failures.Count;

    /// <summary>
    /// Parses a pattern segment and maps a grammar failure to <see cref="CdnErrorKind.PatternSyntax"/> with its column,
    /// exactly as the pipeline does. An over-long pattern is a bad request like any other syntax problem.
    /// </summary>
    /// <param name="patternText">The percent-decoded pattern segment.</param>
    /// <param name="limits">The length and call-count limits checked before parsing.</param>
    /// <returns>The syntax tree.</returns>
    /// <exception cref="CdnException">With <see cref="CdnErrorKind.PatternSyntax"/> when the pattern is invalid.</exception>
    public static PatternSyntax Parse(string patternText, PatternLimits limits)
    {
        if (PatternGrammar.TryParse(patternText, limits, out var syntax, out var error))
        {
            return syntax;
        }

        throw SyntaxException(error);
    }

    /// <summary>The bound plan for <paramref name="patternText"/>, from the cache when it has been seen recently.</summary>
    /// <param name="patternText">The percent-decoded pattern segment (<c>CdnUrl.PatternText</c>).</param>
    /// <returns>The plan; the same instance for every hit.</returns>
    /// <exception cref="CdnException">
    /// <see cref="CdnErrorKind.PatternSyntax"/> (with the column) for grammar and limit failures, or the binder's kind
    /// (<see cref="CdnErrorKind.UnknownTransformation"/>, <see cref="CdnErrorKind.InvalidArgument"/>, ...).
    /// </exception>
    public RenderPlan GetOrBind(string patternText)
    {
        ArgumentNullException.ThrowIfNull(patternText);
        if (_plans.TryGet(patternText, out var plan))
        {
            return plan;
        }

        if (_failures.TryGet(patternText, out var failure))
        {
            throw failure.Recreate();
        }

        return BindAndStore(patternText);
    }

    private PatternSyntax Expand(PatternSyntax syntax) => _expand is null ? syntax : _expand(syntax);

    private static CdnException SyntaxException(CdnUrlException error) =>
        new(CdnErrorKind.PatternSyntax, error.Message, error, error.Column);

    private RenderPlan BindAndStore(string patternText)
    {
        if (patternText.Length > _limits.MaxLength)
        {
            // Never cached: the key would be as long as the hostile input.
            return _binder.Bind(Expand(Parse(patternText, _limits)));
        }

        RenderPlan plan;
        if (!PatternGrammar.TryParse(patternText, _limits, out var syntax, out var error))
        {
            var exception = SyntaxException(error);
            _failures.Add(patternText, Failure.Of(exception));
            throw exception;
        }

        try
        {
            plan = _binder.Bind(Expand(syntax));
        }
        catch (CdnException e)
        {
            _failures.Add(patternText, Failure.Of(e));
            throw;
        }

        return _plans.Add(patternText, plan);
    }

    private sealed record Failure(CdnErrorKind Kind, string Message, Exception? Inner, int? Column)
    {
        public static Failure Of(CdnException e) => new(e.Kind, e.Message, e.InnerException, e.Column);

        public CdnException Recreate() => new(Kind, Message, Inner, Column);
    }

    /// <summary>Two-generation bounded map; see the remarks of <see cref="RenderPlanCache"/>.</summary>
    private sealed class GenerationalMap<T>
        where T : class
    {
        private readonly int _generationSize;
        private readonly Lock _swap = new();
        private volatile Generation _current = new();
        private volatile Generation _older = new();

        public GenerationalMap(int capacity)
        {
            _generationSize = Math.Max(1, capacity / 2);
        }

        public int Count => _current.Count + _older.Count;

        public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value)
        {
            var current = _current;
            if (current.Map.TryGetValue(key, out value))
            {
                return true;
            }

            if (_older.Map.TryGetValue(key, out value))
            {
                // Still in use: keep it past the next swap.
                value = Add(key, value);
                return true;
            }

            return false;
        }

        /// <summary>Adds <paramref name="value"/> unless another thread won; returns the stored value.</summary>
        public T Add(string key, T value)
        {
            var current = _current;
            if (!current.Map.TryAdd(key, value))
            {
                return current.Map.TryGetValue(key, out var existing) ? existing : value;
            }

            if (Interlocked.Increment(ref current.Added) >= _generationSize)
            {
                Swap(current);
            }

            return value;
        }

        private void Swap(Generation full)
        {
            lock (_swap)
            {
                if (_current != full)
                {
                    return; // another thread swapped already
                }

                _older = full;
                _current = new Generation();
            }
        }

        private sealed class Generation
        {
            public readonly ConcurrentDictionary<string, T> Map = new(StringComparer.Ordinal);

#pragma warning disable CA1051 // Mutated with Interlocked, so it must be a field.
            public int Added;
#pragma warning restore CA1051

            public int Count => Volatile.Read(ref Added);
        }
    }
}
