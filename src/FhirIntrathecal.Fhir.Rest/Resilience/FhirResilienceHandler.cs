using Polly;

namespace FhirIntrathecal.Fhir.Rest.Resilience;

/// <summary>
/// Runs each request through the shared <see cref="FhirResiliencePipeline"/>. Only requests flagged (or by verb)
/// safe to repeat are retried. Non-streaming answers are buffered inside the attempt so the attempt timeout also
/// covers a server that sends headers and then hangs, and a reset mid-body is retried like any network fault.
/// </summary>
public sealed class FhirResilienceHandler : DelegatingHandler
{
    private readonly FhirResiliencePipeline _pipeline;

    public FhirResilienceHandler(FhirResiliencePipeline pipeline) => _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var slot = await _pipeline.EnterAsync(cancellationToken).ConfigureAwait(false);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(FhirResiliencePipeline.SafeToRetryKey, FhirRequestOptions.IsSafeToRetry(request));
        var stream = FhirRequestOptions.IsStreaming(request);
        try
        {
            var outcome = await _pipeline.Pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        var response = await state.Handler.SendCoreAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false);
                        if (!state.Stream)
                        {
                            try
                            {
                                await response.Content.LoadIntoBufferAsync(ctx.CancellationToken).ConfigureAwait(false);
                            }
                            catch
                            {
                                response.Dispose();
                                throw;
                            }
                        }

                        return Outcome.FromResult(response);
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request, Stream: stream)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken ct) => base.SendAsync(request, ct);
}
