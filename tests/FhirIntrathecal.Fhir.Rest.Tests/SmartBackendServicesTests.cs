using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FhirIntrathecal.Fhir.Rest.Tests;

/// <summary>
/// SMART Backend Services against a fake authorization server that validates the client assertion the way a real
/// one must: signature with the registered public key, algorithm, iss = sub = client id, aud = token endpoint,
/// a short exp and a never-reused jti.
/// </summary>
public sealed class SmartBackendServicesTests
{
    private const string ClientId = "intrathecal-registry";

    [Theory]
    [InlineData("RS384")]
    [InlineData("ES384")]
    public async Task Discovers_the_token_endpoint_signs_a_valid_assertion_and_sends_the_token(string algorithm)
    {
        using var keys = new KeyPair(algorithm);
        await using var auth = await FakeAuthServer.StartAsync(keys.Public, algorithm);
        using var fhir = auth.Client(keys.Private, algorithm);

        var patient = await fhir.Client.ReadAsync<Patient>("1");

        Assert.Equal("1", patient.Id);
        Assert.Equal(1, auth.TokensIssued);
        Assert.Empty(auth.Rejections);
        Assert.Contains("GET /fhir/.well-known/smart-configuration", auth.Server.Log);
    }

    [Fact]
    public async Task The_token_is_cached_and_concurrent_callers_share_one_refresh()
    {
        using var keys = new KeyPair("RS384");
        await using var auth = await FakeAuthServer.StartAsync(keys.Public, "RS384", tokenDelay: TimeSpan.FromMilliseconds(200));
        using var fhir = auth.Client(keys.Private, "RS384");

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => fhir.Client.ReadAsync<Patient>("1")));
        await fhir.Client.ReadAsync<Patient>("1");

        Assert.Equal(1, auth.TokensIssued);
    }

    [Fact]
    public async Task The_token_is_renewed_before_it_expires()
    {
        using var keys = new KeyPair("RS384");
        await using var auth = await FakeAuthServer.StartAsync(keys.Public, "RS384", expiresIn: 2);
        using var fhir = auth.Client(keys.Private, "RS384", renewBefore: TimeSpan.FromSeconds(1));

        await fhir.Client.ReadAsync<Patient>("1");
        await fhir.Client.ReadAsync<Patient>("1");
        Assert.Equal(1, auth.TokensIssued);

        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        await fhir.Client.ReadAsync<Patient>("1");
        Assert.Equal(2, auth.TokensIssued);
        Assert.Empty(auth.Rejections);
    }

    [Fact]
    public async Task A_401_drops_the_token_gets_a_new_one_and_retries_once()
    {
        using var keys = new KeyPair("ES384");
        await using var auth = await FakeAuthServer.StartAsync(keys.Public, "ES384");
        using var fhir = auth.Client(keys.Private, "ES384");
        await fhir.Client.ReadAsync<Patient>("1");

        auth.RevokeAll();
        var patient = await fhir.Client.ReadAsync<Patient>("1");

        Assert.NotNull(patient);
        Assert.Equal(2, auth.TokensIssued);
        Assert.Equal(1, auth.Unauthorized);
    }

    [Fact]
    public async Task A_second_401_is_the_answer_not_a_loop()
    {
        using var keys = new KeyPair("RS384");
        await using var auth = await FakeAuthServer.StartAsync(keys.Public, "RS384", rejectAll: true);
        using var fhir = auth.Client(keys.Private, "RS384");

        var ex = await Assert.ThrowsAsync<FhirUnauthorizedException>(() => fhir.Client.ReadAsync<Patient>("1"));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.Status);
        Assert.Equal(2, auth.Unauthorized);
    }

    [Fact]
    public async Task A_key_the_server_does_not_know_is_refused_with_the_oauth_error()
    {
        using var registered = new KeyPair("RS384");
        using var other = new KeyPair("RS384");
        await using var auth = await FakeAuthServer.StartAsync(registered.Public, "RS384");
        using var fhir = auth.Client(other.Private, "RS384");

        var ex = await Assert.ThrowsAsync<SmartAuthException>(() => fhir.Client.ReadAsync<Patient>("1"));

        Assert.Contains("invalid_client", ex.Message);
        Assert.Single(auth.Rejections);
    }

    [Fact]
    public async Task Secrets_never_reach_the_logs()
    {
        using var keys = new KeyPair("RS384");
        await using var auth = await FakeAuthServer.StartAsync(keys.Public, "RS384");
        var logs = new CapturingLoggerFactory();
        using (var fhir = auth.Client(keys.Private, "RS384", logging: logs))
        {
            await fhir.Client.ReadAsync<Patient>("1");
            auth.RevokeAll();
            await fhir.Client.ReadAsync<Patient>("1");
        }

        const string basicPassword = "s3cret-basic-pa55";
        const string staticToken = "static-bearer-t0ken";
        await using var plain = await FakeServer.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = 401;
            return Task.CompletedTask;
        });
        foreach (FhirAuthentication authn in new FhirAuthentication[] { new BasicAuthentication("user", basicPassword), new BearerTokenAuthentication(staticToken) })
        {
            using var client = FhirClientFactory.Create(
                new FhirEndpoint { Settings = new FhirClientSettings { BaseUri = plain.FhirBase }, Authentication = authn, Resilience = FakeServer.FastResilience },
                logs);
            var ex = await Assert.ThrowsAsync<FhirUnauthorizedException>(() => client.Client.ReadAsync<Patient>("1"));
            logs.Lines.Enqueue(ex.ToString());
            logs.Lines.Enqueue(authn.ToString());
        }

        var all = logs.All;
        Assert.Contains("Access token obtained", all);
        Assert.Contains("rejected by the server", all);
        foreach (var secret in auth.IssuedTokens.Concat(auth.Assertions).Append(basicPassword).Append(staticToken)
            .Append(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("user:" + basicPassword))))
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }

        Assert.NotEmpty(auth.IssuedTokens);
        Assert.NotEmpty(auth.Assertions);
    }

    [Fact]
    public async Task Credentials_are_not_sent_to_another_host()
    {
        await using var other = await FakeServer.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = ctx.Request.Headers.Authorization.Count == 0 ? 200 : 500;
            return Task.CompletedTask;
        });
        await using var server = await FakeServer.StartAsync((ctx, _) => FakeServer.WriteResourceAsync(ctx, FakeServer.Patient()));
        using var fhir = FhirClientFactory.Create(new FhirEndpoint
        {
            Settings = new FhirClientSettings { BaseUri = server.FhirBase },
            Authentication = new BearerTokenAuthentication("t"),
        });

        using var response = await fhir.Http.GetAsync(new Uri(other.Root, "file.ndjson"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal sealed class KeyPair : IDisposable
    {
        private readonly AsymmetricAlgorithm _key;

        public KeyPair(string algorithm)
        {
            if (algorithm == "ES384")
            {
                var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
                _key = ec;
                Private = new ECDsaSecurityKey(ec) { KeyId = "k1" };
                Public = new ECDsaSecurityKey(ECDsa.Create(ec.ExportParameters(false))) { KeyId = "k1" };
            }
            else
            {
                var rsa = RSA.Create(2048);
                _key = rsa;
                Private = new RsaSecurityKey(rsa) { KeyId = "k1" };
                Public = new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "k1" };
            }
        }

        public SecurityKey Private { get; }

        public SecurityKey Public { get; }

        public void Dispose() => _key.Dispose();
    }

    /// <summary>A SMART authorization server and a protected FHIR endpoint in one Kestrel.</summary>
    internal sealed class FakeAuthServer : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, bool> _valid = new();
        private readonly ConcurrentDictionary<string, bool> _jtis = new();
        private int _issued;
        private int _unauthorized;

        private FakeAuthServer()
        {
        }

        public FakeServer Server { get; private set; } = null!;

        public int TokensIssued => Volatile.Read(ref _issued);

        public int Unauthorized => Volatile.Read(ref _unauthorized);

        public ConcurrentQueue<string> Rejections { get; } = new();

        public ConcurrentQueue<string> IssuedTokens { get; } = new();

        public ConcurrentQueue<string> Assertions { get; } = new();

        public static async Task<FakeAuthServer> StartAsync(SecurityKey publicKey, string algorithm, int expiresIn = 300, TimeSpan? tokenDelay = null, bool rejectAll = false)
        {
            var fake = new FakeAuthServer();
            fake.Server = await FakeServer.StartAsync(async (ctx, _) =>
            {
                var path = ctx.Request.Path.Value!;
                if (path == "/fhir/.well-known/smart-configuration")
                {
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["token_endpoint"] = new Uri(fake.Server.Root, "auth/token").AbsoluteUri,
                        ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
                        ["token_endpoint_auth_signing_alg_values_supported"] = new[] { "RS384", "ES384" },
                    }));
                    return;
                }

                if (path == "/auth/token")
                {
                    await fake.TokenAsync(ctx, publicKey, algorithm, expiresIn, tokenDelay);
                    return;
                }

                var auth = ctx.Request.Headers.Authorization.ToString();
                if (rejectAll || !auth.StartsWith("Bearer ", StringComparison.Ordinal) || !fake._valid.ContainsKey(auth[7..]))
                {
                    Interlocked.Increment(ref fake._unauthorized);
                    ctx.Response.StatusCode = 401;
                    return;
                }

                await FakeServer.WriteResourceAsync(ctx, FakeServer.Patient());
            });
            return fake;
        }

        public void RevokeAll() => _valid.Clear();

        public OwnedFhirClient Client(SecurityKey key, string algorithm, TimeSpan? renewBefore = null, CapturingLoggerFactory? logging = null) =>
            FhirClientFactory.Create(
                new FhirEndpoint
                {
                    Settings = new FhirClientSettings { BaseUri = Server.FhirBase },
                    Resilience = FakeServer.FastResilience,
                    Authentication = new SmartBackendServicesAuthentication(new SmartBackendServicesOptions
                    {
                        ClientId = ClientId,
                        Scope = "system/Patient.read system/Observation.read",
                        SigningKey = key,
                        Algorithm = algorithm,
                        RenewBefore = renewBefore ?? TimeSpan.FromSeconds(60),
                    }),
                },
                logging);

        public ValueTask DisposeAsync() => Server.DisposeAsync();

        private async Task TokenAsync(HttpContext ctx, SecurityKey publicKey, string algorithm, int expiresIn, TimeSpan? delay)
        {
            var form = await ctx.Request.ReadFormAsync();
            var assertion = form["client_assertion"].ToString();
            Assertions.Enqueue(assertion);
            var error = await CheckAsync(form, assertion, publicKey, algorithm);
            if (error is not null)
            {
                Rejections.Enqueue(error);
                ctx.Response.StatusCode = 401;
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(JsonSerializer.Serialize(new { error = "invalid_client", error_description = error }));
                return;
            }

            if (delay is { } d)
            {
                await Task.Delay(d);
            }

            var token = $"tok-{Interlocked.Increment(ref _issued)}-{Guid.NewGuid():N}";
            IssuedTokens.Enqueue(token);
            _valid[token] = true;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(JsonSerializer.Serialize(new { access_token = token, token_type = "bearer", expires_in = expiresIn, scope = form["scope"].ToString() }));
        }

        private async Task<string?> CheckAsync(IFormCollection form, string assertion, SecurityKey publicKey, string algorithm)
        {
            if (form["grant_type"] != "client_credentials" || form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            {
                return "wrong grant_type or client_assertion_type";
            }

            if (string.IsNullOrEmpty(form["scope"]))
            {
                return "no scope";
            }

            var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
            {
                ValidIssuer = ClientId,
                ValidAudience = new Uri(Server.Root, "auth/token").AbsoluteUri,
                IssuerSigningKey = publicKey,
                ValidAlgorithms = [algorithm],
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.Zero,
            });
            if (!result.IsValid)
            {
                return "assertion invalid: " + result.Exception?.GetType().Name;
            }

            var jwt = (JsonWebToken)result.SecurityToken;
            if (jwt.Subject != ClientId || jwt.Kid != "k1" || jwt.Alg != algorithm || jwt.Typ != "JWT")
            {
                return $"header/sub wrong: sub={jwt.Subject} kid={jwt.Kid} alg={jwt.Alg} typ={jwt.Typ}";
            }

            if (jwt.ValidTo - DateTime.UtcNow > TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5))
            {
                return "exp more than five minutes ahead";
            }

            return jwt.Id is { Length: > 0 } jti && _jtis.TryAdd(jti, true) ? null : "jti missing or reused";
        }
    }
}
