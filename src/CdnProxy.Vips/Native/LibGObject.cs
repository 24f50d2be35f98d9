using System.Runtime.InteropServices;

namespace CdnProxy.Vips.Native;

/// <summary>GObject functions used to drive the generic operation API.</summary>
internal static partial class LibGObject
{
    private const string Lib = NativeLibraryResolver.GObjectName;

    [LibraryImport(Lib)]
    internal static partial nint g_object_ref(nint obj);

    [LibraryImport(Lib)]
    internal static partial void g_object_unref(nint obj);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_object_set_property(nint obj, string name, ref GValue value);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_object_get_property(nint obj, string name, ref GValue value);

    [LibraryImport(Lib)]
    internal static partial nint g_value_init(ref GValue value, nuint type);

    [LibraryImport(Lib)]
    internal static partial void g_value_unset(ref GValue value);

    [LibraryImport(Lib)]
    internal static partial void g_value_set_int(ref GValue value, int v);

    [LibraryImport(Lib)]
    internal static partial void g_value_set_uint64(ref GValue value, ulong v);

    [LibraryImport(Lib)]
    internal static partial void g_value_set_double(ref GValue value, double v);

    [LibraryImport(Lib)]
    internal static partial void g_value_set_boolean(ref GValue value, int v);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_value_set_string(ref GValue value, string v);

    [LibraryImport(Lib)]
    internal static partial void g_value_set_enum(ref GValue value, int v);

    [LibraryImport(Lib)]
    internal static partial void g_value_set_flags(ref GValue value, uint v);

    [LibraryImport(Lib)]
    internal static partial void g_value_set_object(ref GValue value, nint v);

    [LibraryImport(Lib)]
    internal static partial void g_value_set_boxed(ref GValue value, nint v);

    [LibraryImport(Lib)]
    internal static partial int g_value_get_int(ref GValue value);

    [LibraryImport(Lib)]
    internal static partial double g_value_get_double(ref GValue value);

    [LibraryImport(Lib)]
    internal static partial int g_value_get_boolean(ref GValue value);

    [LibraryImport(Lib)]
    internal static partial nint g_value_get_boxed(ref GValue value);

    [LibraryImport(Lib)]
    internal static partial nint g_value_dup_object(ref GValue value);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nuint g_type_from_name(string name);

    [LibraryImport(Lib)]
    internal static partial nuint g_type_fundamental(nuint type);
}
