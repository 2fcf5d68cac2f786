using System.Reflection;
using System.Runtime.ExceptionServices;
using Confluent.Kafka;

namespace Streaming.Processors;

/// <summary>Forwards every call to the admin client it wraps; Dispose reaches it once, however often it is called.</summary>
public class OnceDisposedAdminClient : DispatchProxy
{
    private int disposed;

    internal IAdminClient Target { get; set; } = null!;

    internal bool Disposed => Volatile.Read(ref disposed) == 1;

    internal void DisposeOnce()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            Target.Dispose();
        }
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IDisposable.Dispose) && targetMethod.GetParameters().Length == 0)
        {
            DisposeOnce();
            return null;
        }

        try
        {
            return targetMethod.Invoke(Target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
