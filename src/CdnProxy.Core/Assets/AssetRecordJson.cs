using System.Text.Json;
using System.Text.Json.Serialization;
using CdnProxy.Core.Origins;
using CdnProxy.Urls.Client.Uploads;

namespace CdnProxy.Core.Assets;

/// <summary>The sidecar format of an <see cref="AssetRecord"/> (camelCase JSON) and the sidecar naming rule.</summary>
public static class AssetRecordJson
{
    /// <summary>A sidecar's name is its file's name plus this suffix; such names are never served or accepted as uploads.</summary>
    public const string SidecarSuffix = UploadFieldRules.ReservedNameSuffix;

    /// <summary>Largest sidecar read back; a bigger one is treated as corrupt.</summary>
    public const int MaxSidecarBytes = 256 * 1024;

    public static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();

    public static string SidecarPath(string filePath) => filePath + SidecarSuffix;

    public static byte[] Serialize(AssetRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, AssetRecordJsonContext.Default.AssetRecord);

    /// <summary>The record in <paramref name="json"/>, or null when it is not one.</summary>
    public static AssetRecord? Deserialize(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, AssetRecordJsonContext.Default.AssetRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Writes <see cref="AssetAccess"/> as Pixelbin's wire names.</summary>
public sealed class AssetAccessJsonConverter : JsonConverter<AssetAccess>
{
    public override AssetAccess Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        AssetAccessNames.Parse(reader.GetString()) ?? throw new JsonException("access must be public-read or private");

    public override void Write(Utf8JsonWriter writer, AssetAccess value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToName());
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(AssetAccessJsonConverter)], DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AssetRecord))]
internal sealed partial class AssetRecordJsonContext : JsonSerializerContext;
