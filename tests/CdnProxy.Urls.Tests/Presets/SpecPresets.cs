using CdnProxy.Urls.Presets;

namespace CdnProxy.Urls.Tests.Presets;

/// <summary>The presets of spec §6.5.</summary>
internal static class SpecPresets
{
    public static PresetDefinition Thumb { get; } = new("thumb", "t.resize(w:500)~t.blur(s:2)");

    public static PresetDefinition Sized { get; } = new(
        "sized",
        "t.resize(w:$w,h:$h)~t.toFormat(f:$fmt)",
        [
            new PresetVariable("w", PresetVariableType.Integer, "100"),
            new PresetVariable("h", PresetVariableType.Integer, "200"),
            new PresetVariable("fmt", PresetVariableType.Enum, "webp") { Values = ["jpeg", "webp"] },
        ]);

    public static PresetCatalog Catalog { get; } = new([Thumb, Sized]);
}
