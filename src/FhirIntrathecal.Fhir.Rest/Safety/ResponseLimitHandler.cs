using System.Net;

namespace FhirIntrathecal.Fhir.Rest.Safety;

/// <summary>
/// Innermost handler: an answer whose Content-Length is over the cap is refused before its body is read, and any other
/// body is read through a counting stream that fails as soon as the cap is passed, so a never-ending chunked answer is
/// cut there. Streamed requests (<see cref="FhirRequestOptions.StreamResponse"/>) get the download cap.
/// </summary>
public sealed class ResponseLimitHandler(FhirTransportOptions options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var cap = FhirRequestOptions.IsStreaming(request) ? options.MaxDownloadBytes : options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength is { } length && length > cap)
        {
            response.Dispose();
            throw new FhirResponseTooLargeException(response.StatusCode, request.Method, request.RequestUri, cap);
        }

        response.Content = new LimitedContent(response.Content, cap, response.StatusCode, request);
        return response;
    }

    private sealed class LimitedContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly long _cap;
        private readonly HttpStatusCode _status;
        private readonly HttpMethod _method;
        private readonly Uri? _uri;

        public LimitedContent(HttpContent inner, long cap, HttpStatusCode status, HttpRequestMessage request)
        {
            _inner = inner;
            _cap = cap;
            _status = status;
            _method = request.Method;
            _uri = request.RequestUri;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
            new LimitedStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), this);

        protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = _inner.Headers.ContentLength ?? 0;
            return _inner.Headers.ContentLength is not null;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private sealed class LimitedStream(Stream inner, LimitedContent owner) : Stream
        {
            private long _read;

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position
            {
                get => _read;
                set => throw new NotSupportedException();
            }

            public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
                Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }

            private int Count(int read)
            {
                _read += read;
                return _read > owner._cap
                    ? throw new FhirResponseTooLargeException(owner._status, owner._method, owner._uri, owner._cap)
                    : read;
            }
        }
    }
}
