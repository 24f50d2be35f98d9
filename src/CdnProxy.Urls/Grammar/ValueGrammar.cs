using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Sprache;
using Sp = Sprache.Parse;

namespace CdnProxy.Urls.Grammar;

/// <summary>
/// The structured argument value types of spec §2 that <see cref="PatternGrammar"/> keeps as raw text: bounding boxes
/// (<c>10_20_30_40</c>), bounding-box lists (<c>[[10_10_100_100]_[200_20_100_100]]</c>), polygon lists
/// (<c>[[[10_20]_[110_20]_[120_140]]_[...]]</c>), base64 file ids (<c>i:</c>) and base64 nested patterns (<c>tr:</c>).
/// </summary>
/// <remarks>
/// <para>Integers are an optional <c>-</c> and ASCII digits within the range of <see cref="int"/>; no <c>+</c>, no spaces.
/// A box's top and left and a point's coordinates may be negative (a region that starts outside the image; the
/// operation decides whether to clip or reject it); a box's height and width are digits only. Lists hold at least one
/// item and a polygon at least 3 points.</para>
/// <para>Base64 uses one alphabet throughout, standard (<c>+/</c>) or URL-safe (<c>-_</c>); <c>=</c> padding is optional
/// but, when present, must be complete and last. A length of 4n+1 and non-zero unused bits in the last character are
/// rejected, so each alphabet and padding choice has exactly one spelling of a byte string.</para>
/// <para>Every failure is a <see cref="CdnUrlException"/> with <see cref="UrlErrorCode.InvalidValue"/> and a fixed message
/// that never echoes the value.</para>
/// </remarks>
public static class ValueGrammar
{
    /// <summary>
    /// The argument key that carries a nested pattern (<c>t.merge(tr:...)</c>). A nested pattern may not contain it again,
    /// so nesting is at most one level deep.
    /// </summary>
    public const string NestedPatternKey = "tr";

    /// <summary>Values longer than this are rejected before parsing; far more than a pattern segment can carry.</summary>
    internal const int MaxValueLength = 8192;

    internal const int MinPolygonPoints = 3;

    private const string BboxMessage =
        "The bounding box must be top_left_height_width: four integers joined by '_', height and width not negative";

    private const string BboxListMessage =
        "The bounding box list must be [[top_left_height_width]_...] with at least one box";

    private const string PolygonListMessage =
        "The polygon list must be [[[x_y]_[x_y]_[x_y]...]_...]: at least one polygon of at least 3 integer points";

    private const string Base64Message =
        "The value is not valid base64 (standard or URL-safe alphabet, optional '=' padding)";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The rules are fields, so each is built once; order matters because each uses the ones above it.

    internal static readonly Parser<char> Underscore = Sp.Char('_').Named("'_'");

    internal static readonly Parser<string> Digits = Sp.Char(char.IsAsciiDigit, "digit").AtLeastOnce().Text();

    /// <summary>Digits only, within the range of <see cref="int"/>: a height or a width.</summary>
    internal static readonly Parser<int> Natural = Digits.Where(FitsInt).Select(ParseInt).Named("non-negative integer");

    /// <summary>An optional <c>-</c> and digits, within the range of <see cref="int"/>.</summary>
    internal static readonly Parser<int> Integer =
        (from minus in Sp.Char('-').Optional()
         from digits in Digits
         select minus.IsDefined ? "-" + digits : digits)
        .Where(FitsInt).Select(ParseInt).Named("integer");

    /// <summary><c>top_left_height_width</c>, without brackets.</summary>
    internal static readonly Parser<BoundingBox> Bbox =
        from top in Integer
        from u1 in Underscore
        from left in Integer
        from u2 in Underscore
        from height in Natural
        from u3 in Underscore
        from width in Natural
        select new BoundingBox(top, left, height, width);

    /// <summary><c>[[t_l_h_w]_[t_l_h_w]...]</c>.</summary>
    internal static readonly Parser<IReadOnlyList<BoundingBox>> BboxList = ListOf(Bracketed(Bbox));

    /// <summary><c>[x_y]</c>.</summary>
    internal static readonly Parser<PolygonPoint> Point =
        Bracketed(
            from x in Integer
            from u in Underscore
            from y in Integer
            select new PolygonPoint(x, y));

    /// <summary><c>[[x_y]_[x_y]_[x_y]...]</c>: at least <see cref="MinPolygonPoints"/> points.</summary>
    internal static readonly Parser<IReadOnlyList<PolygonPoint>> Polygon =
        ListOf(Point).Where(points => points.Count >= MinPolygonPoints).Named("polygon of at least 3 points");

    /// <summary><c>[polygon_polygon...]</c>.</summary>
    internal static readonly Parser<IReadOnlyList<IReadOnlyList<PolygonPoint>>> PolygonList = ListOf(Polygon);

    internal static readonly Parser<byte[]> StandardBase64 = Base64In('+', '/');

    internal static readonly Parser<byte[]> UrlSafeBase64 = Base64In('-', '_');

    // Entry points: the whole value must match.

    internal static readonly Parser<BoundingBox> BboxValue = Bbox.End();

    internal static readonly Parser<IReadOnlyList<BoundingBox>> BboxListValue = BboxList.End();

    internal static readonly Parser<IReadOnlyList<IReadOnlyList<PolygonPoint>>> PolygonListValue = PolygonList.End();

    /// <summary>Base64 in one alphabet; a value mixing <c>+/</c> with <c>-_</c> matches neither.</summary>
    internal static readonly Parser<byte[]> Base64Value = StandardBase64.End().Or(UrlSafeBase64.End());

    /// <summary>Parses a bounding box <c>top_left_height_width</c>, e.g. <c>10_20_30_40</c>.</summary>
    /// <param name="text">The raw argument value.</param>
    /// <returns>The box.</returns>
    /// <exception cref="CdnUrlException">With <see cref="UrlErrorCode.InvalidValue"/> when the value is malformed.</exception>
    public static BoundingBox ParseBbox(string text) => Run(BboxValue, text, BboxMessage);

    /// <summary>Parses a bounding box <c>top_left_height_width</c> without throwing on bad input.</summary>
    /// <param name="text">The raw argument value.</param>
    /// <param name="bbox">The box when parsing succeeds.</param>
    /// <returns>True when the value is a valid box.</returns>
    public static bool TryParseBbox(string text, out BoundingBox bbox) => TryRun(BboxValue, text, out bbox);

    /// <summary>Parses a bounding-box list, e.g. <c>[[10_10_100_100]_[200_20_100_100]]</c>.</summary>
    /// <param name="text">The raw argument value.</param>
    /// <returns>The boxes in the order written; at least one.</returns>
    /// <exception cref="CdnUrlException">With <see cref="UrlErrorCode.InvalidValue"/> when the value is malformed.</exception>
    public static IReadOnlyList<BoundingBox> ParseBboxList(string text) => Run(BboxListValue, text, BboxListMessage);

    /// <summary>Parses a bounding-box list without throwing on bad input.</summary>
    /// <param name="text">The raw argument value.</param>
    /// <param name="boxes">The boxes when parsing succeeds.</param>
    /// <returns>True when the value is a valid list.</returns>
    public static bool TryParseBboxList(string text, [NotNullWhen(true)] out IReadOnlyList<BoundingBox>? boxes) =>
        TryRun(BboxListValue, text, out boxes);

    /// <summary>Parses a polygon list, e.g. <c>[[[10_20]_[110_20]_[120_140]]_[[210_220]_[120_220]_[60_340]]]</c>.</summary>
    /// <param name="text">The raw argument value.</param>
    /// <returns>The polygons in the order written, each with its points in order; at least one polygon of at least 3 points.</returns>
    /// <exception cref="CdnUrlException">With <see cref="UrlErrorCode.InvalidValue"/> when the value is malformed.</exception>
    public static IReadOnlyList<IReadOnlyList<PolygonPoint>> ParsePolygonList(string text) =>
        Run(PolygonListValue, text, PolygonListMessage);

    /// <summary>Parses a polygon list without throwing on bad input.</summary>
    /// <param name="text">The raw argument value.</param>
    /// <param name="polygons">The polygons when parsing succeeds.</param>
    /// <returns>True when the value is a valid list.</returns>
    public static bool TryParsePolygonList(string text, [NotNullWhen(true)] out IReadOnlyList<IReadOnlyList<PolygonPoint>>? polygons) =>
        TryRun(PolygonListValue, text, out polygons);

    /// <summary>Decodes base64 in the standard or URL-safe alphabet, with or without padding.</summary>
    /// <param name="text">The raw argument value; not empty.</param>
    /// <returns>The decoded bytes.</returns>
    /// <exception cref="CdnUrlException">With <see cref="UrlErrorCode.InvalidValue"/> for an empty value, a bad character or length, or mixed alphabets.</exception>
    public static byte[] DecodeBase64(string text) =>
        text is { Length: 0 } ? throw Invalid("The base64 value is empty") : Run(Base64Value, text, Base64Message);

    /// <summary>Decodes base64 like <see cref="DecodeBase64"/>, without throwing on bad input.</summary>
    /// <param name="text">The raw argument value.</param>
    /// <param name="bytes">The decoded bytes when decoding succeeds.</param>
    /// <returns>True when the value is valid, non-empty base64.</returns>
    public static bool TryDecodeBase64(string text, [NotNullWhen(true)] out byte[]? bytes)
    {
        if (TryRun(Base64Value, text, out var decoded) && decoded.Length > 0)
        {
            bytes = decoded;
            return true;
        }

        bytes = null;
        return false;
    }

    /// <summary>
    /// Decodes a file reference (<c>i:</c>): base64 of a file id such as <c>folder/name</c>, as the Figma plugin's
    /// <c>btoa(fileId)</c> writes it.
    /// </summary>
    /// <param name="text">The raw argument value.</param>
    /// <returns>The file id: UTF-8 text without control characters or <c>\</c>, not starting with <c>/</c>, and with no
    /// empty, <c>.</c> or <c>..</c> segment.</returns>
    /// <exception cref="CdnUrlException">With <see cref="UrlErrorCode.InvalidValue"/> when the value is not base64 or the file id is unsafe.</exception>
    public static string DecodeFileId(string text)
    {
        var fileId = DecodeUtf8(DecodeBase64(text), "file id");
        var problem = fileId switch
        {
            _ when fileId.Any(char.IsControl) => "The file id contains a control character",
            _ when fileId.Contains('\\', StringComparison.Ordinal) => "The file id contains '\\'",
            ['/', ..] => "The file id starts with '/'",
            _ when fileId.Split('/').Any(segment => segment is "" or "." or "..") => "The file id has an empty, '.' or '..' segment",
            _ => null,
        };

        return problem is null ? fileId : throw Invalid(problem);
    }

    /// <summary>
    /// Decodes a nested pattern (<c>tr:</c>): base64 of a pattern such as <c>t.resize(w:100)~t.flip()</c>, which must
    /// parse with <see cref="PatternGrammar.Parse(string)"/>.
    /// </summary>
    /// <remarks>
    /// Nesting is one level deep: the nested pattern may not contain a <see cref="NestedPatternKey"/> argument, nor
    /// preset references (which could hide one), and it may not be <c>original</c> (leave the argument out instead).
    /// </remarks>
    /// <param name="text">The raw argument value.</param>
    /// <returns>The decoded pattern text.</returns>
    /// <exception cref="CdnUrlException">With <see cref="UrlErrorCode.InvalidValue"/> when the value is not base64 or the pattern is not allowed.</exception>
    public static string DecodeNestedPattern(string text) => ReadNestedPattern(text).Text;

    /// <summary>Formats boxes as the canonical list <c>[[t_l_h_w]_...]</c>.</summary>
    /// <param name="boxes">At least one box, none with a negative height or width.</param>
    /// <returns>Text that <see cref="ParseBboxList"/> reads back to the same boxes.</returns>
    public static string FormatBboxList(IReadOnlyList<BoundingBox> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        if (boxes.Count == 0 || boxes.Any(box => box.Height < 0 || box.Width < 0))
        {
            throw new ArgumentException("A bounding box list needs at least one box, none with a negative size.", nameof(boxes));
        }

        return "[" + string.Join("_", boxes.Select(box => "[" + box + "]")) + "]";
    }

    /// <summary>Formats polygons as the canonical list <c>[[[x_y]_...]_...]</c>.</summary>
    /// <param name="polygons">At least one polygon, each of at least 3 points.</param>
    /// <returns>Text that <see cref="ParsePolygonList"/> reads back to the same polygons.</returns>
    public static string FormatPolygonList(IReadOnlyList<IReadOnlyList<PolygonPoint>> polygons)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        if (polygons.Count == 0 || polygons.Any(polygon => polygon is null || polygon.Count < MinPolygonPoints))
        {
            throw new ArgumentException("A polygon list needs at least one polygon, each of at least 3 points.", nameof(polygons));
        }

        return "[" + string.Join("_", polygons.Select(polygon => "[" + string.Join("_", polygon) + "]")) + "]";
    }

    /// <summary>
    /// Encodes bytes as URL-safe base64 without padding: the canonical form of file ids and nested patterns, and always
    /// a valid argument value (no <c>/</c>, which a pattern segment cannot hold).
    /// </summary>
    /// <param name="bytes">The bytes to encode.</param>
    /// <returns>For example <c>eU44YkFJOHlVMmZrWVRDOUNTRm1D</c>.</returns>
    public static string EncodeBase64Url(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>Decodes and checks a nested pattern, returning its text and syntax tree.</summary>
    internal static (string Text, PatternSyntax Syntax) ReadNestedPattern(string text)
    {
        var pattern = DecodeUtf8(DecodeBase64(text), "nested pattern");
        if (!PatternGrammar.TryParse(pattern, out var syntax, out var error))
        {
            throw Invalid("The nested pattern does not parse: " + error.Message);
        }

        var problem = syntax switch
        {
            { IsOriginal: true } => "The nested pattern is 'original'; leave the argument out instead",
            _ when syntax.HasPresets || syntax.Calls.Any(call => call.Plugin == PresetReference.Plugin) =>
                "The nested pattern may not use presets",
            _ when syntax.Calls.Any(call => call.Arguments.Any(argument => argument.Key == NestedPatternKey)) =>
                $"The nested pattern may not contain another nested pattern ('{NestedPatternKey}')",
            _ => null,
        };

        return problem is null ? (pattern, syntax) : throw Invalid(problem);
    }

    private static Parser<T> Bracketed<T>(Parser<T> inner) =>
        from open in Sp.Char('[').Named("'['")
        from value in inner
        from close in Sp.Char(']').Named("']'")
        select value;

    /// <summary><c>[item_item...]</c> with at least one item.</summary>
    private static Parser<IReadOnlyList<T>> ListOf<T>(Parser<T> item) =>
        Bracketed(item.DelimitedBy(Underscore)).Select(items => (IReadOnlyList<T>)[.. items]);

    /// <summary>
    /// Base64 whose characters 62 and 63 are <paramref name="c62"/> and <paramref name="c63"/>: whole 4-character groups,
    /// then an optional last group of 2 or 3 characters (optionally padded with <c>==</c> or <c>=</c>) whose unused bits are zero.
    /// </summary>
    private static Parser<byte[]> Base64In(char c62, char c63)
    {
        var sextet = Sp.Char(c => char.IsAsciiLetterOrDigit(c) || c == c62 || c == c63, "base64 character")
            .Select(c => SextetValue(c, c62));

        var whole = sextet.Repeat(4).Select(Pack).Select(bits => ToBytes(bits, 3));

        var last3 =
            (from bits in sextet.Repeat(3).Select(Pack)
             from padding in Sp.Char('=').Optional()
             select bits)
            .Where(bits => (bits & 0b11) == 0).Select(bits => ToBytes(bits >> 2, 2));

        var last2 =
            (from bits in sextet.Repeat(2).Select(Pack)
             from padding in Sp.String("==").Optional()
             select bits)
            .Where(bits => (bits & 0b1111) == 0).Select(bits => ToBytes(bits >> 4, 1));

        return from groups in whole.Many()
               from last in last3.Or(last2).Optional()
               select groups.SelectMany(bytes => bytes).Concat(last.GetOrElse([])).ToArray();
    }

    private static int SextetValue(char c, char c62) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        _ when c == c62 => 62,
        _ => 63,
    };

    private static int Pack(IEnumerable<int> sextets) => sextets.Aggregate(0, (bits, sextet) => (bits << 6) | sextet);

    /// <summary>The low <paramref name="count"/> bytes of <paramref name="bits"/>, most significant first.</summary>
    private static byte[] ToBytes(int bits, int count)
    {
        var bytes = new byte[count];
        for (var i = count - 1; i >= 0; i--, bits >>= 8)
        {
            bytes[i] = (byte)bits;
        }

        return bytes;
    }

    private static bool FitsInt(string digits) =>
        int.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    private static int ParseInt(string digits) => int.Parse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static string DecodeUtf8(byte[] bytes, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid($"The {what} is not UTF-8 text");
        }
    }

    private static T Run<T>(Parser<T> rule, string text, string message)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxValueLength)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"The value is longer than {MaxValueLength} characters"));
        }

        var result = rule.TryParse(text);
        return result.WasSuccessful ? result.Value : throw Invalid(message);
    }

    private static bool TryRun<T>(Parser<T> rule, string text, [MaybeNullWhen(false)] out T value)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = text.Length <= MaxValueLength ? rule.TryParse(text) : null;
        value = result is { WasSuccessful: true } ? result.Value : default;
        return result is { WasSuccessful: true };
    }

    private static CdnUrlException Invalid(string message) => new(UrlErrorCode.InvalidValue, message);
}
