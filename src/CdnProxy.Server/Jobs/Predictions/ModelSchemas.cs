using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Server.Jobs.Predictions;

/// <summary>
/// Between a model's JSON fields and the catalogue: JSON schemas made from the binders' own argument descriptions
/// (<see cref="TransformationCatalog.Describe"/>), JSON values turned into argument text, and calls bound by the
/// catalogue into their canonical step.
/// </summary>
public static class ModelSchemas
{
    /// <summary>The arguments of <paramref name="operation"/> as its binder reads them.</summary>
    public static IReadOnlyList<ArgumentDescription> Describe(TransformationCatalog catalog, string operation)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Describe().FirstOrDefault(o => o.Name == operation)?.Arguments
            ?? throw new InvalidOperationException($"The catalogue has no operation {operation}");
    }

    /// <summary>Binds one call (typed, range-checked, no unknown keys) and returns its canonical text.</summary>
    public static string Bind(TransformationCatalog catalog, string operation, IReadOnlyList<ArgumentSyntax> arguments)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(operation);
        var dot = operation.IndexOf('.', StringComparison.Ordinal);
        return catalog.Bind(new TransformationCall(operation[..dot], operation[(dot + 1)..], arguments, 1)).Canonical;
    }

    /// <summary>
    /// A JSON value as argument text: strings as they are (the binder checks them), numbers in invariant form, and
    /// booleans as <c>true</c>/<c>false</c> for boolean arguments or <c>1</c>/<c>0</c> for 0/1 integers (Pixble's flags).
    /// </summary>
    public static string ArgumentText(string field, JsonNode value, ArgumentKind kind)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.GetValueKind() switch
        {
            // Form fields are text: a flag sent as "true"/"false" (as the seed SDKs send booleans) still means 1/0.
            JsonValueKind.String when kind == ArgumentKind.Whole && value.GetValue<string>() is "true" or "false" => value.GetValue<string>() == "true" ? "1" : "0",
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
            JsonValueKind.True => kind == ArgumentKind.Boolean ? "true" : "1",
            JsonValueKind.False => kind == ArgumentKind.Boolean ? "false" : "0",
            _ => throw CdnException.InvalidArgument($"input.{field} must be a string, a number or a boolean"),
        };
    }

    /// <summary>The JSON schema of one argument, from its binder's description.</summary>
    public static JsonObject Of(ArgumentDescription argument, IReadOnlyList<string>? allowed = null, string? defaultOverride = null)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var fallback = defaultOverride ?? argument.Default;
        var schema = argument.Kind switch
        {
            ArgumentKind.Whole => Numeric("integer", argument),
            ArgumentKind.Number => Numeric("number", argument),
            ArgumentKind.Boolean => new JsonObject { ["type"] = "boolean" },
            ArgumentKind.Choice => new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray([.. (allowed ?? argument.Choices ?? []).Select(c => JsonValue.Create(c))]),
            },
            ArgumentKind.Colour => new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$" },
            ArgumentKind.Quality => new JsonObject
            {
                ["oneOf"] = new JsonArray(
                    Numeric("integer", argument),
                    new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. (argument.Words?.Keys ?? []).Select(w => JsonValue.Create(w))]) }),
            },
            _ => new JsonObject { ["type"] = "string" },
        };
        if (fallback is not null)
        {
            schema["default"] = argument.Kind switch
            {
                ArgumentKind.Whole or ArgumentKind.Quality when long.TryParse(fallback, CultureInfo.InvariantCulture, out var whole) => whole,
                ArgumentKind.Number when double.TryParse(fallback, CultureInfo.InvariantCulture, out var number) => number,
                ArgumentKind.Boolean => fallback == "true",
                _ => fallback,
            };
        }

        schema["x-argument"] = argument.Key;
        return schema;
    }

    private static JsonObject Numeric(string type, ArgumentDescription argument)
    {
        var schema = new JsonObject { ["type"] = type };
        if (argument.Min is { } min)
        {
            schema["minimum"] = min;
        }

        if (argument.Max is { } max)
        {
            schema["maximum"] = max;
        }

        return schema;
    }
}
