using Streaming.Monitoring.Host;

// dotnet run --project monitoring/Streaming.Monitoring.Host   (groups from LagMonitor:Groups, else the platform's own)
var builder = Host.CreateApplicationBuilder(args);
builder.AddLagMonitorHost();
await builder.Build().RunAsync();
