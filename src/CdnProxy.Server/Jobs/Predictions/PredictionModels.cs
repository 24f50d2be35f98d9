using System.Text;
using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Core.Transformations;
using CdnProxy.Server.Http;

namespace CdnProxy.Server.Jobs.Predictions;

/// <summary>
/// The models of the predictions face: the kinds of image work this server really runs, each one image in and one
/// image out (or, for <c>image_info</c>, a JSON description). Every model takes <c>image</c> (an http(s) URL, a data
/// URI or <c>cloud://cloud/path</c>); those that make an image also an optional <c>format</c> (<c>t.toFormat</c>'s
/// <c>f</c>; none keeps the source's format). The list and the schemas are fixed bodies, made once from the catalogue.
/// </summary>
public sealed class PredictionModels
{
    public const string ImageField = "image";
    public const string FormatField = "format";

    private static readonly ModelField Format = new(FormatField, "f");
    private const string FormatOperation = "t.toFormat";

    private readonly TransformationCatalog _catalog;
    private readonly Dictionary<string, PredictionModel> _models;
    private readonly Dictionary<string, FixedBody> _schemas;

    public PredictionModels(TransformationCatalog catalog)
    {
        _catalog = catalog;
        _models = Default.ToDictionary(m => m.Name, StringComparer.Ordinal);
        _schemas = _models.Values.ToDictionary(m => m.Name, m => Body(Schema(m)), StringComparer.Ordinal);
        List = Body(new JsonArray([.. Default.Select(m => new JsonObject
        {
            ["name"] = m.Name,
            ["displayName"] = m.DisplayName,
            ["description"] = m.Description,
        })]));
    }

    /// <summary>What this server runs, in the order listed.</summary>
    public static IReadOnlyList<PredictionModel> Default { get; } =
    [
        new OperationModel(
            "enhance_magic",
            "Magic enhancement",
            "Pixble Magic (enhance.magic): white balance and contrast stretch, illumination and sharpening, each sized from the image's own statistics; a good photo is left nearly as it is.",
            "enhance.magic"),
        new OperationModel(
            "smart_crop",
            "Smart crop",
            "Crops to w x h around what matters (t.resize with f:cover): attention (saliency, the default), entropy (detail), or face (detected faces; attention when none is found).",
            "t.resize",
            [
                new ModelField("w", "w", Required: true),
                new ModelField("h", "h", Required: true),
                new ModelField("p", "p", Allowed: ["attention", "entropy", "face"], Default: "attention"),
            ],
            new Dictionary<string, string> { ["f"] = "cover" }),
        new InfoModel(
            "image_info",
            "Image info",
            "What the image is (JSON output, as GET /api/v1/info): format, size, colour space, EXIF, ICC, dominant colour and palette, BlurHash."),
        new PatternModel(
            "render_pattern",
            "Render a pattern",
            "Renders the image through any Pixelbin pattern of this server's catalogue, exactly as the CDN URL /v2/{cloud}/{pattern}/{file} would."),
    ];

    /// <summary>The model list (<c>GET /api/v1/predictions</c>): name, displayName, description.</summary>
    public FixedBody List { get; }

    public PredictionModel Find(string name) =>
        _models.GetValueOrDefault(name) ?? throw new CdnException(CdnErrorKind.JobNotFound, $"No such model '{Shorten(name)}'; GET /api/v1/predictions lists them");

    /// <summary>A model's schema (<c>GET /api/v1/predictions/{name}/schema</c>); 404 for an unknown model.</summary>
    public FixedBody SchemaBody(string name)
    {
        _ = Find(name);
        return _schemas[name];
    }

    /// <summary>
    /// The pattern of a prediction: the model's steps for <paramref name="input"/>, then the output format when given.
    /// Unknown fields are refused (400), as the binders refuse unknown keys.
    /// </summary>
    public string Pattern(PredictionModel model, JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        var known = model.Fields(_catalog).Select(f => f.Name).Append(ImageField).ToHashSet(StringComparer.Ordinal);
        if (model.MakesImage)
        {
            known.Add(FormatField);
        }

        if (input.Select(p => p.Key).FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw CdnException.InvalidArgument($"input.{Shorten(unknown)} is not a field of {model.Name}; its fields: {string.Join(", ", known.Order(StringComparer.Ordinal))}");
        }

        var steps = model.Steps(input, _catalog).Where(s => s != "original").ToList();
        if (input[FormatField] is { } format)
        {
            var kind = ModelSchemas.Describe(_catalog, FormatOperation).First(a => a.Key == Format.Key).Kind;
            steps.Add(ModelSchemas.Bind(_catalog, FormatOperation, [new(Format.Key, ModelSchemas.ArgumentText(FormatField, format, kind), 1)]));
        }

        return steps.Count == 0 ? "original" : string.Join('~', steps);
    }

    /// <summary>A model's schema: name, displayName, description, its input fields (JSON schemas) and output.</summary>
    private JsonObject Schema(PredictionModel model)
    {
        var fields = new JsonObject
        {
            [ImageField] = new JsonObject
            {
                ["oneOf"] = new JsonArray(
                    new JsonObject { ["type"] = "string", ["format"] = "uri", ["pattern"] = "^https?://", ["description"] = "An image URL (public addresses only)" },
                    new JsonObject { ["type"] = "string", ["pattern"] = "^data:[^,]*;base64,", ["description"] = "A base64 data URI" },
                    new JsonObject { ["type"] = "string", ["pattern"] = "^cloud://", ["description"] = "A file of a configured cloud: cloud://{cloud}/{path}" }),
            },
        };
        var required = new JsonArray(JsonValue.Create(ImageField));
        foreach (var field in model.Fields(_catalog))
        {
            fields[field.Name] = field.Schema;
            if (field.Required)
            {
                required.Add((JsonNode)JsonValue.Create(field.Name));
            }
        }

        if (model.MakesImage)
        {
            var format = ModelSchemas.Of(ModelSchemas.Describe(_catalog, FormatOperation).First(a => a.Key == Format.Key));
            format.Remove("default");
            format["description"] = "The output format; none keeps the source's format";
            fields[FormatField] = format;
        }

        return new JsonObject
        {
            ["name"] = model.Name,
            ["displayName"] = model.DisplayName,
            ["description"] = model.Description,
            ["input"] = fields,
            ["required"] = required,
            ["output"] = model.MakesImage
                ? new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["format"] = "uri" } }
                : new JsonObject { ["type"] = "object", ["description"] = "The image info, as GET /api/v1/info/{cloud}/{path} answers it" },
        };
    }

    private static FixedBody Body(JsonNode json) =>
        new(Encoding.UTF8.GetBytes(json.ToJsonString()), "application/json; charset=utf-8", "public, max-age=3600");

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
