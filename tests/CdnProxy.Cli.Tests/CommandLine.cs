using System.CommandLine;

namespace CdnProxy.Cli.Tests;

/// <summary>Runs a command as the shell would, through System.CommandLine's parser, and keeps what it printed.</summary>
internal static class CommandLine
{
    public static (int Exit, string Output, string Error) Run(Command command, params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = command.Parse(arguments).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Fails when <paramref name="error"/> carries .NET's own text rather than the command's: a parameter name, an
    /// "Actual value" line, a type name.
    /// </summary>
    public static void AssertSpeaksInOptions(string error)
    {
        Assert.DoesNotContain("(Parameter '", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Actual value was", error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
    }
}
