using Streaming.Senders.Host;

// dotnet run --project senders/Streaming.Senders.Host -- --channel sms   (default: every channel in Senders:Channels)
var builder = Host.CreateApplicationBuilder(args);
builder.AddSenders();
await builder.Build().RunAsync();
