using Streaming.Processors.Host;

var builder = Host.CreateApplicationBuilder(args);
builder.AddProcessorHost();
await builder.Build().RunAsync();
