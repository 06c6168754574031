using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using FhirIntrathecal.Fhir.Model;

namespace FhirIntrathecal.Fhir.Rest;

/// <summary>How a search is sent: GET with a query, or POST [type]/_search with a form body (long or sensitive queries).</summary>
public enum SearchMethod
{
    Get,
    Post,
}

public sealed partial class FhirClient
{
    /// <summary>The first page of a type-level search.</summary>
    public async Task<Bundle> SearchAsync(string type, SearchParameters? query = null, SearchMethod method = SearchMethod.Get, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        query ??= SearchParameters.Empty;
        HttpRequestMessage request;
        if (method == SearchMethod.Post)
        {
            request = NewRequest(HttpMethod.Post, $"{type}/_search");
            request.Content = new StringContent(query.ToQueryString(), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(FhirMediaType.FormUrlEncoded);
            // A search changes nothing, whatever its verb.
            request.Options.Set(FhirRequestOptions.SafeToRetry, true);
        }
        else
        {
            request = NewRequest(HttpMethod.Get, query.Parameters.Count == 0 ? type : $"{type}?{query.ToQueryString()}");
        }

        return await ExecuteBundleAsync(request, ct).ConfigureAwait(false);
    }

    public Task<Bundle> SearchAsync<T>(SearchParameters? query = null, SearchMethod method = SearchMethod.Get, CancellationToken ct = default)
        where T : Resource => SearchAsync(TypeName<T>(), query, method, ct);

    /// <summary>Every match of a search across all pages, streamed page by page (included resources are skipped).</summary>
    public async IAsyncEnumerable<T> SearchAllAsync<T>(SearchParameters? query = null, SearchMethod method = SearchMethod.Get, [EnumeratorCancellation] CancellationToken ct = default)
        where T : Resource
    {
        var first = await SearchAsync(TypeName<T>(), query, method, ct).ConfigureAwait(false);
        await foreach (var resource in ResourcesAsync(first, ct).ConfigureAwait(false))
        {
            if (resource is T match)
            {
                yield return match;
            }
        }
    }

    /// <summary>The resources of a bundle and of every following page, except entries marked search.mode=include/outcome.</summary>
    public async IAsyncEnumerable<Resource> ResourcesAsync(Bundle first, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var page in PagesAsync(first, ct).ConfigureAwait(false))
        {
            foreach (var entry in page.Entry)
            {
                if (entry.Resource is { } resource && entry.Search?.Mode?.Value is null or "match")
                {
                    yield return resource;
                }
            }
        }
    }

    /// <summary>The given page and every page after it, following <c>next</c> links on this server only.</summary>
    public async IAsyncEnumerable<Bundle> PagesAsync(Bundle first, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(first);
        var page = first;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var count = 0; page is not null; count++)
        {
            yield return page;
            var next = NextLink(page);
            if (next is null)
            {
                yield break;
            }

            if (count + 1 >= Settings.MaxPages || !seen.Add(next.AbsoluteUri))
            {
                throw new InvalidOperationException($"Paging stopped at page {count + 1}: the next link repeats or MaxPages ({Settings.MaxPages}) was reached.");
            }

            page = await ExecuteBundleAsync(NewRequest(HttpMethod.Get, next.AbsoluteUri), ct).ConfigureAwait(false);
        }
    }

    /// <summary>The next page, or null on the last one.</summary>
    public async Task<Bundle?> NextPageAsync(Bundle page, CancellationToken ct = default)
    {
        var next = NextLink(page);
        return next is null ? null : await ExecuteBundleAsync(NewRequest(HttpMethod.Get, next.AbsoluteUri), ct).ConfigureAwait(false);
    }

    /// <summary>The absolute next link; a link to another server is refused so credentials never follow it there.</summary>
    public Uri? NextLink(Bundle page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var link = page.Link.FirstOrDefault(l => l.Relation?.Value == "next")?.Url?.Value;
        if (string.IsNullOrEmpty(link))
        {
            return null;
        }

        var uri = new Uri(Settings.BaseUri, link);
        return Settings.IsOnServer(uri)
            ? uri
            : throw new InvalidOperationException($"The server's next link '{uri}' leaves its base '{Settings.BaseUri}'; not followed.");
    }

    /// <summary>Instance history ([type]/[id]/_history), type history (id null) or system history (type and id null).</summary>
    public Task<Bundle> HistoryAsync(string? type = null, string? id = null, DateTimeOffset? since = null, int? count = null, CancellationToken ct = default)
    {
        var path = (type, id) switch
        {
            (null, _) => "_history",
            (_, null) => $"{type}/_history",
            _ => $"{type}/{Uri.EscapeDataString(id)}/_history",
        };
        var query = SearchParameters.Empty;
        if (since is { } s)
        {
            query = query.Add("_since", FormatInstant(s));
        }

        if (count is { } c)
        {
            query = query.Count(c);
        }

        return ExecuteBundleAsync(NewRequest(HttpMethod.Get, query.Parameters.Count == 0 ? path : $"{path}?{query.ToQueryString()}"), ct);
    }

    private async Task<Bundle> ExecuteBundleAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await ExecuteAsync<Bundle>(request, ct).ConfigureAwait(false);
        return response.Resource ?? throw new FhirFormatException("The server answered a search without a Bundle.");
    }
}
