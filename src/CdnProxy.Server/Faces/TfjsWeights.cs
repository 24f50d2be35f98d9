using System.Buffers.Binary;
using System.Text.Json;

namespace CdnProxy.Server.Faces;

/// <summary>One weight tensor: its shape and its values in row-major order (the last axis varies fastest).</summary>
public sealed record WeightTensor(IReadOnlyList<int> Shape, float[] Values);

/// <summary>
/// Reads TensorFlow.js weights: a <c>*-weights_manifest.json</c> naming each tensor (shape, dtype, optional uint8/uint16
/// quantisation with scale and minimum) and the binary files holding them back to back. Anything that does not add
/// up — a truncated or oversized file, an unknown dtype, a non-finite value — is refused with the reason, so a damaged
/// model stops start-up instead of detecting nonsense.
/// </summary>
public static class TfjsWeights
{
    /// <summary>Largest weight file set accepted: the models read here are a few hundred KB.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    public static IReadOnlyDictionary<string, WeightTensor> Load(string manifestPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(manifestPath);
        try
        {
            return Read(manifestPath);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Invalid(manifestPath, "the manifest is not a TensorFlow.js weights manifest", e);
        }
    }

    private static Dictionary<string, WeightTensor> Read(string manifestPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        if (manifest.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(manifestPath, "the manifest is not a list of weight groups");
        }

        var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var group in manifest.RootElement.EnumerateArray())
        {
            var bytes = ReadGroup(manifestPath, folder, group);
            var offset = 0;
            foreach (var entry in group.GetProperty("weights").EnumerateArray())
            {
                var name = entry.GetProperty("name").GetString() ?? throw Invalid(manifestPath, "a weight without a name");
                var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
                var count = shape.Aggregate(1L, (product, dim) => dim < 0 ? -1 : product * dim);
                if (count < 0 || count > MaxBytes)
                {
                    throw Invalid(manifestPath, $"{name} has an invalid shape");
                }

                var values = Decode(manifestPath, name, entry, bytes, ref offset, (int)count);
                if (!tensors.TryAdd(name, new WeightTensor(shape, values)))
                {
                    throw Invalid(manifestPath, $"{name} appears twice");
                }
            }

            if (offset != bytes.Length)
            {
                throw Invalid(manifestPath, $"the weight files hold {bytes.Length} bytes, the manifest describes {offset}");
            }
        }

        return tensors;
    }

    private static byte[] ReadGroup(string manifestPath, string folder, JsonElement group)
    {
        using var bytes = new MemoryStream();
        foreach (var path in group.GetProperty("paths").EnumerateArray())
        {
            var name = path.GetString();
            // Only files beside the manifest: a manifest is data, it must not point anywhere else.
            if (string.IsNullOrEmpty(name) || name != Path.GetFileName(name))
            {
                throw Invalid(manifestPath, $"weight file '{name}' is not a plain file name");
            }

            var file = new FileInfo(Path.Combine(folder, name));
            if (!file.Exists)
            {
                throw Invalid(manifestPath, $"weight file {name} is missing");
            }

            if (bytes.Length + file.Length > MaxBytes)
            {
                throw Invalid(manifestPath, "the weight files are too large");
            }

            using var stream = file.OpenRead();
            stream.CopyTo(bytes);
        }

        return bytes.ToArray();
    }

    private static float[] Decode(string manifestPath, string name, JsonElement entry, byte[] bytes, ref int offset, int count)
    {
        var dtype = entry.GetProperty("dtype").GetString();
        if (dtype != "float32")
        {
            throw Invalid(manifestPath, $"{name}: dtype {dtype} is not supported");
        }

        var values = new float[count];
        if (!entry.TryGetProperty("quantization", out var quantization))
        {
            Take(manifestPath, name, bytes, ref offset, count * 4);
            for (var i = 0; i < count; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset - (count * 4) + (i * 4)));
            }
        }
        else
        {
            var scale = quantization.GetProperty("scale").GetSingle();
            var min = quantization.GetProperty("min").GetSingle();
            switch (quantization.GetProperty("dtype").GetString())
            {
                case "uint8":
                    Take(manifestPath, name, bytes, ref offset, count);
                    for (var i = 0; i < count; i++)
                    {
                        values[i] = (bytes[offset - count + i] * scale) + min;
                    }

                    break;
                case "uint16":
                    Take(manifestPath, name, bytes, ref offset, count * 2);
                    for (var i = 0; i < count; i++)
                    {
                        values[i] = (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset - (count * 2) + (i * 2))) * scale) + min;
                    }

                    break;
                default:
                    throw Invalid(manifestPath, $"{name}: quantisation {quantization.GetProperty("dtype").GetString()} is not supported");
            }
        }

        if (!values.All(float.IsFinite))
        {
            throw Invalid(manifestPath, $"{name} holds values that are not finite");
        }

        return values;
    }

    private static void Take(string manifestPath, string name, byte[] bytes, ref int offset, int length)
    {
        if (bytes.Length - offset < length)
        {
            throw Invalid(manifestPath, $"the weight files end inside {name} (truncated)");
        }

        offset += length;
    }

    private static InvalidDataException Invalid(string manifestPath, string reason, Exception? cause = null) =>
        new($"Model weights {Path.GetFileName(manifestPath)}: {reason}", cause);
}
