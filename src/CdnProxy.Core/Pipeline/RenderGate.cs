using System.Collections.Concurrent;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// Runs CPU-bound renders on its own threads, never on the .NET thread pool (where they would starve the cache
/// hits and the I/O of every other request): a fixed number of workers, a bounded queue, and a bounded wait in it.
/// A render that cannot be queued, or waits longer than allowed, is refused with <see cref="CdnErrorKind.Overloaded"/>.
/// </summary>
public sealed class RenderGate : IDisposable
{
    private readonly BlockingCollection<WorkItem> _queue = new(new ConcurrentQueue<WorkItem>());
    private readonly Thread[] _threads;
    private readonly int _capacity;
    private readonly TimeSpan _maxQueueWait;
    private readonly TimeProvider _time;
    private readonly Action<int>? _runningChanged;
    private int _admitted;
    private int _running;

    /// <param name="options">Workers and queue bounds.</param>
    /// <param name="time">Times the queue wait.</param>
    /// <param name="runningChanged">Told the number of renders running whenever one starts or ends.</param>
    public RenderGate(RenderGateOptions options, TimeProvider? time = null, Action<int>? runningChanged = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        _runningChanged = runningChanged;
        Workers = options.Workers > 0 ? options.Workers : 2 * Environment.ProcessorCount;
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

    /// <summary>Renders running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Renders waiting for a worker now.</summary>
    public int Queued => Math.Max(0, Volatile.Read(ref _admitted) - Running);

    /// <summary>
    /// Runs <paramref name="render"/> on a render thread once one is free. Throws <see cref="CdnErrorKind.Overloaded"/>
    /// when the queue is full, or when no worker took it within the queue wait.
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> render, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(render);
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            throw Busy();
        }

        var item = new WorkItem<T>(render, this);
        item.Arm(_time, _maxQueueWait, cancellationToken);
        _queue.Add(item, CancellationToken.None);
        return item.Task;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }

        _queue.Dispose();
    }

    private static CdnException Busy() => new(CdnErrorKind.Overloaded, "The server is busy; try again shortly");

    private void Work()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            if (!item.TryStart())
            {
                continue; // timed out or cancelled while queued: already answered
            }

            var running = Interlocked.Increment(ref _running);
            _runningChanged?.Invoke(running);
            try
            {
                item.Run();
            }
            finally
            {
                running = Interlocked.Decrement(ref _running);
                _runningChanged?.Invoke(running);
                Interlocked.Decrement(ref _admitted);
            }
        }
    }

    private abstract class WorkItem
    {
        private const int Waiting = 0, Started = 1, Abandoned = 2;
        private int _state;

        protected WorkItem(RenderGate gate) => Gate = gate;

        protected RenderGate Gate { get; }

        /// <summary>True when this worker may run it (it was neither timed out nor cancelled while queued).</summary>
        public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Waiting) == Waiting;

        public abstract void Run();

        /// <summary>Answers a queued item without running it; false when a worker already took it.</summary>
        protected bool TryAbandon()
        {
            if (Interlocked.CompareExchange(ref _state, Abandoned, Waiting) != Waiting)
            {
                return false;
            }

            Interlocked.Decrement(ref Gate._admitted);
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
                _timeout = time.CreateTimer(_ => Abandon(Busy()), null, maxWait, Timeout.InfiniteTimeSpan);
            }

            if (cancellationToken.CanBeCanceled)
            {
                _cancellation = cancellationToken.Register(() => Abandon(new OperationCanceledException(cancellationToken)));
            }
        }

        public override void Run()
        {
            Disarm();
            try
            {
                _completion.TrySetResult(render());
            }
#pragma warning disable CA1031 // Every failure belongs to the awaiting request, never to the render thread.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _completion.TrySetException(e);
            }
        }

        private void Abandon(Exception reason)
        {
            if (TryAbandon())
            {
                Disarm();
                _completion.TrySetException(reason);
            }
        }

        private void Disarm()
        {
            _timeout?.Dispose();
            _cancellation.Dispose();
        }
    }
}
