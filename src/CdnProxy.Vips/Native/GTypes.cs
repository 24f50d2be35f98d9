namespace CdnProxy.Vips.Native;

/// <summary>GType ids: fundamental ones are fixed numbers; libvips' boxed and object types are looked up after <c>vips_init</c>.</summary>
internal static class GTypes
{
    // Fundamental types are (index << 2), fixed by GLib's ABI.
    public const nuint Boolean = 5 << 2;
    public const nuint Int = 6 << 2;
    public const nuint UInt64 = 11 << 2;
    public const nuint Enum = 12 << 2;
    public const nuint Flags = 13 << 2;
    public const nuint Double = 15 << 2;
    public const nuint String = 16 << 2;
    public const nuint Boxed = 18 << 2;
    public const nuint Object = 20 << 2;

    private static nuint _image;
    private static nuint _blob;
    private static nuint _arrayDouble;
    private static nuint _arrayImage;

    public static nuint Image => _image;

    public static nuint Blob => _blob;

    public static nuint ArrayDouble => _arrayDouble;

    public static nuint ArrayImage => _arrayImage;

    /// <summary>Reads the runtime type ids; called once by <see cref="VipsRuntime"/> after <c>vips_init</c>.</summary>
    public static void Load()
    {
        _image = Require("VipsImage");
        _blob = Require("VipsBlob");
        _arrayDouble = Require("VipsArrayDouble");
        _arrayImage = Require("VipsArrayImage");
    }

    private static nuint Require(string name)
    {
        var type = LibGObject.g_type_from_name(name);
        return type != 0 ? type : throw new VipsException($"libvips type {name} is not registered");
    }
}
