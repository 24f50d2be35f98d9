using System.Runtime.InteropServices;

namespace CdnProxy.Vips.Native;

/// <summary>GLib's 24-byte GValue (x64 layout). Always start from <c>default</c> (zeroed) before <c>g_value_init</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GValue
{
    public nuint GType;
    public ulong Data0;
    public ulong Data1;
}
