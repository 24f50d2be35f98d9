namespace CdnProxy.Vips;

/// <summary>libvips' VipsBandFormat: the numeric type of each band (values fixed by the C enum).</summary>
public enum VipsBandFormat
{
    NotSet = -1,
    Unsigned8 = 0,
    Signed8 = 1,
    Unsigned16 = 2,
    Signed16 = 3,
    Unsigned32 = 4,
    Signed32 = 5,
    Real32 = 6,
    Complex64 = 7,
    Real64 = 8,
    Complex128 = 9,
}
