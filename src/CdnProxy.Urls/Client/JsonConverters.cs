using System.Text.Json;
using System.Text.Json.Serialization;

namespace CdnProxy.Urls.Client;

/// <summary>Writes a DPR as a JSON number or <c>"auto"</c>; reads a number or a string.</summary>
internal sealed class PixelbinDprJsonConverter : JsonConverter<PixelbinDpr?>
{
    public override bool HandleNull => true;

    public override PixelbinDpr? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number => PixelbinDpr.FromNumber(reader.GetDouble()),
        JsonTokenType.String => PixelbinDpr.Parse(reader.GetString()),
        _ => throw new PixelbinUrlException(PixelbinErrorKind.IllegalArgument, PixelbinUrlException.DprMessage),
    };

    public override void Write(Utf8JsonWriter writer, PixelbinDpr? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case { Value: { } number }:
                writer.WriteRawValue(PixelbinFormat.Number(number));
                break;
            default:
                writer.WriteStringValue("auto");
                break;
        }
    }
}

/// <summary>Reads <c>f_auto</c> as a JSON boolean only, failing like the SDK's <c>objToUrl</c> for anything else.</summary>
internal sealed class FAutoJsonConverter : JsonConverter<bool?>
{
    public override bool HandleNull => true;

    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new PixelbinUrlException(PixelbinErrorKind.IllegalArgument, "F_auto value should be boolean"),
    };

    public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options)
    {
        if (value is { } b)
        {
            writer.WriteBooleanValue(b);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
