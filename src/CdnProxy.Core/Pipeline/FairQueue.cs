using System.Diagnostics.CodeAnalysis;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// Work waiting for a render thread, one line per client, the lines served in turn: a client with many renders queued
/// waits behind its own, not in front of everyone else's, and one client alone is served first in, first out. Not
/// thread-safe: <see cref="RenderGate"/> calls it under its lock.
/// </summary>
internal sealed class FairQueue<T>
    where T : class
{
    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);
    private readonly LinkedList<Line> _turns = new();

    public void Enqueue(string client, T item)
    {
        if (!_lines.TryGetValue(client, out var line))
        {
            line = new Line(client);
            _lines.Add(client, line);
            line.Turn = _turns.AddLast(line);
        }

        line.Items.AddLast(item);
    }

    /// <summary>The first item of the line whose turn it is; that line then goes to the back.</summary>
    public bool TryDequeue([MaybeNullWhen(false)] out T item)
    {
        if (_turns.First is not { } turn)
        {
            item = null;
            return false;
        }

        var line = turn.Value;
        item = line.Items.First!.Value;
        line.Items.RemoveFirst();
        _turns.Remove(turn);
        if (line.Items.Count > 0)
        {
            _turns.AddLast(turn);
        }
        else
        {
            _lines.Remove(line.Client);
        }

        return true;
    }

    /// <summary>Takes the item <paramref name="client"/> queued last out of its line: the one it would wait longest for.</summary>
    public bool TryTakeNewest(string client, [MaybeNullWhen(false)] out T item)
    {
        if (!_lines.TryGetValue(client, out var line))
        {
            item = null;
            return false;
        }

        item = line.Items.Last!.Value;
        line.Items.RemoveLast();
        if (line.Items.Count == 0)
        {
            _lines.Remove(client);
            _turns.Remove(line.Turn!);
        }

        return true;
    }

    /// <summary>The items <paramref name="client"/> has waiting, the one it queued last first.</summary>
    public IEnumerable<T> NewestFirst(string client) =>
        _lines.TryGetValue(client, out var line) ? line.Items.Reverse() : [];

    private sealed class Line(string client)
    {
        public string Client { get; } = client;

        public LinkedList<T> Items { get; } = new();

        public LinkedListNode<Line>? Turn { get; set; }
    }
}
