using System.Globalization;
using System.Text.Json.Nodes;
using CdnProxy.Core;

namespace CdnProxy.Server.Jobs.Pixble;

/// <summary>
/// A Pixble <c>POST /job/new</c>, validated before anything is stored: <c>task</c> 9 (Pixble Magic) with
/// <c>clarify_image</c> 0/1 (default 1), <c>adv_illumin</c> 0–5 (default 1.3), <c>color_correction</c> 0/1 (default 1),
/// <c>data</c> (<see cref="PixbleData"/>: base64, optionally a data URI; an image of an accepted format, at most <c>Jobs:MaxInputBytes</c>) and
/// the optional <c>webhook</c> (ours: Pixble sets it per account). The job keeps these with the stored input
/// (<see cref="Input"/>: the image is stored before the job, so the job's row stays small) and the CDN address links
/// start with.
/// </summary>
public sealed record PixbleJobRequest(bool ClarifyImage, double AdvIllumin, bool ColorCorrection, string? Webhook, string BaseUrl, PixbleStoredFile? Input = null)
{
    /// <summary>The one task this server runs: Pixble Magic.</summary>
    public const int MagicTask = 9;

    public const double DefaultAdvIllumin = 1.3;

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal)
    {
        "key", "task", "data", "clarify_image", "adv_illumin", "color_correction", "webhook",
    };

    /// <summary>Task 9 as a catalogue pattern (docs/operations.md): rendered like any URL's.</summary>
    public string Pattern => string.Create(
        CultureInfo.InvariantCulture,
        $"enhance.magic(ci:{(ClarifyImage ? 1 : 0)},ai:{AdvIllumin.ToString("0.######", CultureInfo.InvariantCulture)},cc:{(ColorCorrection ? 1 : 0)})");

    /// <summary>
    /// Checks every field (unknown ones included: a typo is a 400, not a silent default) and the image: valid base64,
    /// 1 byte to <c>MaxInputBytes</c>, and sniffed as a format uploads accept by <paramref name="ensureImage"/>.
    /// Returns the request and the decoded image.
    /// </summary>
    public static (PixbleJobRequest Request, byte[] Image) Parse(PixbleForm form, JobsOptions options, string baseUrl, Action<ReadOnlySpan<byte>> ensureImage)
    {
        ArgumentNullException.ThrowIfNull(form);
        var fields = form.Fields;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ensureImage);
        if (fields.Keys.FirstOrDefault(name => !Fields.Contains(name)) is { } unknown)
        {
            throw CdnException.InvalidArgument($"unknown field '{unknown}' (Pixble's fields: task, key, data, clarify_image, adv_illumin, color_correction; and webhook)");
        }

        var task = fields.GetValueOrDefault("task") ?? throw CdnException.InvalidArgument("task is required (9: Pixble Magic)");
        if (!int.TryParse(task.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number != MagicTask)
        {
            throw CdnException.InvalidArgument($"task '{Clip(task)}' is not a task of this server: the only one is 9 (Pixble Magic)");
        }

        var clarify = Flag(fields, "clarify_image");
        var colour = Flag(fields, "color_correction");
        var illumination = DefaultAdvIllumin;
        if (fields.GetValueOrDefault("adv_illumin") is { } text
            && (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out illumination) || !double.IsFinite(illumination) || illumination is < 0 or > 5))
        {
            throw CdnException.InvalidArgument($"adv_illumin must be a number from 0 to 5 (default {DefaultAdvIllumin.ToString(CultureInfo.InvariantCulture)}), not '{Clip(text)}'");
        }

        var webhook = JobCallback.Parse(fields.GetValueOrDefault("webhook")?.Trim(), "webhook", options);
        var image = (form.Data ?? throw PixbleData.Required()).Image(options.MaxInputBytes);
        ensureImage(image.AsSpan(0, Math.Min(image.Length, 64)));
        return (new PixbleJobRequest(clarify, illumination, colour, webhook, baseUrl), image);
    }

    public string Write()
    {
        var json = new JsonObject
        {
            ["task"] = MagicTask,
            ["clarify_image"] = ClarifyImage ? 1 : 0,
            ["adv_illumin"] = AdvIllumin,
            ["color_correction"] = ColorCorrection ? 1 : 0,
            ["webhook"] = Webhook,
            ["base"] = BaseUrl,
        };
        if (Input is not null)
        {
            json["input"] = Input.ToJson();
        }

        return json.ToJsonString();
    }

    public static PixbleJobRequest Read(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        return new PixbleJobRequest(
            (int)node["clarify_image"]! == 1,
            (double)node["adv_illumin"]!,
            (int)node["color_correction"]! == 1,
            (string?)node["webhook"],
            (string)node["base"]!,
            PixbleStoredFile.FromJson(node["input"]));
    }

    /// <summary>Pixble's booleans are 1 and 0; true/false are taken too (JSON clients send them).</summary>
    private static bool Flag(IReadOnlyDictionary<string, string> fields, string name) => fields.GetValueOrDefault(name)?.Trim() switch
    {
        null => true,
        "1" or "true" => true,
        "0" or "false" => false,
        var other => throw CdnException.InvalidArgument($"{name} must be 1 or 0 (default 1), not '{Clip(other)}'"),
    };

    private static string Clip(string text) => text.Length <= 20 ? text : text[..20] + "…";
}
