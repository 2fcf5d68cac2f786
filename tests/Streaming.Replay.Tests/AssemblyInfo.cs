[assembly: AssemblyFixture(typeof(Streaming.Testing.LocalStackFixture))]
[assembly: Streaming.Testing.HangWatch]
