namespace FhirIntrathecal.Fhir.Rest.Safety;

/// <summary>The one place the client's transport handler is built and its credentials policy checked.</summary>
public static class FhirTransport
{
    /// <summary>The primary handler of every client we build (FHIR, SMART token, bulk download): it never follows redirects.</summary>
    public static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>A caller-supplied transport, with automatic redirects turned off when it is one of the framework's handlers.</summary>
    public static HttpMessageHandler WithoutRedirects(HttpMessageHandler transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        switch (transport)
        {
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
        }

        return transport;
    }

    /// <summary>Throws when credentials would travel in clear text to a host other than this machine.</summary>
    public static void EnsureCredentialsAllowed(Uri server, FhirTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        if (server.Scheme == Uri.UriSchemeHttp && !server.IsLoopback && !options.AllowCredentialsOverHttp)
        {
            throw new InsecureCredentialsException(
                $"Refusing to send credentials to {server.GetLeftPart(UriPartial.Authority)} over plain http: use https, or allow it explicitly (AllowCredentialsOverHttp).");
        }
    }
}

/// <summary>Credentials configured for a plain-http server that is not on this machine.</summary>
public sealed class InsecureCredentialsException : InvalidOperationException
{
    public InsecureCredentialsException()
    {
    }

    public InsecureCredentialsException(string message)
        : base(message)
    {
    }

    public InsecureCredentialsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
