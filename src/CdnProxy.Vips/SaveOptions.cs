using NetVips;

namespace CdnProxy.Vips;

/// <summary>
/// A saver's options. Options marked "if supported" are dropped when the loaded libvips' saver lacks them (argument
/// names and features differ between 8.14 and 8.18), instead of failing the save.
/// </summary>
public sealed class SaveOptions
{
    private readonly List<(string Name, object Value, bool Required)> _entries = [];

    /// <summary>An option the saver must take.</summary>
    public SaveOptions Add(string name, object value)
    {
        _entries.Add((name, value, true));
        return this;
    }

    /// <summary>An option passed only when this libvips' saver has it.</summary>
    public SaveOptions AddIfSupported(string name, object value)
    {
        _entries.Add((name, value, false));
        return this;
    }

    internal VOption ToVOption(Introspect saver)
    {
        var options = new VOption();
        foreach (var (name, value, required) in _entries)
        {
            if (required || saver.OptionalInput.ContainsKey(name))
            {
                options.Add(name, value);
            }
        }

        return options;
    }
}
