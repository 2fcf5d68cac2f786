using System.Text;

namespace Streaming.Cql.Connections;

/// <summary>Makes a SASL authenticator for a host that answered STARTUP with AUTHENTICATE (section 4.2.3).</summary>
public interface IAuthProvider
{
    /// <param name="host">The host (host:port) being authenticated to.</param>
    /// <param name="authenticatorClass">The server's IAuthenticator class name.</param>
    IAuthenticator NewAuthenticator(string host, string authenticatorClass);
}

/// <summary>One SASL exchange: an initial response, then an answer per AUTH_CHALLENGE until AUTH_SUCCESS.</summary>
public interface IAuthenticator
{
    byte[]? InitialResponse();

    byte[]? EvaluateChallenge(byte[]? challenge);
}

/// <summary>
/// SASL PLAIN (RFC 4616) as PasswordAuthenticator expects it: the token "\0user\0password" in UTF-8.
/// A challenge (which PasswordAuthenticator never sends) is answered with the same credentials.
/// </summary>
public sealed class PlainTextAuthProvider(string username, string password) : IAuthProvider, IAuthenticator
{
    public IAuthenticator NewAuthenticator(string host, string authenticatorClass) => this;

    public byte[]? InitialResponse()
    {
        var user = Encoding.UTF8.GetBytes(username);
        var pass = Encoding.UTF8.GetBytes(password);
        var token = new byte[user.Length + pass.Length + 2];
        user.CopyTo(token, 1);
        pass.CopyTo(token, user.Length + 2);
        return token;
    }

    public byte[]? EvaluateChallenge(byte[]? challenge) => InitialResponse();
}
