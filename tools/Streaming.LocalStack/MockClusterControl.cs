using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Streaming.LocalStack;

/// <summary>
/// Calls into librdkafka's mock-cluster API (rdkafka_mock.h), which Confluent.Kafka does not wrap, on the mock cluster that
/// lives inside a client handle started with <c>test.mock.num.brokers</c>. It binds to the librdkafka that Confluent.Kafka
/// loaded (found among the process's mapped files on Linux, else by the names Confluent.Kafka loads), so the mock cluster
/// pointer and the functions come from the same library.
/// </summary>
internal sealed class MockClusterControl
{
    private readonly IntPtr mockCluster;
    private readonly DeleteRecordsFn deleteRecords;

    private MockClusterControl(IntPtr mockCluster, DeleteRecordsFn deleteRecords)
    {
        this.mockCluster = mockCluster;
        this.deleteRecords = deleteRecords;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr HandleMockClusterFn(IntPtr rk);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int DeleteRecordsFn(IntPtr mcluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partition, long beforeOffset);

    /// <summary>Binds to the mock cluster inside <paramref name="owner"/>, or says why it cannot.</summary>
    public static MockClusterControl? TryBind(IClient owner, out string? why)
    {
        var library = LoadedLibrdkafka();
        if (library == IntPtr.Zero)
        {
            why = "the loaded librdkafka could not be found";
            return null;
        }

        if (!NativeLibrary.TryGetExport(library, "rd_kafka_handle_mock_cluster", out var handleFn)
            || !NativeLibrary.TryGetExport(library, "rd_kafka_mock_partition_delete_records", out var deleteFn))
        {
            why = $"librdkafka {Library.VersionString} has no rd_kafka_mock_partition_delete_records (2.15 added it)";
            return null;
        }

        // Confluent.Kafka keeps the rd_kafka_t of a client in an internal SafeHandle; the mock API needs that pointer.
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic);
        if (property?.GetValue(owner.Handle) is not SafeHandle { IsInvalid: false } rk)
        {
            why = "Confluent.Kafka no longer exposes the client's librdkafka handle the way this code expects";
            return null;
        }

        var mock = Marshal.GetDelegateForFunctionPointer<HandleMockClusterFn>(handleFn)(rk.DangerousGetHandle());
        if (mock == IntPtr.Zero)
        {
            why = "the client has no mock cluster (it was not started with test.mock.num.brokers)";
            return null;
        }

        why = null;
        return new MockClusterControl(mock, Marshal.GetDelegateForFunctionPointer<DeleteRecordsFn>(deleteFn));
    }

    /// <summary>Moves the partition's log start offset to <paramref name="beforeOffset"/>, dropping the batches fully before it.</summary>
    public ErrorCode DeleteRecords(string topic, int partition, long beforeOffset) => (ErrorCode)deleteRecords(mockCluster, topic, partition, beforeOffset);

    private static IntPtr LoadedLibrdkafka()
    {
        // Linux: the exact file Confluent.Kafka loaded (it tries librdkafka.so, then a build without GSSAPI linkage).
        if (OperatingSystem.IsLinux() && File.Exists("/proc/self/maps"))
        {
            var path = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length >= 6)
                .Select(fields => string.Join(' ', fields.Skip(5)))
                .FirstOrDefault(p => Path.GetFileName(p).EndsWith("librdkafka.so", StringComparison.Ordinal));
            if (path is not null && NativeLibrary.TryLoad(path, out var mapped))
            {
                return mapped;
            }
        }

        foreach (var name in new[] { "librdkafka", "centos8-librdkafka", "alpine-librdkafka" })
        {
            if (NativeLibrary.TryLoad(name, typeof(Library).Assembly, null, out var loaded))
            {
                return loaded;
            }
        }

        return IntPtr.Zero;
    }
}
