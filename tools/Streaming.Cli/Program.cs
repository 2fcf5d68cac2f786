using Streaming.Cli;

return await CliApp.Create().Parse(args).InvokeAsync();
