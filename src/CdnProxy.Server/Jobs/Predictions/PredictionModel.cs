using CdnProxy.Core.Pipeline;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Transformations;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Server.Jobs.Predictions;

/// <summary>
/// A model of the predictions face: what it is called (<c>plugin_operation</c>, as the seed SDK splits names) and how
/// its input fields become pattern steps. Fields that are operation arguments are described and validated by the
/// catalogue binders themselves, so the schema cannot drift from what a job accepts.
/// </summary>
public abstract class PredictionModel(string name, string displayName, string description)
{
    public string Name { get; } = name;

    public string DisplayName { get; } = displayName;

    public string Description { get; } = description;

    /// <summary>True when the result is an image (stored, its URL in <c>output</c>; <c>format</c> applies), false for JSON.</summary>
    public virtual bool MakesImage => true;

    /// <summary>The fields this model reads besides <c>image</c> and <c>format</c>, each with its JSON schema.</summary>
    public abstract IEnumerable<ModelFieldSchema> Fields(TransformationCatalog catalog);

    /// <summary>
    /// The pattern steps for <paramref name="input"/> (its other fields already checked to be this model's),
    /// bound through the catalogue: a value out of range is a 400 naming the field.
    /// </summary>
    public abstract IReadOnlyList<string> Steps(JsonObject input, TransformationCatalog catalog);
}

/// <summary>One input field of a model with its JSON schema.</summary>
public sealed record ModelFieldSchema(string Name, JsonObject Schema, bool Required);

/// <summary>
/// A field that is one argument of a catalogue operation. <paramref name="Allowed"/> narrows a choice's tokens;
/// <paramref name="Default"/> replaces the binder's default for this model.
/// </summary>
public sealed record ModelField(string Name, string Key, bool Required = false, IReadOnlyList<string>? Allowed = null, string? Default = null);

/// <summary>
/// A model that is one catalogue operation: the given <see cref="ModelField"/>s (or, when none are given, every
/// argument of the operation under its own key) plus fixed arguments.
/// </summary>
public sealed class OperationModel(
    string name, string displayName, string description, string operation, IReadOnlyList<ModelField>? fields = null, IReadOnlyDictionary<string, string>? fixedArguments = null)
    : PredictionModel(name, displayName, description)
{
    public string Operation { get; } = operation;

    public override IEnumerable<ModelFieldSchema> Fields(TransformationCatalog catalog) =>
        ResolvedFields(catalog).Select(f =>
        {
            var schema = ModelSchemas.Of(f.Description, f.Field.Allowed, f.Field.Default);
            if (f.Field.Required)
            {
                // A required field has no default to fall back on.
                schema.Remove("default");
            }

            return new ModelFieldSchema(f.Field.Name, schema, f.Field.Required);
        });

    public override IReadOnlyList<string> Steps(JsonObject input, TransformationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(input);
        var arguments = new List<ArgumentSyntax>();
        foreach (var (key, value) in fixedArguments ?? new Dictionary<string, string>())
        {
            arguments.Add(new ArgumentSyntax(key, value, 1));
        }

        foreach (var (field, description) in ResolvedFields(catalog))
        {
            string? text;
            if (input[field.Name] is { } node)
            {
                text = ModelSchemas.ArgumentText(field.Name, node, description.Kind);
                if (field.Allowed is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
                {
                    throw CdnException.InvalidArgument($"input.{field.Name} must be one of {string.Join(", ", allowed)}");
                }
            }
            else
            {
                text = field.Required ? throw CdnException.InvalidArgument($"input.{field.Name} is required") : field.Default;
            }

            if (text is not null)
            {
                arguments.Add(new ArgumentSyntax(field.Key, text, 1));
            }
        }

        return [ModelSchemas.Bind(catalog, Operation, arguments)];
    }

    private IEnumerable<(ModelField Field, ArgumentDescription Description)> ResolvedFields(TransformationCatalog catalog)
    {
        var described = ModelSchemas.Describe(catalog, Operation);
        return fields is null
            ? described.Select(d => (new ModelField(d.Key, d.Key), d))
            : fields.Select(f => (f, described.FirstOrDefault(d => d.Key == f.Key)
                ?? throw new InvalidOperationException($"{Operation} has no argument '{f.Key}'")));
    }
}

/// <summary>A model whose input carries a whole Pixelbin pattern (bound like a URL's when the job is submitted).</summary>
public sealed class PatternModel(string name, string displayName, string description) : PredictionModel(name, displayName, description)
{
    public const string PatternField = "pattern";

    public override IEnumerable<ModelFieldSchema> Fields(TransformationCatalog catalog) =>
    [
        new ModelFieldSchema(
            PatternField,
            new JsonObject
            {
                ["type"] = "string",
                ["description"] = "A Pixelbin pattern: operations joined by '~', e.g. t.resize(w:300)~t.grey(); presets allowed. The operations and their arguments: GET /api/v1/catalog.",
            },
            Required: true),
    ];

    public override IReadOnlyList<string> Steps(JsonObject input, TransformationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input[PatternField] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } pattern
            ? [pattern]
            : throw CdnException.InvalidArgument($"input.{PatternField} (a Pixelbin pattern) is required");
    }
}

/// <summary>
/// A model that describes the image instead of changing it: the server's image info (Pixelbin's <c>context.meta</c>,
/// EXIF, ICC, dominant colour and palette, BlurHash) as the JSON <c>output</c>, from the same service as
/// <c>GET /api/v1/info</c>; <c>gps</c> adds the EXIF position (the caller holds an API key, as that endpoint's do),
/// <c>faces</c> the face boxes.
/// </summary>
public sealed class InfoModel(string name, string displayName, string description) : PredictionModel(name, displayName, description)
{
    public const string GpsField = "gps";

    public const string FacesField = "faces";

    public override bool MakesImage => false;

    public override IEnumerable<ModelFieldSchema> Fields(TransformationCatalog catalog) =>
    [
        new ModelFieldSchema(GpsField, new JsonObject { ["type"] = "boolean", ["default"] = false, ["description"] = "Include the EXIF GPS position" }, Required: false),
        new ModelFieldSchema(FacesField, new JsonObject { ["type"] = "boolean", ["default"] = false, ["description"] = "Include face boxes" }, Required: false),
    ];

    public override IReadOnlyList<string> Steps(JsonObject input, TransformationCatalog catalog)
    {
        _ = Extras(input);
        return ["original"];
    }

    /// <summary>What the <c>gps</c> and <c>faces</c> fields ask for.</summary>
    public static InfoExtras Extras(JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (IsTrue(input, GpsField) ? InfoExtras.Gps : InfoExtras.None) | (IsTrue(input, FacesField) ? InfoExtras.Faces : InfoExtras.None);
    }

    /// <summary>A boolean field (or the text true/false of a form).</summary>
    private static bool IsTrue(JsonObject input, string field) => input[field] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is "true" or "false" => v.GetValue<string>() == "true",
        _ => throw CdnException.InvalidArgument($"input.{field} must be true or false"),
    };
}
