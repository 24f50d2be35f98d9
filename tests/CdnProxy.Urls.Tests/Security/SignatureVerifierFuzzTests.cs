using System.Diagnostics;
using System.Text;
using CdnProxy.Urls.Security;

namespace CdnProxy.Urls.Tests.Security;

public class SignatureVerifierFuzzTests
{
    private const int Iterations = 100_000;

    private static readonly string[] Seeds =
    [
        "/v2/test-cloud/z-slug/t.resize(h:100,w:200)~t.flip()/path/to/image.png?dpr=2&f_auto=true&pbs=2bd676b9d3a8ffc35b3b9ae9ad589a16db4780e814f5dee54ff1d395ebe643a2&pbe=1700000060&pbt=ak-42",
        "/v2/demo/original/caf%C3%A9%20folder/a%20b.jpg?x=a+b&pbs=9793b1ef06b8976a3aaf08f5bee90ce63140663a791f6cb5f6350f34f398cc63&pbe=1700000060&pbt=ak-1",
        "/v2/demo/t.resize(w:100)/%E6%97%A5/%F0%9F%98%80.png?pbs=ebbb14c380d0831f56c1c7f63332c23d151777db90815842ee09155dd363ef8e&pbe=1700000001.5&pbt=ak-1",
    ];

    private static readonly string[] Fragments =
    [
        "pbs=", "pbe=", "pbt=", "&", "=", "?", "%", "%2", "%zz", "%25", "%C3", "%ED%A0%80", "+", "/", "//", "..", "%2e",
        "\ud800", "\udc00", "😀", "é", "\0", " ", "#", "ak-42", "ak-1", "1e+308", "-1", "1700000060", "NaN", "Infinity",
        "2bd676b9d3a8ffc35b3b9ae9ad589a16db4780e814f5dee54ff1d395ebe643a2", "pb%73=", "\u00ff", "'", "\"", "\\",
    ];

    [Fact]
    public void Verify_RandomAndMutatedInputs_NeverThrow()
    {
        var random = new Random(20240611);
        var ring = new SigningKeyRing([new("ak-42", "tok_ABC"), new("ak-1", "tok-1")]);
        var time = FixedTimeProvider.AtUnixSeconds(1700000000);
        var options = new SignatureVerifierOptions { MaxLifetime = TimeSpan.FromDays(1) };
        var counts = new int[Enum.GetValues<SignatureStatus>().Length];
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < Iterations; i++)
        {
            var input = i % 4 == 0 ? RandomText(random, random.Next(0, 200)) : Mutate(random, Seeds[random.Next(Seeds.Length)]);
            var question = input.IndexOf('?', StringComparison.Ordinal);
            var (path, query) = question < 0 || random.Next(10) == 0
                ? (input, random.Next(2) == 0 ? null : RandomText(random, random.Next(0, 50)))
                : (input[..question], input[question..]);

            var result = SignatureVerifier.Verify(path, query, ring, time, i % 2 == 0 ? null : options);

            Assert.True(Enum.IsDefined(result.Status));
            Assert.NotNull(result.CleanedQuery);
            counts[(int)result.Status]++;
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"Fuzzing took {watch.Elapsed}.");
        Assert.True(counts[(int)SignatureStatus.Invalid] > 0, "The fuzzer never reached the HMAC comparison.");
        Assert.True(counts[(int)SignatureStatus.Malformed] > 0, "The fuzzer never produced malformed parameters.");
    }

    private static string Mutate(Random random, string seed)
    {
        var builder = new StringBuilder(seed);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(builder.Length + 1);
            switch (random.Next(5))
            {
                case 0 when builder.Length > 0 && at < builder.Length:
                    builder.Remove(at, Math.Min(random.Next(1, 8), builder.Length - at));
                    break;
                case 1:
                    builder.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2 when at < builder.Length:
                    builder[at] = (char)random.Next(0, 0x10000);
                    break;
                case 3:
                    builder.Insert(at, (char)random.Next(0x20, 0x7F));
                    break;
                default:
                    builder.Append('&').Append(Fragments[random.Next(Fragments.Length)]).Append(Fragments[random.Next(Fragments.Length)]);
                    break;
            }
        }

        return builder.ToString();
    }

    private static string RandomText(Random random, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            if (random.Next(4) == 0)
            {
                builder.Append(Fragments[random.Next(Fragments.Length)]);
            }
            else
            {
                builder.Append(random.Next(3) == 0 ? (char)random.Next(0, 0x10000) : (char)random.Next(0x20, 0x7F));
            }
        }

        return builder.ToString();
    }
}
