using System.Diagnostics;
using System.Net;
using FhirIntrathecal.Fhir.Model;
using FhirIntrathecal.Fhir.Rest.Resilience;
using Microsoft.AspNetCore.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FhirIntrathecal.Fhir.Rest.Tests;

/// <summary>Each fault the client must survive or report, injected by an in-test Kestrel server, with the client's behaviour asserted.</summary>
public sealed class FaultInjectionTests
{
    [Fact]
    public async Task A_429_with_Retry_After_is_retried_after_the_servers_delay_not_the_backoff()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, n) =>
        {
            if (n == 1)
            {
                ctx.Response.StatusCode = 429;
                ctx.Response.Headers.RetryAfter = "1";
                return;
            }

            await FakeServer.WriteResourceAsync(ctx, FakeServer.Patient());
        });
        using var fhir = server.Client();

        var sw = Stopwatch.StartNew();
        var patient = await fhir.Client.ReadAsync<Patient>("1");

        Assert.Equal("1", patient.Id);
        Assert.Equal(2, server.Requests);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited only {sw.ElapsedMilliseconds} ms; Retry-After: 1 was not honoured");
    }

    [Fact]
    public async Task A_Retry_After_longer_than_allowed_fails_at_once_instead_of_stalling()
    {
        await using var server = await FakeServer.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = 503;
            ctx.Response.Headers.RetryAfter = "3600";
            return Task.CompletedTask;
        });
        using var fhir = server.Client(FakeServer.FastResilience with { MaxRetryAfter = TimeSpan.FromSeconds(5) });

        var ex = await Assert.ThrowsAsync<FhirOperationException>(() => fhir.Client.ReadAsync<Patient>("1"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.Status);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_burst_of_503s_is_ridden_out_by_retrying_a_safe_request()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, n) =>
        {
            if (n <= 3)
            {
                ctx.Response.StatusCode = 503;
                return;
            }

            await FakeServer.WriteResourceAsync(ctx, FakeServer.Patient());
        });
        using var fhir = server.Client();

        var patient = await fhir.Client.ReadAsync<Patient>("1");

        Assert.NotNull(patient);
        Assert.Equal(4, server.Requests);
    }

    [Fact]
    public async Task A_503_burst_longer_than_the_retry_budget_surfaces_the_status()
    {
        await using var server = await FakeServer.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        using var fhir = server.Client();

        var ex = await Assert.ThrowsAsync<FhirOperationException>(() => fhir.Client.ReadAsync<Patient>("1"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.Status);
        Assert.Equal(1 + FakeServer.FastResilience.MaxRetryAttempts, server.Requests);
    }

    [Fact]
    public async Task A_plain_create_is_never_repeated_but_a_conditional_create_is()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, n) =>
        {
            if (ctx.Request.Headers.ContainsKey("If-None-Exist") && n > 2)
            {
                await FakeServer.WriteResourceAsync(ctx, FakeServer.Patient(), 201);
                return;
            }

            ctx.Response.StatusCode = 503;
        });
        using var fhir = server.Client();

        // Plain POST: repeating it could create a duplicate, so one attempt and the 503 comes back.
        var ex = await Assert.ThrowsAsync<FhirOperationException>(() => fhir.Client.CreateAsync(new Patient()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.Status);
        Assert.Equal(1, server.Requests);

        // Conditional create: the server dedupes, so a retry is harmless.
        var created = await fhir.Client.CreateAsync(new Patient(), SearchParameters.Empty.Identifier("urn:test", "42"));
        Assert.True(created.Created);
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task A_transaction_is_retried_only_when_all_its_creates_are_conditional()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, n) =>
        {
            if (n <= 2)
            {
                ctx.Response.StatusCode = 502;
                return;
            }

            var response = new Bundle { Type = "transaction-response" };
            response.Entry.Add(new Bundle.EntryComponent { Response = new Bundle.ResponseComponent { Status = "201 Created", Location = "Patient/9/_history/1" } });
            await FakeServer.WriteResourceAsync(ctx, response);
        });
        using var fhir = server.Client();

        var unsafeTx = new TransactionBuilder().Create(new Patient());
        await Assert.ThrowsAsync<FhirOperationException>(() => fhir.Client.TransactionAsync(unsafeTx));
        Assert.Equal(1, server.Requests);

        var safeTx = new TransactionBuilder().Create(new Patient(), ifNoneExist: SearchParameters.Empty.Identifier("urn:test", "1"));
        var result = await fhir.Client.TransactionAsync(safeTx);
        Assert.Equal(3, server.Requests);
        Assert.Equal("9", Assert.Single(result.Entries).Identity?.Id);
    }

    [Fact]
    public async Task A_hung_response_times_out_per_attempt_and_is_retried()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, n) =>
        {
            if (n == 1)
            {
                // Never answers within the attempt timeout.
                await Task.Delay(TimeSpan.FromSeconds(20), ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await FakeServer.WriteResourceAsync(ctx, FakeServer.Patient());
        });
        using var fhir = server.Client(FakeServer.FastResilience with { AttemptTimeout = FakeServer.ShortAttempt });

        var sw = Stopwatch.StartNew();
        var patient = await fhir.Client.ReadAsync<Patient>("1");

        Assert.NotNull(patient);
        Assert.Equal(2, server.Requests);
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_body_that_hangs_after_the_headers_is_covered_by_the_attempt_timeout()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, _) =>
        {
            ctx.Response.ContentType = "application/fhir+json";
            ctx.Response.ContentLength = 1000;
            await ctx.Response.WriteAsync("{\"resourceType\":\"Patient\",");
            await ctx.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(20), ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var fhir = server.Client(FakeServer.FastResilience with { MaxRetryAttempts = 1, AttemptTimeout = FakeServer.ShortAttempt });

        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAsync<TimeoutRejectedException>(() => fhir.Client.ReadAsync<Patient>("1"));

        Assert.Equal(2, server.Requests);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_total_timeout_bounds_all_attempts_together()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, _) =>
            await Task.Delay(TimeSpan.FromSeconds(20), ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));
        using var fhir = server.Client(FakeServer.FastResilience with { MaxRetryAttempts = 10, AttemptTimeout = TimeSpan.FromMilliseconds(300), TotalTimeout = TimeSpan.FromMilliseconds(1200) });

        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAsync<TimeoutRejectedException>(() => fhir.Client.ReadAsync<Patient>("1"));

        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(1100), TimeSpan.FromSeconds(4));
        // Several attempts fit in the budget; under heavy load a retry may not reach the server before it runs out.
        Assert.InRange(server.Requests, 1, 5);
    }

    [Fact]
    public async Task A_connection_reset_is_a_network_fault_and_is_retried()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, n) =>
        {
            if (n <= 2)
            {
                ctx.Abort();
                return;
            }

            await FakeServer.WriteResourceAsync(ctx, FakeServer.Patient());
        });
        using var fhir = server.Client();

        var patient = await fhir.Client.ReadAsync<Patient>("1");

        Assert.NotNull(patient);
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task Malformed_json_is_a_format_error_and_is_not_retried()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, _) =>
        {
            ctx.Response.ContentType = "application/fhir+json";
            await ctx.Response.WriteAsync("{\"resourceType\":\"Patient\",\"active\":tru");
        });
        using var fhir = server.Client();

        var ex = await Assert.ThrowsAsync<FhirFormatException>(() => fhir.Client.ReadAsync<Patient>("1"));

        Assert.Equal(HttpStatusCode.OK, ex.Status);
        Assert.NotEmpty(ex.Issues);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_stale_If_Match_is_a_412_with_the_servers_outcome()
    {
        await using var server = await FakeServer.StartAsync(async (ctx, _) =>
        {
            Assert.Equal("W/\"1\"", ctx.Request.Headers.IfMatch.ToString());
            await FakeServer.WriteResourceAsync(ctx, FakeServer.Outcome("conflict", "Version 1 is stale; current is 2"), 412);
        });
        using var fhir = server.Client();

        var ex = await Assert.ThrowsAsync<FhirPreconditionFailedException>(() => fhir.Client.UpdateAsync(FakeServer.Patient(), ifMatch: "1"));

        Assert.Equal(HttpStatusCode.PreconditionFailed, ex.Status);
        Assert.Contains("stale", Assert.Single(ex.OutcomeMessages));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_422_carries_the_OperationOutcome_and_is_not_retried()
    {
        await using var server = await FakeServer.StartAsync((ctx, _) =>
            FakeServer.WriteResourceAsync(ctx, FakeServer.Outcome("business-rule", "Dose exceeds the protocol maximum"), 422));
        using var fhir = server.Client();

        var ex = await Assert.ThrowsAsync<FhirUnprocessableEntityException>(() => fhir.Client.UpdateAsync(FakeServer.Patient()));

        Assert.Equal("business-rule", ex.Outcome?.Issue[0].Code?.Value);
        Assert.Contains("protocol maximum", ex.Message);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_and_fails_fast_without_calling_the_server()
    {
        await using var server = await FakeServer.StartAsync((ctx, _) =>
        {
            ctx.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        using var fhir = server.Client(FakeServer.FastResilience with
        {
            MaxRetryAttempts = 0,
            CircuitBreakerEnabled = true,
            CircuitBreakerMinimumThroughput = 3,
            CircuitBreakerFailureRatio = 0.5,
            CircuitBreakerBreakDuration = TimeSpan.FromSeconds(30),
        });

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<FhirOperationException>(() => fhir.Client.ReadAsync<Patient>("1"));
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => fhir.Client.ReadAsync<Patient>("1"));
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task The_concurrency_limit_caps_requests_in_flight()
    {
        var inFlight = 0;
        var peak = 0;
        await using var server = await FakeServer.StartAsync(async (ctx, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(100);
            Interlocked.Decrement(ref inFlight);
            await FakeServer.WriteResourceAsync(ctx, FakeServer.Patient());
        });
        using var fhir = server.Client(FakeServer.FastResilience with { MaxConcurrency = 2 });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fhir.Client.ReadAsync<Patient>("1")));

        Assert.Equal(8, server.Requests);
        Assert.Equal(2, peak);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_retried()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FakeServer.StartAsync(async (ctx, _) =>
        {
            received.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(20), ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var fhir = server.Client(FakeServer.FastResilience with { AttemptTimeout = TimeSpan.FromSeconds(10) });
        using var cts = new CancellationTokenSource();

        // Cancel only once the server holds the request, so the test does not depend on how fast it gets there.
        var read = fhir.Client.ReadAsync<Patient>("1", cts.Token);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        await Task.Delay(300);  // a retry, if there were one, would arrive now
        Assert.Equal(1, server.Requests);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
