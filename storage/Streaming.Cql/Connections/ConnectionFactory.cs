using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streaming.Cql.Cluster;

namespace Streaming.Cql.Connections;

/// <summary>Opens ready connections: TCP (keep-alive, no Nagle), optional TLS, then the protocol handshake.</summary>
internal sealed class ConnectionFactory(CqlClientOptions options, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<CqlConnection>();
    private readonly IAuthProvider? _auth = options.EffectiveAuthProvider;

    public async Task<CqlConnection> OpenAsync(CqlEndpoint endpoint, string? keyspace, CancellationToken cancellationToken)
    {
        var stream = await ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var connection = new CqlConnection(stream, endpoint.ToString(), options.MaxRequestsPerConnection, _logger);
        connection.Start();
        try
        {
            await ConnectionHandshake.RunAsync(connection, _auth, keyspace, options.ConnectTimeout, _logger, cancellationToken).ConfigureAwait(false);
            connection.StartHeartbeat(options.HeartbeatInterval, options.ConnectTimeout);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<Stream> ConnectAsync(CqlEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, deadline.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (!options.Tls.Enabled)
            {
                return stream;
            }

            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = options.Tls.TargetHost ?? endpoint.Host,
                RemoteCertificateValidationCallback = options.Tls.EffectiveValidation,
                ClientCertificates = options.Tls.ClientCertificates,
                EnabledSslProtocols = options.Tls.EnabledProtocols,
            }, deadline.Token).ConfigureAwait(false);
            return tls;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new CqlException($"Connecting to {endpoint} took longer than {options.ConnectTimeout.TotalMilliseconds:F0} ms.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
