using System.Text;
using CdnProxy.Core;
using CdnProxy.Server.Jobs.Pixble;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>
/// <c>data</c> decoded from a body's UTF-8 answers what the text always answered (<see cref="PixbleData.FromText"/>,
/// the <see cref="Convert"/> reading): the same image or the same error, for base64 with white space, padding in the
/// wrong place, unused bits set, data URI prefixes right and wrong, and text that is not ASCII; and a urlencoded
/// body's <c>data</c> decoded in place reads as the form reader reads it.
/// </summary>
public sealed class PixbleDataTests
{
    private const long MaxBytes = 40;

    private static readonly string[] Pieces =
    [
        "A", "Q", "g", "w", "x", "/", "+", "=", "==", " ", "\t", "\r", "\n", "\v", "-", "_", "é", "\u00a0",
        "data:", "image/png", ";base64", ";BASE64", ",", "Zm9v", "iVBORw0K",
    ];

    [Fact]
    public void FromUtf8_AnswersAsTheText_OnRandomTexts()
    {
        var random = new Random(42);
        for (var i = 0; i < 200_000; i++)
        {
            var text = new StringBuilder();
            for (var n = random.Next(0, 12); n > 0; n--)
            {
                text.Append(Pieces[random.Next(Pieces.Length)]);
            }

            AssertSameAnswer(text.ToString());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Zm9v")]
    [InlineData(" Zm9v\n")]
    [InlineData("Zm9vYg==")]
    [InlineData("Zm9vYh==")]
    [InlineData("Zm9v\nYmFy")]
    [InlineData("Zm=9vYmFy")]
    [InlineData("data:image/png;base64,Zm9v")]
    [InlineData("DATA:image/png;Base64,Zm9v")]
    [InlineData("data:image/png,Zm9v")]
    [InlineData("data:;base64")]
    public void FromUtf8_AnswersAsTheText(string text) => AssertSameAnswer(text);

    [Fact]
    public void ALongText_IsDecodedAcrossChunks_AndPaddingBeforeTheEndIsRefused()
    {
        var image = new byte[10_000];
        new Random(3).NextBytes(image);
        var base64 = Convert.ToBase64String(image, Base64FormattingOptions.InsertLineBreaks);

        Assert.Equal(image, PixbleData.FromUtf8(Encoding.ASCII.GetBytes(base64))!.Image(2 * image.Length)); // line breaks count towards the first size check, as they always did
        var padded = Convert.ToBase64String(image[..4000]) + Convert.ToBase64String(image[..3001]) + "Zm9v";
        AssertSameAnswer(padded, maxBytes: 100_000);
        Assert.StartsWith("InvalidArgument", Answer(PixbleData.FromUtf8(Encoding.ASCII.GetBytes(padded)), 100_000), StringComparison.Ordinal);
    }

    /// <summary>
    /// A urlencoded body's <c>data=</c> pair is decoded in place; spelled <c>d%61ta=</c> it goes through the form reader
    /// as every pair did. Both read the same fields and the same image, or fail the same way.
    /// </summary>
    [Fact]
    public async Task AUrlencodedDataPair_ReadsAsTheFormReaderReadsIt()
    {
        string[] pieces = ["Zm9v", "iVBO", "+", " ", "%2B", "%2b", "%20", "%0A", "%3D", "=", "/", "%2F", "data%3Aimage%2Fpng%3Bbase64%2C", "%", "%G1", "%C3%A9", "é", "%7F", "Q"];
        string[] others = ["", "task=9&", "task=9&task=9&", "&", "key=k&", "d%61ta=Zm9v&", "a&"];
        var random = new Random(11);
        for (var i = 0; i < 3000; i++)
        {
            var value = new StringBuilder();
            for (var n = random.Next(0, 10); n > 0; n--)
            {
                value.Append(pieces[random.Next(pieces.Length)]);
            }

            var before = others[random.Next(others.Length)];
            var after = random.Next(2) == 0 ? string.Empty : "&" + others[random.Next(others.Length)].TrimEnd('&');
            Assert.Equal(
                await UrlencodedAnswerAsync(before + "d%61ta=" + value + after),
                await UrlencodedAnswerAsync(before + "data=" + value + after));
        }
    }

    private static async Task<string> UrlencodedAnswerAsync(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        try
        {
            var form = await PixbleBody.ReadAsync(InMemoryBody.Context(bytes, "application/x-www-form-urlencoded").Request, 1_000_000, CancellationToken.None);
            return string.Join('&', form.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}")) + " " + Answer(form.Data, MaxBytes);
        }
        catch (CdnException e)
        {
            return $"{e.Kind}: {e.Message}";
        }
    }

    private static void AssertSameAnswer(string text, long maxBytes = MaxBytes) =>
        Assert.Equal(Answer(PixbleData.FromText(text), maxBytes), Answer(PixbleData.FromUtf8(Encoding.UTF8.GetBytes(text)), maxBytes));

    private static string Answer(PixbleData? data, long maxBytes = MaxBytes)
    {
        try
        {
            return Convert.ToHexString((data ?? throw PixbleData.Required()).Image(maxBytes));
        }
        catch (CdnException e)
        {
            return $"{e.Kind}: {e.Message}";
        }
    }
}
