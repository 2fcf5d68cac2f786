using Streaming.Cli;

return await CliApp.RunAsync(args);
