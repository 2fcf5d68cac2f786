[assembly: Streaming.Testing.HangWatch]
