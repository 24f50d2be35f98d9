using System.Collections.Concurrent;
using CdnProxy.Core;
using CdnProxy.Core.Origins;

namespace CdnProxy.Tests.Common;

/// <summary>An in-memory origin for unit tests of the pipeline; counts fetches.</summary>
public sealed class FakeOriginStore : IOriginStore, ICloudCatalog
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AssetAccess> _access = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _fetchedPaths = new();
    private int _fetches;

    public FakeOriginStore(string cloud = "demo")
    {
        Cloud = cloud;
    }

    public string Cloud { get; }

    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>Every path asked for, in order, found or not.</summary>
    public IReadOnlyList<string> FetchedPaths => [.. _fetchedPaths];

    private TaskCompletionSource? _held;
    private bool _holdAnswers;
    private TaskCompletionSource _fetchStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a fetch starts (after <see cref="Hold"/>, the first held fetch).</summary>
    public Task FetchStarted => _fetchStarted.Task;

    /// <summary>When set, every fetch fails with this kind (e.g. <see cref="CdnErrorKind.OriginFailed"/>), as an origin outage.</summary>
    public CdnErrorKind? Failure { get; set; }

    /// <summary>The <c>Retry-After</c> a <see cref="Failure"/> carries (as an origin's 429 or 503 would).</summary>
    public TimeSpan? FailureRetryAfter { get; set; }

    /// <summary>
    /// Makes every fetch wait until the returned handle is disposed, so a test can act while a render is fetching
    /// (without sleeping on the real clock). With <paramref name="answers"/>, a fetch looks the file up first and holds
    /// its answer: the file may then be added meanwhile (an upload just after the origin answered "not found").
    /// </summary>
    public IDisposable Hold(bool answers = false)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fetchStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _holdAnswers = answers;
        _held = held;
        return new Release(() =>
        {
            _held = null;
            _holdAnswers = false;
            held.TrySetResult();
        });
    }

    public FakeOriginStore Add(string path, byte[] content, AssetAccess access = AssetAccess.PublicRead)
    {
        _files[path] = content;
        _access[path] = access;
        return this;
    }

    public async Task<OriginObject?> FetchAsync(string filePath, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        _fetchedPaths.Enqueue(filePath);
        var holdsAnswer = _holdAnswers;
        var answer = holdsAnswer ? Answer(filePath) : null;
        _fetchStarted.TrySetResult();
        if (_held is { } held)
        {
            await held.Task.WaitAsync(cancellationToken);
        }

        if (Failure is { } kind)
        {
            throw new CdnException(kind, "The origin failed") { RetryAfter = FailureRetryAfter };
        }

        return holdsAnswer ? answer : Answer(filePath);
    }

    private OriginObject? Answer(string filePath) =>
        _files.TryGetValue(filePath, out var bytes)
            ? new OriginObject(bytes, null) { Access = _access.GetValueOrDefault(filePath) }
            : null;

    public CloudBinding? Find(string cloud) =>
        cloud == Cloud ? new CloudBinding(cloud, this, RequireSignedUrls: false, new Dictionary<string, ZoneBinding>()) : null;

    public string? CloudForHost(string host) => null;

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
