using System.CommandLine;
using CdnProxy.Cli;

var root = new RootCommand("CdnProxy command-line tools.")
{
    ParseCommand.Create(),
    BuildCommand.Create(),
    SignCommand.Create(),
    UploadCommand.Create(),
    WarmCommand.Create(),
};

return root.Parse(args).Invoke();
