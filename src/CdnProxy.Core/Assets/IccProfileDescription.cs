using System.Buffers.Binary;
using System.Text;

namespace CdnProxy.Core.Assets;

/// <summary>The human-readable name of an ICC profile (its <c>desc</c> tag: ICC v2 <c>desc</c> or v4 <c>mluc</c>).</summary>
public static class IccProfileDescription
{
    private const int HeaderSize = 128;
    private const int MaxTags = 200;

    /// <summary>The description, or null when the profile has none or is malformed (never throws on bad data).</summary>
    public static string? Read(ReadOnlySpan<byte> profile)
    {
        if (profile.Length < HeaderSize + 4)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt32BigEndian(profile[HeaderSize..]);
        for (var i = 0; i < Math.Min(count, MaxTags); i++)
        {
            var entry = HeaderSize + 4 + i * 12;
            if (entry + 12 > profile.Length)
            {
                return null;
            }

            if (BinaryPrimitives.ReadUInt32BigEndian(profile[entry..]) != 0x64657363) // 'desc'
            {
                continue;
            }

            var offset = BinaryPrimitives.ReadUInt32BigEndian(profile[(entry + 4)..]);
            var size = BinaryPrimitives.ReadUInt32BigEndian(profile[(entry + 8)..]);
            if (offset > profile.Length || size > profile.Length - offset || size < 12)
            {
                return null;
            }

            return Decode(profile.Slice((int)offset, (int)size));
        }

        return null;
    }

    private static string? Decode(ReadOnlySpan<byte> tag)
    {
        var type = BinaryPrimitives.ReadUInt32BigEndian(tag);
        if (type == 0x64657363) // 'desc': ASCII count, then the text with its NUL
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(tag[8..]);
            return length is 0 || length > tag.Length - 12 ? null : Clean(Encoding.ASCII.GetString(tag.Slice(12, (int)length)));
        }

        if (type == 0x6D6C7563 && tag.Length >= 28) // 'mluc': the first record, UTF-16BE
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(tag[20..]);
            var offset = BinaryPrimitives.ReadUInt32BigEndian(tag[24..]);
            return offset > tag.Length || length > tag.Length - offset ? null : Clean(Encoding.BigEndianUnicode.GetString(tag.Slice((int)offset, (int)length)));
        }

        return null;
    }

    private static string? Clean(string text)
    {
        var trimmed = text.TrimEnd('\0').Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }
}
