[assembly: AssemblyFixture(typeof(Streaming.Testing.LocalStackFixture))]
