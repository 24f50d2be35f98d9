using System.Text.Json.Serialization;

namespace CdnProxy.Core.Transformations;

/// <summary>What an argument holds, as the catalogue names it (one per typed read of <see cref="ArgumentReader"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArgumentKind>))]
public enum ArgumentKind
{
    /// <summary>A whole number in <c>[min, max]</c>.</summary>
    [JsonStringEnumMemberName("integer")]
    Whole,

    /// <summary>A decimal number in <c>[min, max]</c>.</summary>
    [JsonStringEnumMemberName("number")]
    Number,

    /// <summary><c>true</c> or <c>false</c> (also <c>1</c>, <c>0</c>).</summary>
    [JsonStringEnumMemberName("boolean")]
    Boolean,

    /// <summary>One of a list of tokens.</summary>
    [JsonStringEnumMemberName("choice")]
    Choice,

    /// <summary><c>RRGGBB</c> or <c>RRGGBBAA</c>.</summary>
    [JsonStringEnumMemberName("colour")]
    Colour,

    /// <summary>A quality number in <c>[min, 100]</c> or one of its named levels.</summary>
    [JsonStringEnumMemberName("quality")]
    Quality,

    /// <summary><c>top_left_height_width</c>.</summary>
    [JsonStringEnumMemberName("boundingBox")]
    BoundingBox,

    /// <summary><c>[[top_left_height_width]_...]</c>.</summary>
    [JsonStringEnumMemberName("boundingBoxList")]
    BoundingBoxList,

    /// <summary><c>[[[x_y]_[x_y]_[x_y]...]_...]</c>.</summary>
    [JsonStringEnumMemberName("polygonList")]
    PolygonList,

    /// <summary>Base64 of a file path of the same cloud and zone.</summary>
    [JsonStringEnumMemberName("fileId")]
    FileId,

    /// <summary>Base64 of a nested pattern.</summary>
    [JsonStringEnumMemberName("pattern")]
    Pattern,
}
