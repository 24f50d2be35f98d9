using System.Security.Cryptography;
using System.Text;
using CdnProxy.Urls.Security;

namespace CdnProxy.Urls.Tests.Security;

/// <summary>
/// The fast <see cref="SignatureVerifier"/> must decide exactly as the straightforward
/// <see cref="ReferenceSignatureVerifier"/> does (same status, cleaned query, access key, expiry and matched variant),
/// including for URLs validly signed with each variant's signed string and for hostile input.
/// </summary>
public class SignatureVerifierDifferentialTests
{
    private const int Iterations = 30_000;

    private static readonly string[] PathFragments =
    [
        "a", "v2", "demo", "/", "//", ".", "..", "t.resize(h:100,w:200)", "~", "^", "|", "[", "]", "'", "\"", "#", "+", ";",
        "%20", "%2e", "%C3%A9", "%e6%97%a5", "%", "%2", "%zz", "%25", "%FF", "%ED%A0%80", " ", "é", "日", "😀", "\ud800",
        "\udc00", "\u00ff", "\0", "\\", "?", "&", "=", "pbs", "x.jpg",
    ];

    private static readonly string[] QueryFragments =
    [
        "a", "dpr", "2", "f_auto", "true", "", "~", "%7E", "%7e", "+", "%20", "%2B", "%26", "%3D", "=", "é", "%C3%A9", "%FF",
        "%ED%A0%80", "😀", "\ud800", "\udc00", "'", "\"", "#", "<", "^", "%", "%2", "*", "-", ".", "_", "!", "(", ")", ",",
    ];

    private static readonly SigningKey[] Keys = [new("ak-1", "tok-1"), new("ak-é", "tök-2"), new("ak\ufffd", "tok-3")];

    private static readonly SigningKeyRing Ring = new(Keys);

    private static readonly SignatureVerifierOptions AllowUnsignedQuery = new() { AllowUnsignedQuery = true };

    [Fact]
    public void Verify_RandomUrls_DecidesExactlyAsTheReference()
    {
        var random = new Random(20250117);
        var time = FixedTimeProvider.AtUnixSeconds(1700000000);
        SignatureVerifierOptions?[] choices =
            [null, new SignatureVerifierOptions { MaxLifetime = TimeSpan.FromHours(1) }, AllowUnsignedQuery];
        var statuses = new int[Enum.GetValues<SignatureStatus>().Length];
        var variants = new int[Enum.GetValues<SignedStringVariant>().Length];

        for (var i = 0; i < Iterations; i++)
        {
            var path = RandomPath(random);
            var query = RandomQuery(random);
            var (rawQuery, key) = Sign(random, path, query, time);
            var chosenOptions = choices[random.Next(choices.Length)];

            var expected = ReferenceSignatureVerifier.Verify(path, rawQuery, Ring, time, chosenOptions);
            var actual = SignatureVerifier.Verify(path, rawQuery, Ring, time, chosenOptions);

            Assert.True(expected == actual, $"path {Escape(path)} query {Escape(rawQuery)} key {key}: expected {expected}, got {actual}");
            statuses[(int)actual.Status]++;
            if (actual.Variant is { } variant)
            {
                variants[(int)variant]++;
            }
        }

        foreach (var status in Enum.GetValues<SignatureStatus>())
        {
            Assert.True(statuses[(int)status] > 0, $"No input produced {status}.");
        }

        foreach (var variant in Enum.GetValues<SignedStringVariant>())
        {
            Assert.True(variants[(int)variant] > 0, $"No input matched {variant}.");
        }
    }

    [Fact]
    public void Verify_LongUrl_DecidesExactlyAsTheReference()
    {
        var time = FixedTimeProvider.AtUnixSeconds(1700000000);
        var path = "/" + string.Concat(Enumerable.Repeat("dir%20é/日😀~", 2000));
        var query = string.Concat(Enumerable.Repeat("x=a+b%7E&flag&", 2000)) + "e=";
        var (rawQuery, _) = Sign(new Random(1), path, query, time);

        Assert.Equal(
            ReferenceSignatureVerifier.Verify(path, rawQuery, Ring, time),
            SignatureVerifier.Verify(path, rawQuery, Ring, time));
    }

    /// <summary>Adds pbs/pbe/pbt to <paramref name="query"/>: usually a valid signature of one candidate signed string.</summary>
    private static (string RawQuery, string Key) Sign(Random random, string path, string query, TimeProvider time)
    {
        var key = Keys[random.Next(Keys.Length)];
        if (random.Next(20) == 0)
        {
            return (query + "&pbe=1700000060&pbt=ak-1", key.AccessKey); // No pbs at all.
        }

        var pbe = random.Next(10) switch
        {
            0 => "1699990000",
            1 => "1700000001.5",
            2 => "1.7e9",
            3 => "1800000000",
            4 => random.Next(3) == 0 ? "soon" : "%31700000060",
            _ => "1700000060",
        };
        var accessKey = random.Next(12) == 0 ? "ak-unknown" : key.AccessKey;
        const string placeholder = "0000000000000000000000000000000000000000000000000000000000000000";
        string Build(string pbs)
        {
            var pbtValue = Uri.EscapeDataString(accessKey);
            var signature = random.Next(8) switch
            {
                0 => $"pb%73={pbs}&pbe={pbe}&pbt={pbtValue}",
                1 => $"pbt={pbtValue}&pbs={pbs}&pbe={pbe}",
                2 => $"pbs={pbs}&pbe={pbe}&pbt={pbtValue}&pbt={pbtValue}",
                3 => $"pbs={pbs}&pbe={pbe}",
                4 => $"pbs={pbs}&pbe={pbe}&pbt={accessKey}",
                _ => $"pbs={pbs}&pbe={pbe}&pbt={pbtValue}",
            };
            return query.Length == 0 ? "?" + signature : random.Next(3) == 0 ? signature + "&" + query : query + "&" + signature;
        }

        var withPlaceholder = Build(placeholder);
        var candidates = new List<(SignedStringVariant Variant, byte[] Message)>();
        // Every candidate, path-only ones with a query included: a signer may use them, whatever the verifier accepts.
        _ = ReferenceSignatureVerifier.Verify(path, withPlaceholder, Ring, time, AllowUnsignedQuery, candidates);
        var pbs = candidates.Count > 0 && random.Next(8) != 0
            ? Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.Token), candidates[random.Next(candidates.Count)].Message))
            : random.Next(4) switch
            {
                0 => "zz",
                1 => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
                _ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            };
        return (withPlaceholder.Replace(placeholder, pbs, StringComparison.Ordinal), key.AccessKey);
    }

    private static string RandomPath(Random random)
    {
        var builder = new StringBuilder(random.Next(4) == 0 ? string.Empty : "/");
        var count = random.Next(0, 8);
        for (var i = 0; i < count; i++)
        {
            builder.Append(PathFragments[random.Next(PathFragments.Length)]);
        }

        return builder.ToString();
    }

    private static string RandomQuery(Random random)
    {
        var builder = new StringBuilder();
        var pairs = random.Next(0, 4);
        for (var i = 0; i < pairs; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }

            builder.Append(QueryFragments[random.Next(QueryFragments.Length)]).Append(QueryFragments[random.Next(QueryFragments.Length)]);
            switch (random.Next(4))
            {
                case 0:
                    break; // a bare name
                case 1:
                    builder.Append('='); // an empty value
                    break;
                default:
                    builder.Append('=').Append(QueryFragments[random.Next(QueryFragments.Length)]).Append(QueryFragments[random.Next(QueryFragments.Length)]);
                    break;
            }
        }

        return builder.ToString();
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}
