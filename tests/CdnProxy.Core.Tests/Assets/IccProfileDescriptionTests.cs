using System.Buffers.Binary;
using System.Text;
using CdnProxy.Core.Assets;

namespace CdnProxy.Core.Tests.Assets;

public sealed class IccProfileDescriptionTests
{
    [Fact]
    public void Read_Version2DescTag_GivesItsText()
    {
        var text = Encoding.ASCII.GetBytes("Test RGB v2\0");
        var tag = new byte[12 + text.Length + 8];
        BinaryPrimitives.WriteUInt32BigEndian(tag, 0x64657363);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(8), (uint)text.Length);
        text.CopyTo(tag, 12);

        Assert.Equal("Test RGB v2", IccProfileDescription.Read(Profile(tag)));
    }

    [Fact]
    public void Read_Version4MlucTag_GivesTheFirstRecord()
    {
        var text = Encoding.BigEndianUnicode.GetBytes("Display P3 (test)");
        var tag = new byte[28 + text.Length];
        BinaryPrimitives.WriteUInt32BigEndian(tag, 0x6D6C7563);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(12), 12);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(20), (uint)text.Length);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(24), 28);
        text.CopyTo(tag, 28);

        Assert.Equal("Display P3 (test)", IccProfileDescription.Read(Profile(tag)));
    }

    [Fact]
    public void Read_TheProfileLibvipsEmbeds_HasADescription()
    {
        using var black = VipsImage.Black(8, 8, bands: 3);
        using var image = VipsImage.NewFromBuffer(black.Cast(NetVips.Enums.BandFormat.Uchar).JpegsaveBuffer(profile: "srgb"));

        var description = IccProfileDescription.Read((byte[])image.Get("icc-profile-data"));

        Assert.False(string.IsNullOrWhiteSpace(description));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(140)]
    public void Read_TruncatedOrEmpty_IsNullNotAnError(int length)
    {
        var text = Encoding.ASCII.GetBytes("x\0");
        var tag = new byte[12 + text.Length];
        BinaryPrimitives.WriteUInt32BigEndian(tag, 0x64657363);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(8), 5000);
        var profile = Profile(tag);

        Assert.Null(IccProfileDescription.Read(profile.AsSpan(0, Math.Min(length, profile.Length))));
        Assert.Null(IccProfileDescription.Read(profile));
    }

    private static byte[] Profile(byte[] descTag)
    {
        const int header = 128, table = 4 + 12;
        var profile = new byte[header + table + descTag.Length];
        BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(header), 1);
        BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(header + 4), 0x64657363);
        BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(header + 8), header + table);
        BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(header + 12), (uint)descTag.Length);
        descTag.CopyTo(profile, header + table);
        return profile;
    }
}
