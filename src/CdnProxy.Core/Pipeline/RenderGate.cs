using CdnProxy.Core.Rendering;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// Runs CPU-bound renders on its own threads, never on the .NET thread pool (where they would starve the cache
/// hits and the I/O of every other request): a fixed number of workers, a bounded queue, and a bounded wait in it.
/// Heavy renders (large estimated memory) take at most <see cref="HeavyWorkers"/> workers at once, so a storm of them
/// never holds every worker: ordinary renders keep flowing beside it. A render that cannot be queued, or waits longer
/// than allowed, is refused with <see cref="CdnErrorKind.Overloaded"/>.
/// Shared fairly between clients (a client key per request, see <see cref="RunAsync{T}"/>): each client's renders
/// wait in a line of their own, the lines served in turn, and when the queue is full a newcomer takes the place of
/// the newest render queued by the client holding the most, so one client sending many distinct URLs slows itself,
/// not everyone else. One client alone may still use every slot.
/// </summary>
public sealed class RenderGate : IDisposable
{
    // A plain object: workers wait on it with Monitor.Wait, which System.Threading.Lock does not offer.
    private readonly object _lock = new();
    private readonly FairQueue<WorkItem> _headerReads = new();
    private readonly FairQueue<WorkItem> _light = new();
    private readonly FairQueue<WorkItem> _heavy = new();
    private readonly Dictionary<string, int> _heldByClient = new(StringComparer.Ordinal);
    private readonly Thread[] _threads;
    private readonly int _capacity;
    private readonly TimeSpan _maxQueueWait;
    private readonly TimeProvider _time;
    private readonly Action<int>? _runningChanged;
    private readonly RenderMemoryBudget _budget;
    private int _admitted;
    private int _running;
    private int _heavyRunning;
    private long _completed;
    private bool _stopping;

    /// <param name="options">Workers and queue bounds.</param>
    /// <param name="time">Times the queue wait.</param>
    /// <param name="runningChanged">Told the number of renders running whenever one starts or ends.</param>
    /// <param name="budget">The memory renders in flight (queued or running) may hold together; none: unlimited.</param>
    public RenderGate(RenderGateOptions options, TimeProvider? time = null, Action<int>? runningChanged = null, RenderMemoryBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _budget = budget ?? new RenderMemoryBudget(0);
        _time = time ?? TimeProvider.System;
        _runningChanged = runningChanged;
        Workers = options.Workers > 0 ? options.Workers : Environment.ProcessorCount + 1;
        HeavyWorkers = Math.Clamp(options.HeavyWorkers > 0 ? options.HeavyWorkers : (Workers + 1) / 2, 1, Workers);
        HeavyRenderBytes = options.HeavyRenderBytes;
        HeavyRenderWork = TimeSpan.FromMilliseconds(options.HeavyRenderMilliseconds > 0 ? options.HeavyRenderMilliseconds : int.MaxValue);
        _capacity = Workers + Math.Max(0, options.QueueLimit);
        _maxQueueWait = options.MaxQueueWait;
        _threads = new Thread[Workers];
        for (var i = 0; i < Workers; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"render-{i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary>Renders running at once.</summary>
    public int Workers { get; }

    /// <summary>Heavy renders running at once, at most.</summary>
    public int HeavyWorkers { get; }

    /// <summary>Renders estimated to hold this many bytes or more are heavy.</summary>
    public long HeavyRenderBytes { get; }

    /// <summary>Renders (and header reads) running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Renders and header reads finished since start-up (done or failed).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Renders waiting for a worker now.</summary>
    public int Queued => Math.Max(0, Volatile.Read(ref _admitted) - Running);

    /// <summary>Renders estimated to take this much CPU or more are heavy.</summary>
    public TimeSpan HeavyRenderWork { get; }

    /// <summary>True when a render estimated to hold <paramref name="memoryBytes"/> or take <paramref name="work"/> counts as heavy.</summary>
    public bool IsHeavy(long memoryBytes, TimeSpan work = default) => memoryBytes >= HeavyRenderBytes || work >= HeavyRenderWork;

    /// <summary>
    /// Runs <paramref name="render"/> on a render thread once one is free, holding <paramref name="memoryBytes"/> of the
    /// memory budget from now until it ends (a heavy render also waits until fewer than <see cref="HeavyWorkers"/>
    /// heavy ones run). Refused at once, without queueing: <see cref="CdnErrorKind.Overloaded"/> when the queue is full
    /// (and no other client holds more of it than <paramref name="client"/> would) or the budget is held by renders in
    /// flight, <see cref="CdnErrorKind.LimitExceeded"/> when the render alone needs more than the whole budget; later,
    /// Overloaded when no worker took it within the queue wait, or when a client holding less took its place.
    /// <paramref name="client"/> is who asked (<see cref="ClientLines"/>); null: the server's own work, one shared line.
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> render, CancellationToken cancellationToken, long memoryBytes = 0, TimeSpan work = default, string? client = null) =>
        Enqueue(render, memoryBytes, work, headerRead: false, client, cancellationToken);

    /// <summary>
    /// Runs <paramref name="read"/>, libvips opening an image without decoding its pixels (the estimate before a
    /// render, an upload's header check), on a render thread: never on the thread pool, whose threads fire every timer
    /// of the process, since some headers cost seconds (an SVG is parsed whole). It goes ahead of the renders queued,
    /// so the render that follows it does not queue twice, but counts as heavy: header reads take at most
    /// <see cref="HeavyWorkers"/> workers, so a flood of slow ones (large SVGs) leaves the others to ordinary renders.
    /// Refused as <see cref="RunAsync{T}"/> is when the queue is full or no worker took it within the queue wait.
    /// </summary>
    public Task<T> RunHeaderReadAsync<T>(Func<T> read, CancellationToken cancellationToken, string? client = null) =>
        Enqueue(read, 0, default, headerRead: true, client, cancellationToken);

    private Task<T> Enqueue<T>(Func<T> render, long memoryBytes, TimeSpan work, bool headerRead, string? client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(render);
        var line = client ?? string.Empty;
        Admit(line);
        IDisposable reservation;
        try
        {
            reservation = ReserveFairly(line, memoryBytes);
        }
        catch (CdnException)
        {
            Leave(line);
            throw;
        }

        var item = new WorkItem<T>(render, this) { Heavy = headerRead || IsHeavy(memoryBytes, work), Reservation = reservation, MemoryBytes = memoryBytes, Client = line };
        item.Arm(_time, _maxQueueWait, cancellationToken);
        lock (_lock)
        {
            (headerRead ? _headerReads : item.Heavy ? _heavy : _light).Enqueue(line, item);
            Monitor.PulseAll(_lock);
        }

        return item.Task;
    }

    /// <summary>Counts a render of <paramref name="client"/> in, making room for it when the queue is full; else refuses it.</summary>
    private void Admit(string client)
    {
        lock (_lock)
        {
            if (_admitted >= _capacity && !TryMakeRoomFor(client))
            {
                throw Busy();
            }

            _admitted++;
            _heldByClient[client] = _heldByClient.GetValueOrDefault(client) + 1;
        }
    }

    /// <summary>
    /// Reserves the render's share of the memory budget; when renders in flight hold too much of it, the newest renders
    /// queued by a client holding at least two more places give theirs up first, as for a place in the queue, but only
    /// when what they hold makes room: a render is never refused for nothing.
    /// </summary>
    private IDisposable ReserveFairly(string client, long memoryBytes)
    {
        while (true)
        {
            try
            {
                return _budget.Reserve(memoryBytes);
            }
            catch (CdnException e) when (e.Kind == CdnErrorKind.Overloaded)
            {
                lock (_lock)
                {
                    if (!TryFreeBudgetFor(client, memoryBytes))
                    {
                        throw;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Refuses the newest render still queued by the client holding the most slots, when that is at least two more than
    /// <paramref name="client"/> holds (so the swap never turns the order round). A client whose places all run has
    /// nothing to give up: the next holding the most, still two more, does. Called under the lock.
    /// </summary>
    private bool TryMakeRoomFor(string client)
    {
        return GreediestFirst(client).Any(TryRefuseNewestOf);
    }

    /// <summary>
    /// Refuses the newest renders queued by the client holding the most, while it keeps at least one place more than
    /// <paramref name="client"/>, when the budget they hold together covers what <paramref name="memoryBytes"/> lacks;
    /// else the next client holding two more. False when none can. Called under the lock.
    /// </summary>
    private bool TryFreeBudgetFor(string client, long memoryBytes)
    {
        var lacking = _budget.InUseBytes + memoryBytes - _budget.LimitBytes;
        if (lacking <= 0)
        {
            return true; // freed meanwhile: try again
        }

        var held = _heldByClient.GetValueOrDefault(client);
        foreach (var greedy in GreediestFirst(client))
        {
            var (places, freed, victims) = (_heldByClient[greedy], 0L, new List<WorkItem>());
            foreach (var queued in _heavy.NewestFirst(greedy).Concat(_light.NewestFirst(greedy)))
            {
                if (freed >= lacking || places < held + 2)
                {
                    break;
                }

                if (queued.MemoryBytes > 0 && queued.IsWaiting)
                {
                    (places, freed) = (places - 1, freed + queued.MemoryBytes);
                    victims.Add(queued);
                }
            }

            if (freed >= lacking)
            {
                // Refused in place: a worker drops them from the queue as it drops a render that timed out there.
                var refused = false;
                foreach (var victim in victims)
                {
                    refused |= victim.TryRefuse();
                }

                return refused;
            }
        }

        return false;
    }

    /// <summary>The clients holding at least two places more than <paramref name="client"/>, the most first. Called under the lock.</summary>
    private string[] GreediestFirst(string client)
    {
        var held = _heldByClient.GetValueOrDefault(client);
        // A copy: refusing a render counts it out of _heldByClient.
        return [.. _heldByClient.Where(other => other.Value >= held + 2).OrderByDescending(other => other.Value).Select(other => other.Key)];
    }

    /// <summary>Refuses the newest render <paramref name="greedy"/> still has queued; false when none is. Called under the lock.</summary>
    private bool TryRefuseNewestOf(string greedy)
    {
        foreach (var queue in (ReadOnlySpan<FairQueue<WorkItem>>)[_heavy, _light, _headerReads])
        {
            while (queue.TryTakeNewest(greedy, out var victim))
            {
                // A render that timed out or was cancelled in the queue has left already; look further.
                if (victim.TryRefuse())
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Counts a render out: it ended, or left the queue without running.</summary>
    private void Leave(string client)
    {
        lock (_lock)
        {
            _admitted--;
            if (_heldByClient[client] is 1)
            {
                _heldByClient.Remove(client);
            }
            else
            {
                _heldByClient[client]--;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.PulseAll(_lock);
        }

        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private static CdnException Busy() => new(CdnErrorKind.Overloaded, "The server is busy; try again shortly");

    private void Work()
    {
        while (Take() is { } item)
        {
            if (!item.TryStart())
            {
                Finish(item); // timed out or cancelled while queued: already answered
                continue;
            }

            var running = Interlocked.Increment(ref _running);
            _runningChanged?.Invoke(running);
            Action answer;
            try
            {
                answer = item.Run();
            }
            finally
            {
                running = Interlocked.Decrement(ref _running);
                Interlocked.Increment(ref _completed);
                Leave(item.Client);
                _runningChanged?.Invoke(running);
                Finish(item);
            }

            // Answered only now: the request's next render (or anyone's) finds this one's budget and slot free.
            answer();
        }
    }

    /// <summary>The next item this worker may run: header reads, then ordinary renders, then heavy ones (header reads and heavy renders while under their shared cap); null to stop.</summary>
    private WorkItem? Take()
    {
        lock (_lock)
        {
            while (!_stopping)
            {
                if (_heavyRunning < HeavyWorkers && _headerReads.TryDequeue(out var headerRead))
                {
                    _heavyRunning++;
                    return headerRead;
                }

                if (_light.TryDequeue(out var light))
                {
                    return light;
                }

                if (_heavyRunning < HeavyWorkers && _heavy.TryDequeue(out var heavy))
                {
                    _heavyRunning++;
                    return heavy;
                }

                Monitor.Wait(_lock);
            }

            return null;
        }
    }

    private void Finish(WorkItem item)
    {
        item.Reservation.Dispose();
        if (!item.Heavy)
        {
            return;
        }

        lock (_lock)
        {
            _heavyRunning--;
            Monitor.PulseAll(_lock);
        }
    }

    private abstract class WorkItem
    {
        private const int Waiting = 0, Started = 1, Abandoned = 2;
        private int _state;

        protected WorkItem(RenderGate gate) => Gate = gate;

        /// <summary>True for a render that counts against <see cref="HeavyWorkers"/>.</summary>
        public bool Heavy { get; init; }

        /// <summary>Its share of the memory budget, returned when it ends or is abandoned.</summary>
        public required IDisposable Reservation { get; init; }

        /// <summary>The size of <see cref="Reservation"/>.</summary>
        public long MemoryBytes { get; init; }

        /// <summary>The line it waits in: its client's key, empty for the server's own work.</summary>
        public required string Client { get; init; }

        protected RenderGate Gate { get; }

        /// <summary>True while it waits in the queue, neither taken by a worker nor answered.</summary>
        public bool IsWaiting => Volatile.Read(ref _state) == Waiting;

        /// <summary>True when this worker may run it (it was neither timed out nor cancelled while queued).</summary>
        public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Waiting) == Waiting;

        /// <summary>Renders; the result answers the waiting request once the gate has returned the render's slot and budget.</summary>
        public abstract Action Run();

        /// <summary>Answers a queued item as refused (another client's render takes its place); false when it had left already.</summary>
        public abstract bool TryRefuse();

        /// <summary>Answers a queued item without running it; false when a worker already took it.</summary>
        protected bool TryAbandon()
        {
            if (Interlocked.CompareExchange(ref _state, Abandoned, Waiting) != Waiting)
            {
                return false;
            }

            Gate.Leave(Client);
            Reservation.Dispose(); // at once: a render that timed out in the queue holds no budget
            return true;
        }
    }

    private sealed class WorkItem<T>(Func<T> render, RenderGate gate) : WorkItem(gate)
    {
        // Continuations never run on the render thread: it goes straight back to rendering.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ITimer? _timeout;
        private CancellationTokenRegistration _cancellation;

        public Task<T> Task => _completion.Task;

        public void Arm(TimeProvider time, TimeSpan maxWait, CancellationToken cancellationToken)
        {
            if (maxWait > TimeSpan.Zero && maxWait != Timeout.InfiniteTimeSpan)
            {
                _timeout = time.CreateTimer(_ => _ = Abandon(Busy()), null, maxWait, Timeout.InfiniteTimeSpan);
            }

            if (cancellationToken.CanBeCanceled)
            {
                _cancellation = cancellationToken.Register(() => _ = Abandon(new OperationCanceledException(cancellationToken)));
            }
        }

        public override Action Run()
        {
            Disarm();
            try
            {
                var result = render();
                return () => _completion.TrySetResult(result);
            }
#pragma warning disable CA1031 // Every failure belongs to the awaiting request, never to the render thread.
            catch (Exception e)
#pragma warning restore CA1031
            {
                return () => _completion.TrySetException(e);
            }
        }

        public override bool TryRefuse() => Abandon(Busy());

        private bool Abandon(Exception reason)
        {
            if (!TryAbandon())
            {
                return false;
            }

            Disarm();
            _completion.TrySetException(reason);
            return true;
        }

        private void Disarm()
        {
            _timeout?.Dispose();
            _cancellation.Dispose();
        }
    }
}
