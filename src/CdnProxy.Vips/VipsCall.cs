using System.Runtime.InteropServices;
using CdnProxy.Vips.Native;

namespace CdnProxy.Vips;

/// <summary>
/// One call of a libvips operation through the generic API: <c>vips_operation_new</c>, GValue properties,
/// <c>vips_cache_operation_buildp</c>, then outputs. Disposing always unrefs the outputs and the operation.
/// </summary>
public sealed class VipsCall : IDisposable
{
    // GParamSpec.value_type sits after the type instance pointer, the name pointer and the flags (padded).
    private const int ParamSpecValueTypeOffset = 24;

    private readonly string _operationName;
    private nint _operation;

    private VipsCall(nint operation, string operationName)
    {
        _operation = operation;
        _operationName = operationName;
    }

    /// <summary>Starts a call of the operation <paramref name="operationName"/> (nickname such as <c>resize</c>).</summary>
    public static VipsCall Create(string operationName)
    {
        var operation = LibVips.vips_operation_new(operationName);
        return operation != 0
            ? new VipsCall(operation, operationName)
            : throw VipsException.FromErrorBuffer($"libvips has no operation {operationName}");
    }

    /// <summary>True when the operation has an argument called <paramref name="name"/> (argument names differ between libvips versions).</summary>
    public bool Has(string name)
    {
        if (LibVips.vips_object_get_argument(Operation, name, out _, out _, out _) == 0)
        {
            return true;
        }

        VipsException.TakeErrorBuffer();
        return false;
    }

    public VipsCall Set(string name, VipsImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var value = default(GValue);
        LibGObject.g_value_init(ref value, GTypes.Image);
        LibGObject.g_value_set_object(ref value, image.Pointer);
        return Assign(name, ref value);
    }

    public VipsCall Set(string name, int number)
    {
        var type = ArgumentType(name);
        var value = default(GValue);
        LibGObject.g_value_init(ref value, type);
        switch (LibGObject.g_type_fundamental(type))
        {
            case GTypes.Int: LibGObject.g_value_set_int(ref value, number); break;
            case GTypes.Double: LibGObject.g_value_set_double(ref value, number); break;
            case GTypes.Enum: LibGObject.g_value_set_enum(ref value, number); break;
            case GTypes.Boolean: LibGObject.g_value_set_boolean(ref value, number != 0 ? 1 : 0); break;
            case GTypes.UInt64: LibGObject.g_value_set_uint64(ref value, checked((ulong)number)); break;
            default: return Mismatch(name, ref value, "an integer");
        }

        return Assign(name, ref value);
    }

    public VipsCall Set(string name, double number)
    {
        var type = ArgumentType(name);
        var value = default(GValue);
        LibGObject.g_value_init(ref value, type);
        switch (LibGObject.g_type_fundamental(type))
        {
            case GTypes.Double: LibGObject.g_value_set_double(ref value, number); break;
            case GTypes.Int: LibGObject.g_value_set_int(ref value, (int)Math.Round(number)); break;
            default: return Mismatch(name, ref value, "a number");
        }

        return Assign(name, ref value);
    }

    public VipsCall Set(string name, bool flag)
    {
        var value = default(GValue);
        LibGObject.g_value_init(ref value, GTypes.Boolean);
        LibGObject.g_value_set_boolean(ref value, flag ? 1 : 0);
        return Assign(name, ref value, expectedType: GTypes.Boolean);
    }

    /// <summary>Sets a string argument, or an enum/flags argument by its nick (e.g. <c>lanczos3</c>).</summary>
    public VipsCall Set(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var type = ArgumentType(name);
        var value = default(GValue);
        LibGObject.g_value_init(ref value, type);
        switch (LibGObject.g_type_fundamental(type))
        {
            case GTypes.String:
                LibGObject.g_value_set_string(ref value, text);
                break;
            case GTypes.Enum:
                LibGObject.g_value_set_enum(ref value, FromNick(type, text, isFlags: false));
                break;
            case GTypes.Flags:
                LibGObject.g_value_set_flags(ref value, (uint)FromNick(type, text, isFlags: true));
                break;
            default:
                return Mismatch(name, ref value, "a string or enum");
        }

        return Assign(name, ref value);
    }

    /// <summary>Sets an array-of-double argument, such as a background colour.</summary>
    public unsafe VipsCall Set(string name, ReadOnlySpan<double> numbers)
    {
        var value = default(GValue);
        LibGObject.g_value_init(ref value, GTypes.ArrayDouble);
        fixed (double* data = numbers)
        {
            LibVips.vips_value_set_array_double(ref value, data, numbers.Length);
        }

        return Assign(name, ref value, expectedType: GTypes.ArrayDouble);
    }

    /// <summary>Sets an array-of-images argument (e.g. <c>arrayjoin</c>'s inputs); libvips takes its own references.</summary>
    public unsafe VipsCall Set(string name, IReadOnlyList<VipsImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var pointers = new nint[images.Count];
        for (var i = 0; i < pointers.Length; i++)
        {
            pointers[i] = images[i].Pointer;
        }

        nint array;
        fixed (nint* data = pointers)
        {
            array = LibVips.vips_array_image_new(data, pointers.Length);
        }

        var value = default(GValue);
        LibGObject.g_value_init(ref value, GTypes.ArrayImage);
        LibGObject.g_value_set_boxed(ref value, array); // takes its own reference
        LibVips.vips_area_unref(array);
        return Assign(name, ref value, expectedType: GTypes.ArrayImage);
    }

    /// <summary>Sets a blob argument: the bytes are copied into libvips-owned memory.</summary>
    public unsafe VipsCall SetBuffer(string name, ReadOnlySpan<byte> bytes)
    {
        nint blob;
        fixed (byte* data = bytes)
        {
            blob = LibVips.vips_blob_copy((nint)data, (nuint)bytes.Length);
        }

        if (blob == 0)
        {
            throw VipsException.FromErrorBuffer("vips_blob_copy failed");
        }

        var value = default(GValue);
        LibGObject.g_value_init(ref value, GTypes.Blob);
        LibGObject.g_value_set_boxed(ref value, blob); // takes its own reference
        LibVips.vips_area_unref(blob);
        return Assign(name, ref value, expectedType: GTypes.Blob);
    }

    /// <summary>Sets the argument only when this libvips version has it.</summary>
    public VipsCall SetIfPresent(string name, bool flag) => Has(name) ? Set(name, flag) : this;

    /// <inheritdoc cref="SetIfPresent(string, bool)"/>
    public VipsCall SetIfPresent(string name, string text) => Has(name) ? Set(name, text) : this;

    /// <inheritdoc cref="SetIfPresent(string, bool)"/>
    public VipsCall SetIfPresent(string name, int number) => Has(name) ? Set(name, number) : this;

    /// <inheritdoc cref="SetIfPresent(string, bool)"/>
    public VipsCall SetIfPresent(string name, double number) => Has(name) ? Set(name, number) : this;

    /// <summary>Builds (runs) the operation. On failure the error buffer becomes a <see cref="VipsException"/>.</summary>
    public VipsCall Invoke()
    {
        var operation = Operation;
        if (LibVips.vips_cache_operation_buildp(ref operation) != 0)
        {
            var error = VipsException.FromErrorBuffer($"{_operationName} failed");
            Release();
            throw error;
        }

        // buildp may hand back a different (cached) operation; it moved our reference onto it.
        _operation = operation;
        return this;
    }

    /// <summary>An output image; the caller owns the returned reference.</summary>
    public VipsImage GetImage(string name)
    {
        var image = ReadOutput(name, GTypes.Image, static (ref GValue value) => LibGObject.g_value_dup_object(ref value));
        return image != 0 ? new VipsImage(image) : throw new VipsException($"{_operationName} produced no {name}");
    }

    public int GetInt(string name) =>
        ReadOutput(name, GTypes.Int, static (ref GValue value) => LibGObject.g_value_get_int(ref value));

    public double GetDouble(string name) =>
        ReadOutput(name, GTypes.Double, static (ref GValue value) => LibGObject.g_value_get_double(ref value));

    /// <summary>An output array of doubles (e.g. <c>getpoint</c>'s pixel values).</summary>
    public double[] GetDoubles(string name) => ReadOutput(name, GTypes.ArrayDouble, static (ref GValue value) =>
    {
        var array = LibGObject.g_value_get_boxed(ref value);
        if (array == 0)
        {
            return [];
        }

        var data = LibVips.vips_array_double_get(array, out var count);
        var result = new double[count];
        Marshal.Copy(data, result, 0, count);
        return result;
    });

    /// <summary>An output blob (a saver's buffer), copied into managed memory.</summary>
    public byte[] GetBlob(string name) => GetBlob(name, static blob => blob.ToArray());

    /// <summary>
    /// An output blob handed to <paramref name="copy"/> while it is still in libvips' memory, so a caller that edits
    /// the bytes (e.g. inserts a header) makes one managed copy instead of two.
    /// </summary>
    public byte[] GetBlob(string name, BlobCopier copy)
    {
        ArgumentNullException.ThrowIfNull(copy);
        var bytes = ReadOutput(name, GTypes.Blob, (ref GValue value) =>
        {
            var blob = LibGObject.g_value_get_boxed(ref value);
            if (blob == 0)
            {
                return null;
            }

            var data = LibVips.vips_blob_get(blob, out var length);
            unsafe
            {
                return copy(new ReadOnlySpan<byte>((void*)data, checked((int)length)));
            }
        });
        return bytes ?? throw new VipsException($"{_operationName} produced no {name}");
    }

    public void Dispose() => Release();

    private nint Operation
    {
        get
        {
            ObjectDisposedException.ThrowIf(_operation == 0, this);
            return _operation;
        }
    }

    private void Release()
    {
        if (_operation == 0)
        {
            return;
        }

        // Skipping unref_outputs leaks every output object the operation still references.
        LibVips.vips_object_unref_outputs(_operation);
        LibGObject.g_object_unref(_operation);
        _operation = 0;
    }

    private unsafe nuint ArgumentType(string name)
    {
        if (LibVips.vips_object_get_argument(Operation, name, out var pspec, out _, out _) != 0)
        {
            VipsException.TakeErrorBuffer();
            throw new VipsException($"{_operationName} has no argument {name}");
        }

        return *(nuint*)(pspec + ParamSpecValueTypeOffset);
    }

    // Reads one output property through a GValue of its type, always unsetting the GValue afterwards.
    private T ReadOutput<T>(string name, nuint type, ValueReader<T> read)
    {
        var value = default(GValue);
        LibGObject.g_value_init(ref value, type);
        LibGObject.g_object_get_property(Operation, name, ref value);
        try
        {
            return read(ref value);
        }
        finally
        {
            LibGObject.g_value_unset(ref value);
        }
    }

    private VipsCall Assign(string name, ref GValue value, nuint expectedType = 0)
    {
        try
        {
            // An unknown property name is only a GLib warning, so check it exists first.
            var type = ArgumentType(name);
            if (expectedType != 0 && type != expectedType)
            {
                throw new VipsException($"{_operationName} argument {name} has another type");
            }

            LibGObject.g_object_set_property(Operation, name, ref value);
            return this;
        }
        finally
        {
            LibGObject.g_value_unset(ref value);
        }
    }

    private VipsCall Mismatch(string name, ref GValue value, string what)
    {
        LibGObject.g_value_unset(ref value);
        throw new VipsException($"{_operationName} argument {name} does not take {what}");
    }

    private int FromNick(nuint type, string nick, bool isFlags)
    {
        var result = isFlags
            ? LibVips.vips_flags_from_nick("cdnproxy", type, nick)
            : LibVips.vips_enum_from_nick("cdnproxy", type, nick);
        return result >= 0 ? result : throw VipsException.FromErrorBuffer($"{_operationName}: unknown value {nick}");
    }

    private delegate T ValueReader<T>(ref GValue value);

}
