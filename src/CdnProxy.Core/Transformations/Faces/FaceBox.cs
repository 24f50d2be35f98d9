namespace CdnProxy.Core.Transformations.Faces;

/// <summary>A face found in an image: a box in that image's pixels.</summary>
public readonly record struct FaceBox(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    /// <summary>The smallest box holding both.</summary>
    public FaceBox Union(FaceBox other)
    {
        int x = Math.Min(X, other.X), y = Math.Min(Y, other.Y);
        return new FaceBox(x, y, Math.Max(Right, other.Right) - x, Math.Max(Bottom, other.Bottom) - y);
    }

    /// <summary>This box in an image <paramref name="scale"/> times as large (rounded outwards, so nothing is lost).</summary>
    public FaceBox Scale(double scale)
    {
        int x = (int)Math.Floor(X * scale), y = (int)Math.Floor(Y * scale);
        return new FaceBox(x, y, (int)Math.Ceiling(Right * scale) - x, (int)Math.Ceiling(Bottom * scale) - y);
    }

    /// <summary>Intersection over union: 1 for the same box, 0 for boxes that do not touch.</summary>
    public double Overlap(FaceBox other)
    {
        int w = Math.Min(Right, other.Right) - Math.Max(X, other.X), h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        double shared = (double)w * h;
        return shared / (((double)Width * Height) + ((double)other.Width * other.Height) - shared);
    }
}
