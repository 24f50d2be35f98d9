using System.Diagnostics.CodeAnalysis;

namespace CdnProxy.Urls.Presets;

/// <summary>The type of a preset variable; an argument or default must pass its check before it is substituted.</summary>
public enum PresetVariableType
{
    /// <summary>A decimal 32-bit integer, may be negative: <c>300</c>, <c>-249</c>.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Pixelbin's name for the preset variable type.")]
    Integer,

    /// <summary>Any argument value the grammar accepts (visible ASCII except <c>, ) ( ~ : /</c>).</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Pixelbin's name for the preset variable type.")]
    String,

    /// <summary>Hex without <c>#</c>: 6 digits <c>RRGGBB</c> or 8 digits <c>RRGGBBAA</c>, either case.</summary>
    Color,

    /// <summary>One of the variable's <see cref="PresetVariable.Values"/>, compared exactly (case-sensitive).</summary>
    Enum,

    /// <summary><c>true</c>, <c>false</c>, <c>1</c> or <c>0</c>, substituted as written.</summary>
    Boolean,

    /// <summary>A base64 file id: letters, digits, <c>+</c>, <c>=</c>, <c>-</c> and <c>_</c>.</summary>
    File,
}
