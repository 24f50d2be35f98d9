using System.Globalization;

namespace CdnProxy.Core.Assets;

/// <summary>One colour of a palette and the share of the image's (opaque) pixels it stands for.</summary>
/// <param name="Hex">The colour as <c>#rrggbb</c>.</param>
/// <param name="Share">Between 0 and 1.</param>
public sealed record PaletteColor(string Hex, double Share);

/// <summary>
/// A palette by median cut, refined by k-means: the pixels are split, box by box, along the channel with the widest
/// range at its median, until there are as many boxes as colours wanted; then every pixel goes to the nearest box mean,
/// twice. The dominant colour is the one most pixels went to.
/// </summary>
public static class ColorPalette
{
    /// <summary>Up to <paramref name="colors"/> colours of the RGB(A) pixels, largest share first; transparent pixels left out.</summary>
    public static IReadOnlyList<PaletteColor> Of(ReadOnlySpan<byte> pixels, int bands, int colors)
    {
        if (bands is not (3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(bands), "Pixels must be RGB or RGBA.");
        }

        var points = new List<(byte R, byte G, byte B)>(pixels.Length / bands);
        for (var p = 0; p + bands <= pixels.Length; p += bands)
        {
            if (bands == 4 && pixels[p + 3] < 128)
            {
                continue;
            }

            points.Add((pixels[p], pixels[p + 1], pixels[p + 2]));
        }

        if (points.Count == 0)
        {
            return [];
        }

        var boxes = new List<List<(byte R, byte G, byte B)>> { points };
        while (boxes.Count < colors)
        {
            // The box to split: the one with the widest channel range, weighted by how many pixels it holds.
            var (index, channel, score) = boxes
                .Select((box, i) => (i, Widest(box)))
                .Select(t => (t.i, t.Item2.Channel, t.Item2.Range * (double)boxes[t.i].Count))
                .MaxBy(t => t.Item3);
            if (score <= 0)
            {
                break;
            }

            var box = boxes[index];
            box.Sort((a, b) => Channel(a, channel).CompareTo(Channel(b, channel)));
            var half = box.Count / 2;
            boxes[index] = box[..half];
            boxes.Add(box[half..]);
        }

        // Median cut halves boxes by count, so its shares are powers of ½: two rounds of assigning every pixel to the
        // nearest box mean (k-means) make the colours and their shares the image's own.
        var centres = boxes.Where(box => box.Count > 0).Select(Mean).ToList();
        var members = new int[centres.Count];
        for (var round = 0; round < 2; round++)
        {
            var sums = new (double R, double G, double B)[centres.Count];
            Array.Clear(members);
            foreach (var point in points)
            {
                var nearest = Nearest(centres, point);
                members[nearest]++;
                sums[nearest] = (sums[nearest].R + point.R, sums[nearest].G + point.G, sums[nearest].B + point.B);
            }

            for (var c = 0; c < centres.Count; c++)
            {
                if (members[c] > 0)
                {
                    centres[c] = (sums[c].R / members[c], sums[c].G / members[c], sums[c].B / members[c]);
                }
            }
        }

        double total = points.Count;
        return centres
            .Select((centre, c) => (Color: new PaletteColor(Hex(centre), Math.Round(members[c] / total, 4)), Count: members[c]))
            .Where(entry => entry.Count > 0)
            .Select(entry => entry.Color)
            .GroupBy(color => color.Hex, StringComparer.Ordinal)
            .Select(same => new PaletteColor(same.Key, same.Sum(color => color.Share)))
            .OrderByDescending(color => color.Share)
            .ThenBy(color => color.Hex, StringComparer.Ordinal)
            .ToList();
    }

    private static (double R, double G, double B) Mean(List<(byte R, byte G, byte B)> box) =>
        (box.Average(p => p.R), box.Average(p => p.G), box.Average(p => p.B));

    private static int Nearest(List<(double R, double G, double B)> centres, (byte R, byte G, byte B) point)
    {
        var best = 0;
        var bestDistance = double.MaxValue;
        for (var c = 0; c < centres.Count; c++)
        {
            double dr = centres[c].R - point.R, dg = centres[c].G - point.G, db = centres[c].B - point.B;
            var distance = dr * dr + dg * dg + db * db;
            if (distance < bestDistance)
            {
                (best, bestDistance) = (c, distance);
            }
        }

        return best;
    }

    private static (int Channel, int Range) Widest(List<(byte R, byte G, byte B)> box)
    {
        if (box.Count < 2)
        {
            return (0, 0);
        }

        var ranges = new int[3];
        for (var c = 0; c < 3; c++)
        {
            int min = 255, max = 0;
            foreach (var point in box)
            {
                var v = Channel(point, c);
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }

            ranges[c] = max - min;
        }

        var widest = ranges[0] >= ranges[1] ? (ranges[0] >= ranges[2] ? 0 : 2) : (ranges[1] >= ranges[2] ? 1 : 2);
        return (widest, ranges[widest]);
    }

    private static byte Channel((byte R, byte G, byte B) point, int channel) => channel switch
    {
        0 => point.R,
        1 => point.G,
        _ => point.B,
    };

    private static string Hex((double R, double G, double B) colour) =>
        string.Create(CultureInfo.InvariantCulture, $"#{(int)Math.Round(colour.R):x2}{(int)Math.Round(colour.G):x2}{(int)Math.Round(colour.B):x2}");
}
