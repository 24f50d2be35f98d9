using System.Text.Json;
using System.Text.Json.Serialization;

namespace CdnProxy.Core.Assets;

/// <summary>The JSON of <see cref="ImageInfo"/> (camelCase, nulls left out), as cached and as served.</summary>
public static class ImageInfoJson
{
    public static byte[] Serialize(ImageInfo info) => JsonSerializer.SerializeToUtf8Bytes(info, ImageInfoJsonContext.Default.ImageInfo);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImageInfo))]
internal sealed partial class ImageInfoJsonContext : JsonSerializerContext;
