using Streaming.Api;

var app = NotificationApi.Build(args);
app.Run();
