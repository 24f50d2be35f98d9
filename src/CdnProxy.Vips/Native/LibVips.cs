using System.Runtime.InteropServices;

namespace CdnProxy.Vips.Native;

/// <summary>libvips C functions. Only non-variadic functions are ever declared here.</summary>
internal static partial class LibVips
{
    private const string Lib = NativeLibraryResolver.VipsName;

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_init(string argv0);

    [LibraryImport(Lib)]
    internal static partial int vips_version(int flag);

    [LibraryImport(Lib)]
    internal static partial nint vips_error_buffer_copy();

    [LibraryImport(Lib)]
    internal static partial void vips_error_clear();

    [LibraryImport(Lib)]
    internal static partial void vips_cache_set_max(int max);

    [LibraryImport(Lib)]
    internal static partial void vips_cache_set_max_mem(nuint maxMem);

    [LibraryImport(Lib)]
    internal static partial void vips_cache_set_max_files(int maxFiles);

    [LibraryImport(Lib)]
    internal static partial void vips_concurrency_set(int concurrency);

    [LibraryImport(Lib)]
    internal static partial void vips_block_untrusted_set(int state);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void vips_operation_block_set(string name, int state);

    [LibraryImport(Lib)]
    internal static partial void vips_leak_set(int leak);

    [LibraryImport(Lib)]
    internal static partial void vips_thread_shutdown();

    [LibraryImport(Lib)]
    internal static partial nint vips_tracked_get_mem();

    [LibraryImport(Lib)]
    internal static partial int vips_tracked_get_allocs();

    [LibraryImport(Lib)]
    internal static unsafe partial nint vips_object_map(delegate* unmanaged<nint, nint, nint, nint> fn, nint a, nint b);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint vips_operation_new(string name);

    [LibraryImport(Lib)]
    internal static partial int vips_cache_operation_buildp(ref nint operation);

    [LibraryImport(Lib)]
    internal static partial void vips_object_unref_outputs(nint obj);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_object_get_argument(nint obj, string name, out nint pspec, out nint argumentClass, out nint argumentInstance);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_object_set_from_string(nint obj, string text);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_enum_from_nick(string domain, nuint type, string nick);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_flags_from_nick(string domain, nuint type, string nick);

    [LibraryImport(Lib)]
    internal static partial nint vips_foreign_find_load_buffer(nint data, nuint size);

    [LibraryImport(Lib)]
    internal static partial nint vips_blob_copy(nint data, nuint length);

    [LibraryImport(Lib)]
    internal static partial nint vips_blob_get(nint blob, out nuint length);

    [LibraryImport(Lib)]
    internal static partial void vips_area_unref(nint area);

    [LibraryImport(Lib)]
    internal static unsafe partial void vips_value_set_array_double(ref GValue value, double* array, int n);

    [LibraryImport(Lib)]
    internal static partial nint vips_array_double_get(nint array, out int n);

    [LibraryImport(Lib)]
    internal static partial int vips_image_get_width(nint image);

    [LibraryImport(Lib)]
    internal static partial int vips_image_get_height(nint image);

    [LibraryImport(Lib)]
    internal static partial int vips_image_get_bands(nint image);

    [LibraryImport(Lib)]
    internal static partial int vips_image_get_format(nint image);

    [LibraryImport(Lib)]
    internal static partial int vips_image_get_interpretation(nint image);

    [LibraryImport(Lib)]
    internal static partial double vips_image_get_xres(nint image);

    [LibraryImport(Lib)]
    internal static partial int vips_image_hasalpha(nint image);

    [LibraryImport(Lib)]
    internal static partial int vips_image_get_n_pages(nint image);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nuint vips_image_get_typeof(nint image, string name);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_image_get_int(nint image, string name, out int value);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_image_get_string(nint image, string name, out nint value);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_image_get_array_int(nint image, string name, out nint values, out int n);

    [LibraryImport(Lib)]
    internal static partial int vips_image_get_page_height(nint image);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void vips_image_set_int(nint image, string name, int value);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial void vips_image_set_array_int(nint image, string name, int* values, int n);

    [LibraryImport(Lib)]
    internal static unsafe partial nint vips_array_image_new(nint* images, int n);

    [LibraryImport(Lib)]
    internal static partial double vips_image_get_yres(nint image);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void vips_image_set_string(nint image, string name, string value);

    [LibraryImport(Lib)]
    internal static partial nint vips_image_write_to_memory(nint image, out nuint size);

    [LibraryImport(Lib)]
    internal static partial nint vips_image_copy_memory(nint image);

    [LibraryImport(Lib)]
    internal static partial nint vips_image_get_fields(nint image);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_image_remove(nint image, string name);

    [LibraryImport(Lib)]
    internal static partial nint vips_image_new_matrix(int width, int height);

    [LibraryImport(Lib)]
    internal static partial nint vips_image_new_from_memory_copy(nint data, nuint size, int width, int height, int bands, int format);
}
