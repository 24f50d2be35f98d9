using System.Text.Json.Serialization;

namespace CdnProxy.Urls.Client.Uploads;

/// <summary>Source-generated serializer of the uploader's wire types.</summary>
[JsonSerializable(typeof(SignedUpload))]
internal sealed partial class UploaderJsonContext : JsonSerializerContext;
