using System.Text;

namespace CdnProxy.Urls.Workers;

/// <summary>A <c>{name|filter|…}</c> placeholder of a worker template.</summary>
/// <param name="Name">A group name or number, or <c>v</c>/<c>v1</c>…<c>v9</c> in option templates.</param>
/// <param name="Filters">The filters applied in order to a non-empty value.</param>
internal sealed record WorkerPlaceholder(string Name, IReadOnlyList<string> Filters);

/// <summary>Literal text with <c>{name|filter}</c> placeholders; there is no escape for <c>{</c> and <c>}</c>.</summary>
internal sealed class WorkerTemplate
{
    private readonly object[] _parts;

    private WorkerTemplate(object[] parts) => _parts = parts;

    /// <summary>The placeholders, in order.</summary>
    public IEnumerable<WorkerPlaceholder> Placeholders => _parts.OfType<WorkerPlaceholder>();

    /// <summary>True when the template is the empty string.</summary>
    public bool IsEmpty => _parts.Length == 0;

    /// <summary>Reads a template.</summary>
    /// <param name="text">The template text.</param>
    /// <param name="where">Where the template comes from, for the error message.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ArgumentException">An unclosed <c>{</c>, a stray <c>}</c> or an empty placeholder.</exception>
    public static WorkerTemplate Parse(string text, string where)
    {
        var parts = new List<object>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '}')
            {
                throw new ArgumentException($"{where}: '}}' at position {i + 1} closes no placeholder.");
            }

            if (c != '{')
            {
                literal.Append(c);
                continue;
            }

            var close = text.IndexOf('}', i + 1);
            if (close < 0)
            {
                throw new ArgumentException($"{where}: '{{' at position {i + 1} is not closed.");
            }

            var pieces = text[(i + 1)..close].Split('|');
            if (pieces.Any(p => p.Length == 0 || !p.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-')))
            {
                throw new ArgumentException(
                    $"{where}: placeholder '{text[i..(close + 1)]}' must be a name followed by '|filter' names.");
            }

            if (literal.Length > 0)
            {
                parts.Add(literal.ToString());
                literal.Clear();
            }

            parts.Add(new WorkerPlaceholder(pieces[0], pieces[1..]));
            i = close;
        }

        if (literal.Length > 0)
        {
            parts.Add(literal.ToString());
        }

        return new WorkerTemplate([.. parts]);
    }

    /// <summary>Replaces each placeholder with what <paramref name="resolve"/> gives.</summary>
    /// <param name="resolve">The value of a placeholder, filters applied; empty when it has none.</param>
    /// <param name="anyEmpty">True when some placeholder resolved to the empty string.</param>
    /// <returns>The expanded text.</returns>
    public string Expand(Func<WorkerPlaceholder, string> resolve, out bool anyEmpty)
    {
        anyEmpty = false;
        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            if (part is WorkerPlaceholder placeholder)
            {
                var value = resolve(placeholder);
                anyEmpty |= value.Length == 0;
                text.Append(value);
            }
            else
            {
                text.Append((string)part);
            }
        }

        return text.ToString();
    }
}
