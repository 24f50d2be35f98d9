using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Core;

namespace CdnProxy.Server.Jobs.SixPx;

/// <summary>
/// 6px's search on any field of the job as shown, dotted paths included (<c>data.id</c>, <c>processed.bytes</c>):
/// a plain value matches case-insensitively (or any element of an array); <c>{exact}</c> case-sensitively;
/// <c>{ne}</c>/<c>{not}</c> negate; <c>{in}a,b</c>, <c>{nin}a,b</c>, <c>{all}a,b</c>; <c>{gt}{gte}{lt}{lte}</c>
/// compare numbers, else dates, else text; <c>{mod}d,r</c>. Several values for one field must all match, so
/// <c>created={gte}2026-01-01&amp;created={lt}2026-02-01</c> is a date range.
/// </summary>
public static class SixPxSearch
{
    private static readonly string[] Operators = ["gt", "gte", "lt", "lte", "ne", "in", "nin", "all", "not", "exact", "mod"];

    /// <summary>One condition on a field; built (and checked) before the store is read.</summary>
    public sealed record Condition(string Path, string Operator, string Value);

    public static Condition Parse(string path, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.StartsWith('{'))
        {
            return new Condition(path, "eq", value);
        }

        var close = value.IndexOf('}', StringComparison.Ordinal);
        var op = close > 0 ? value[1..close] : string.Empty;
        if (!Operators.Contains(op))
        {
            throw CdnException.InvalidArgument($"unknown search operator in '{path}': use one of {{{string.Join("}{", Operators)}}}");
        }

        var operand = value[(close + 1)..];
        if (op == "mod" && (operand.Split(',') is not [var d, var r] || !long.TryParse(d, CultureInfo.InvariantCulture, out var divisor) || divisor == 0
            || !long.TryParse(r, CultureInfo.InvariantCulture, out _)))
        {
            throw CdnException.InvalidArgument($"{{mod}} takes divisor,remainder in '{path}'");
        }

        return new Condition(path, op, operand);
    }

    public static bool Matches(JsonObject job, Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var values = Values(Find(job, condition.Path));
        var list = condition.Value.Split(',');
        return condition.Operator switch
        {
            "eq" => values.Any(v => string.Equals(v, condition.Value, StringComparison.OrdinalIgnoreCase)),
            "exact" => values.Any(v => string.Equals(v, condition.Value, StringComparison.Ordinal)),
            "ne" or "not" => !values.Any(v => string.Equals(v, condition.Value, StringComparison.OrdinalIgnoreCase)),
            "in" => values.Any(v => list.Contains(v, StringComparer.OrdinalIgnoreCase)),
            "nin" => !values.Any(v => list.Contains(v, StringComparer.OrdinalIgnoreCase)),
            "all" => list.All(x => values.Contains(x, StringComparer.OrdinalIgnoreCase)),
            "mod" => values.Any(v => Mod(v, list)),
            _ => values.Any(v => Compare(v, condition.Value) is { } order && condition.Operator switch
            {
                "gt" => order > 0,
                "gte" => order >= 0,
                "lt" => order < 0,
                _ => order <= 0,
            }),
        };
    }

    private static JsonNode? Find(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj ? obj[part] : null;
        }

        return node;
    }

    private static List<string> Values(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array.Select(Scalar).OfType<string>()],
        _ => Scalar(node) is { } one ? [one] : [],
    };

    private static string? Scalar(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
            _ => null,
        }
        : null;

    private static bool Mod(string value, string[] operands) =>
        long.TryParse(value, CultureInfo.InvariantCulture, out var number)
        && number % long.Parse(operands[0], CultureInfo.InvariantCulture) == long.Parse(operands[1], CultureInfo.InvariantCulture);

    private static int? Compare(string value, string operand)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) && double.TryParse(operand, NumberStyles.Float, CultureInfo.InvariantCulture, out var b))
        {
            return a.CompareTo(b);
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var da)
            && DateTimeOffset.TryParse(operand, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var db))
        {
            return da.CompareTo(db);
        }

        return string.CompareOrdinal(value, operand);
    }
}
