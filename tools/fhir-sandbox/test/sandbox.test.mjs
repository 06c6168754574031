// Exercises server.mjs over HTTP, the way the C# launcher and the adapter use it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const serverPath = fileURLToPath(new URL('../server.mjs', import.meta.url));
const FHIR_JSON = 'application/fhir+json';

/** Starts a sandbox on an ephemeral port; resolves to { child, base } once it prints its listening line. */
async function startServer(...extraArgs) {
  const child = spawn(process.execPath, ['--experimental-websocket', serverPath, '--port', '0', ...extraArgs], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const base = await new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      const match = /^FHIR sandbox listening on (http:\/\/127\.0\.0\.1:\d+\/fhir\/R4)$/m.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return { child, base };
}

let server;
let base;

before(async () => {
  server = await startServer('--exit-on-stdin-close');
  base = server.base;
});

after(() => server.child.kill('SIGTERM'));

async function fhir(method, path, { body, headers = {} } = {}) {
  const response = await fetch(path.startsWith('http') ? path : `${base}/${path}`, {
    method,
    headers: { Accept: FHIR_JSON, ...(body ? { 'Content-Type': FHIR_JSON } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

function patient(family, extra = {}) {
  return { resourceType: 'Patient', name: [{ family }], ...extra };
}

function assertOutcome(response, status) {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.equal(response.body.resourceType, 'OperationOutcome');
  assert.match(response.headers.get('content-type'), /^application\/fhir\+json/);
}

async function searchAll(url) {
  const seen = [];
  let pages = 0;
  for (let next = url; next; pages++) {
    const page = await fhir('GET', next);
    assert.equal(page.status, 200);
    seen.push(...(page.body.entry ?? []).map((e) => e.resource.id));
    next = page.body.link.find((l) => l.relation === 'next')?.url;
  }
  return { ids: seen, pages };
}

describe('metadata', () => {
  test('is an R4 CapabilityStatement listing the types and interactions served', async () => {
    const { status, headers, body } = await fhir('GET', 'metadata');
    assert.equal(status, 200);
    assert.match(headers.get('content-type'), /^application\/fhir\+json/);
    assert.equal(body.resourceType, 'CapabilityStatement');
    assert.equal(body.fhirVersion, '4.0.1');
    assert.ok(body.format.includes('json'));
    const rest = body.rest[0];
    assert.deepEqual(rest.interaction.map((i) => i.code).sort(), ['batch', 'transaction']);
    const types = rest.resource.map((r) => r.type);
    for (const type of ['Patient', 'Observation', 'MedicationAdministration', 'Medication', 'Device', 'Bundle']) {
      assert.ok(types.includes(type), type);
    }
    const patientCaps = rest.resource.find((r) => r.type === 'Patient');
    assert.deepEqual(
      patientCaps.interaction.map((i) => i.code).sort(),
      ['create', 'delete', 'history-instance', 'patch', 'read', 'search-type', 'update', 'vread']
    );
    assert.ok(patientCaps.searchParam.some((p) => p.name === 'identifier'));
    assert.ok(!patientCaps.searchParam.some((p) => p.name === '_project'));
    assert.ok(!types.includes('SubscriptionStatus'), 'R4 has no SubscriptionStatus');
  });
});

describe('instance interactions', () => {
  test('create answers 201 with Location, ETag and Last-Modified, and ignores a client id', async () => {
    const created = await fhir('POST', 'Patient', { body: patient('Create', { id: 'client-chosen' }) });
    assert.equal(created.status, 201);
    const { id, meta } = created.body;
    assert.notEqual(id, 'client-chosen');
    assert.equal(meta.versionId, '1');
    assert.equal(created.headers.get('location'), `${base}/Patient/${id}/_history/1`);
    assert.equal(created.headers.get('etag'), 'W/"1"');
    assert.equal(created.headers.get('last-modified'), new Date(meta.lastUpdated).toUTCString());
  });

  test('read, update with If-Match, vread, history, stale If-Match 412, delete 410', async () => {
    const { body: v1 } = await fhir('POST', 'Patient', { body: patient('Lifecycle') });
    const id = v1.id;

    const read = await fhir('GET', `Patient/${id}`);
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('etag'), 'W/"1"');

    const v2 = await fhir('PUT', `Patient/${id}`, {
      body: { ...v1, name: [{ family: 'Lifecycle2' }] },
      headers: { 'If-Match': 'W/"1"' },
    });
    assert.equal(v2.status, 200);
    assert.equal(v2.body.meta.versionId, '2');
    assert.equal(v2.headers.get('etag'), 'W/"2"');

    const stale = await fhir('PUT', `Patient/${id}`, {
      body: { ...v1, name: [{ family: 'Lost update' }] },
      headers: { 'If-Match': 'W/"1"' },
    });
    assertOutcome(stale, 412);

    const v3 = await fhir('PUT', `Patient/${id}`, { body: { ...v1, name: [{ family: 'Lifecycle3' }] } });
    assert.equal(v3.body.meta.versionId, '3');

    const old = await fhir('GET', `Patient/${id}/_history/1`);
    assert.equal(old.status, 200);
    assert.equal(old.body.name[0].family, 'Lifecycle');
    assert.equal(old.headers.get('etag'), 'W/"1"');
    assertOutcome(await fhir('GET', `Patient/${id}/_history/9`), 404);

    for (let i = 0; i < 2; i++) {
      // Twice: MemoryRepository alone flips the stored order on every history read.
      const history = await fhir('GET', `Patient/${id}/_history`);
      assert.equal(history.status, 200);
      assert.deepEqual(
        history.body.entry.map((e) => e.resource.meta.versionId),
        ['3', '2', '1']
      );
    }

    assertOutcome(await fhir('DELETE', `Patient/${id}`, { headers: { 'If-Match': 'W/"1"' } }), 412);
    const deleted = await fhir('DELETE', `Patient/${id}`);
    assert.equal(deleted.status, 200);
    assertOutcome(await fhir('GET', `Patient/${id}`), 410);
    assertOutcome(await fhir('DELETE', `Patient/${id}`), 404);
  });

  test('update of an unknown id creates it (201, version 1)', async () => {
    const id = randomUUID();
    const response = await fhir('PUT', `Patient/${id}`, { body: patient('Upsert', { id }) });
    assert.equal(response.status, 201);
    assert.equal(response.body.meta.versionId, '1');
    assert.equal(response.headers.get('location'), `${base}/Patient/${id}/_history/1`);
  });

  test('PATCH (JSON Patch) makes a new version', async () => {
    const { body } = await fhir('POST', 'Patient', { body: patient('Patch') });
    const patched = await fhir('PATCH', `Patient/${body.id}`, {
      body: [{ op: 'replace', path: '/name/0/family', value: 'Patched' }],
      headers: { 'Content-Type': 'application/json-patch+json' },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name[0].family, 'Patched');
    assert.equal(patched.headers.get('etag'), 'W/"2"');
  });

  test('Prefer: return=minimal answers without a body but with the headers', async () => {
    const response = await fhir('POST', 'Patient', { body: patient('Minimal'), headers: { Prefer: 'return=minimal' } });
    assert.equal(response.status, 201);
    assert.equal(response.body, undefined);
    assert.match(response.headers.get('location'), /\/Patient\/[^/]+\/_history\/1$/);
  });
});

describe('errors are OperationOutcomes with the right status', () => {
  test('invalid content is 400', async () => {
    assertOutcome(await fhir('POST', 'Patient', { body: patient('X', { foo: 1 }) }), 400);
    assertOutcome(await fhir('POST', 'Patient', { body: patient('X', { birthDate: '2020-13-45' }) }), 400);
    assertOutcome(await fhir('POST', 'Observation', { body: { resourceType: 'Observation', status: 'final' } }), 400);
    assertOutcome(await fhir('POST', 'Patient', { body: '{not json' }), 400);
    assertOutcome(await fhir('POST', 'Patient', { body: { resourceType: 'Observation' } }), 400);
    assertOutcome(await fhir('GET', 'Patient?_count=abc'), 400);
  });

  test('unknown things are 404, unsupported methods 405', async () => {
    assertOutcome(await fhir('GET', `Patient/${randomUUID()}`), 404);
    assertOutcome(await fhir('GET', 'NotAType'), 404);
    assertOutcome(await fhir('GET', `${base.replace('/fhir/R4', '')}/elsewhere`), 404);
    assertOutcome(await fhir('GET', ''), 405);
    assertOutcome(await fhir('DELETE', 'metadata'), 405);
  });
});

describe('search', () => {
  test('follows next links to the end, seeing every match exactly once', async () => {
    const system = `urn:test:${randomUUID()}`;
    const ids = [];
    for (let i = 0; i < 7; i++) {
      const { body } = await fhir('POST', 'Patient', { body: patient(`Page${i}`, { identifier: [{ system, value: `${i}` }] }) });
      ids.push(body.id);
    }

    const first = await fhir('GET', `Patient?identifier=${encodeURIComponent(system + '|')}&_count=3`);
    assert.equal(first.body.total, 7);
    assert.equal(first.body.entry.length, 3);
    assert.equal(first.body.entry[0].fullUrl, `${base}/Patient/${first.body.entry[0].resource.id}`);
    const relations = first.body.link.map((l) => l.relation);
    assert.deepEqual(relations, ['self', 'first', 'next', 'last']);

    const { ids: seen, pages } = await searchAll(first.body.link.find((l) => l.relation === 'self').url);
    assert.equal(pages, 3);
    assert.equal(seen.length, 7);
    assert.deepEqual([...seen].sort(), [...ids].sort());

    const last = await fhir('GET', first.body.link.find((l) => l.relation === 'last').url);
    assert.equal(last.body.entry.length, 1);
    assert.ok(last.body.link.some((l) => l.relation === 'previous'));
    assert.ok(!last.body.link.some((l) => l.relation === 'next'));
  });

  test('without _count pages by 50; POST _search answers like GET', async () => {
    const get = await fhir('GET', 'Patient?family=Page');
    assert.match(get.body.link[0].url, /_count=50/);
    const post = await fhir('POST', 'Patient/_search', {
      body: 'family=Page&_count=2',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(post.status, 200);
    assert.equal(post.body.entry.length, 2);
    assert.ok(post.body.link.some((l) => l.relation === 'next'));
  });

  test('_summary=count gives the total and no entries', async () => {
    const response = await fhir('GET', 'Patient?family=Page&_summary=count');
    assert.equal(response.status, 200);
    assert.ok(response.body.total >= 7);
    assert.equal(response.body.entry, undefined);
  });
});

describe('conditional interactions', () => {
  test('If-None-Exist create twice makes one resource', async () => {
    const identifier = `urn:test:cc|${randomUUID()}`;
    const [system, value] = identifier.split('|');
    const headers = { 'If-None-Exist': `identifier=${encodeURIComponent(identifier)}` };
    const body = patient('Conditional', { identifier: [{ system, value }] });

    const first = await fhir('POST', 'Patient', { body, headers });
    assert.equal(first.status, 201);
    const second = await fhir('POST', 'Patient', { body, headers });
    assert.equal(second.status, 200);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.headers.get('etag'), 'W/"1"');

    const search = await fhir('GET', `Patient?identifier=${encodeURIComponent(identifier)}`);
    assert.equal(search.body.total, 1);
  });

  test('conditional update creates, then updates the one match', async () => {
    const value = randomUUID();
    const url = `Patient?identifier=${encodeURIComponent(`urn:test:cu|${value}`)}`;
    const body = patient('CondUpdate', { identifier: [{ system: 'urn:test:cu', value }] });
    const created = await fhir('PUT', url, { body });
    assert.equal(created.status, 201);
    const updated = await fhir('PUT', url, { body: { ...body, gender: 'female' } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.id, created.body.id);
    assert.equal(updated.body.meta.versionId, '2');
  });
});

describe('identifier index', () => {
  test('identifier searches answer exactly what a scan of every resource answers', async () => {
    const run = randomUUID();
    const ids = {};
    for (const [key, identifier] of [
      ['a', [{ system: `urn:idx:${run}`, value: 'Same' }]],
      ['b', [{ system: `urn:idx2:${run}`, value: 'same' }]],
      ['c', [{ value: 'same' }, { system: `urn:idx:${run}`, value: 'other' }]],
      ['d', [{ system: `urn:idx:${run}`, value: 'gone' }]],
    ]) {
      ids[key] = (await fhir('POST', 'Patient', { body: patient(`Index${key}`, { identifier }) })).body.id;
    }
    // d changes its identifier: its old value must no longer find it, its new one must.
    await fhir('PUT', `Patient/${ids.d}`, { body: patient('Indexd', { id: ids.d, identifier: [{ system: `urn:idx:${run}`, value: 'moved' }] }) });

    const found = async (query) => {
      const page = await fhir('GET', `Patient?${query}&_count=1000`);
      assert.equal(page.status, 200);
      return (page.body.entry ?? []).map((e) => e.resource.id).sort();
    };
    const sys = encodeURIComponent(`urn:idx:${run}`);
    assert.deepEqual(await found(`identifier=${sys}|same`), [ids.a]); // system and value compare case-insensitively
    assert.deepEqual(await found(`identifier=${sys}|same,${encodeURIComponent(`urn:idx2:${run}`)}|SAME`), [ids.a, ids.b].sort());
    assert.deepEqual(await found(`identifier=${sys}|other`), [ids.c]);
    assert.deepEqual(await found(`identifier=${sys}|gone`), []);
    assert.deepEqual(await found(`identifier=${sys}|moved`), [ids.d]);
    assert.deepEqual(await found(`identifier=${sys}|same&family=Indexb`), []); // other filters still apply
    // Not answerable from the index: system only, and :not; these scan as before and stay correct.
    assert.deepEqual(await found(`identifier=${sys}|&family=Indexa,Indexc,Indexd`), [ids.a, ids.c, ids.d].sort());
    assert.ok(!(await found(`identifier:not=${sys}|same&family=Indexa,Indexb`)).includes(ids.a));

    await fhir('DELETE', `Patient/${ids.d}`);
    assert.deepEqual(await found(`identifier=${sys}|moved`), []);
  });

  test('a rolled-back transaction leaves no identifier behind', async () => {
    const value = randomUUID();
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: patient('Rolled', { identifier: [{ system: 'urn:idx:rb', value }] }), request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Patient', birthDate: 'not-a-date' }, request: { method: 'POST', url: 'Patient' } },
      ],
    };
    assert.notEqual((await fhir('POST', '', { body: bundle })).status, 200);
    const search = await fhir('GET', `Patient?identifier=${encodeURIComponent(`urn:idx:rb|${value}`)}`);
    assert.equal(search.body.total, 0);
  });
});

describe('transaction', () => {
  test('resolves urn:uuid references and answers 201 entries with versioned locations', async () => {
    const patientUrn = `urn:uuid:${randomUUID()}`;
    const response = await fhir('POST', '', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: `urn:uuid:${randomUUID()}`,
            resource: observation({ reference: patientUrn }),
            request: { method: 'POST', url: 'Observation' },
          },
          { fullUrl: patientUrn, resource: patient('Txn'), request: { method: 'POST', url: 'Patient' } },
        ],
      },
    });
    assert.equal(response.status, 200);
    assert.equal(response.body.type, 'transaction-response');
    const [obsEntry, patEntry] = response.body.entry;
    assert.equal(obsEntry.response.status, '201');
    assert.equal(patEntry.response.location, `Patient/${patEntry.resource.id}/_history/1`);
    assert.equal(patEntry.response.etag, 'W/"1"');

    const stored = await fhir('GET', `Observation/${obsEntry.resource.id}`);
    assert.equal(stored.body.subject.reference, `Patient/${patEntry.resource.id}`);
  });

  test('conditional entries work in large transactions and a matched create is reused', async () => {
    const marker = `urn:test:large-${randomUUID()}`;
    const bundle = () => {
      const patientUrn = `urn:uuid:${randomUUID()}`;
      const observations = Array.from({ length: 10 }, () => ({
        resource: observation({ reference: patientUrn }, marker),
        request: { method: 'POST', url: 'Observation' },
      }));
      return {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: patientUrn,
            resource: patient('Large', { identifier: [{ system: marker, value: 'patient' }] }),
            request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${marker}|patient` },
          },
          ...observations,
          {
            resource: patient('Upserted', { identifier: [{ system: marker, value: 'upsert' }] }),
            request: { method: 'PUT', url: `Patient?identifier=${marker}|upsert` },
          },
        ],
      };
    };

    const first = await fhir('POST', '', { body: bundle() });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.entry[0].response.status, '201');
    assert.equal(first.body.entry[11].response.status, '201');
    const patientId = first.body.entry[0].resource.id;

    const second = await fhir('POST', '', { body: bundle() });
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.equal(second.body.entry[0].response.status, '200');
    assert.equal(second.body.entry[0].resource.id, patientId);
    assert.equal(second.body.entry[1].resource.subject.reference, `Patient/${patientId}`);
    assert.equal(second.body.entry[11].resource.meta.versionId, '2');

    const patients = await fhir('GET', `Patient?identifier=${encodeURIComponent(marker + '|')}`);
    assert.equal(patients.body.total, 2);
    const observations = await fhir('GET', `Observation?subject=Patient/${patientId}`);
    assert.equal(observations.body.total, 20);
  });

  test('a failing entry leaves nothing of the transaction behind', async () => {
    const { body: existing } = await fhir('POST', 'Patient', { body: patient('Before') });
    const { body: other } = await fhir('POST', 'Patient', { body: patient('Other') });
    const marker = `urn:test:rollback-${randomUUID()}`;
    const patientUrn = `urn:uuid:${randomUUID()}`;
    const entries = [
      {
        fullUrl: patientUrn,
        resource: patient('Rolled back', { identifier: [{ system: marker, value: '1' }] }),
        request: { method: 'POST', url: 'Patient' },
      },
      { resource: observation({ reference: patientUrn }, marker), request: { method: 'POST', url: 'Observation' } },
      { resource: { ...existing, name: [{ family: 'After' }] }, request: { method: 'PUT', url: `Patient/${existing.id}` } },
    ];
    // Medplum runs creates, then updates in bundle order: everything above is written before this fails.
    const stale = {
      resource: { ...other, gender: 'male' },
      request: { method: 'PUT', url: `Patient/${other.id}`, ifMatch: 'W/"7"' },
    };

    const failed = await fhir('POST', '', { body: { resourceType: 'Bundle', type: 'transaction', entry: [...entries, stale] } });
    assertOutcome(failed, 412);
    assert.equal((await fhir('GET', `Patient?identifier=${encodeURIComponent(marker + '|')}`)).body.total, 0);
    assert.equal((await fhir('GET', `Observation?identifier=${encodeURIComponent(marker + '|')}`)).body.total, 0);
    const after = await fhir('GET', `Patient/${existing.id}`);
    assert.equal(after.body.name[0].family, 'Before');
    assert.equal(after.body.meta.versionId, '1');
    assert.equal((await fhir('GET', `Patient/${existing.id}/_history`)).body.total, 1);
    assert.equal((await fhir('GET', `Patient/${other.id}`)).body.gender, undefined);

    // Without the stale entry the same bundle goes through: the rollback was the failure's doing.
    const ok = await fhir('POST', '', { body: { resourceType: 'Bundle', type: 'transaction', entry: entries } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal((await fhir('GET', `Observation?identifier=${encodeURIComponent(marker + '|')}`)).body.total, 1);
    assert.equal((await fhir('GET', `Patient/${existing.id}`)).body.meta.versionId, '2');
  });

  test('an invalid resource in a transaction rolls back the entries before it', async () => {
    const marker = `urn:test:invalid-${randomUUID()}`;
    const response = await fhir('POST', '', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: patient('A', { identifier: [{ system: marker, value: '1' }] }), request: { method: 'POST', url: 'Patient' } },
          { resource: patient('B', { birthDate: 'not a date' }), request: { method: 'POST', url: 'Patient' } },
        ],
      },
    });
    assertOutcome(response, 400);
    assert.equal((await fhir('GET', `Patient?identifier=${encodeURIComponent(marker + '|')}`)).body.total, 0);
  });
});

describe('batch', () => {
  test('entries succeed or fail independently', async () => {
    const marker = `urn:test:batch-${randomUUID()}`;
    const response = await fhir('POST', '', {
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { resource: patient('Good', { identifier: [{ system: marker, value: '1' }] }), request: { method: 'POST', url: 'Patient' } },
          { resource: patient('Bad', { foo: 'bar' }), request: { method: 'POST', url: 'Patient' } },
          { request: { method: 'GET', url: `Patient/${randomUUID()}` } },
        ],
      },
    });
    assert.equal(response.status, 200);
    assert.equal(response.body.type, 'batch-response');
    assert.deepEqual(response.body.entry.map((e) => e.response.status), ['201', '400', '404']);
    assert.match(response.body.entry[0].response.location, /^Patient\/[^/]+\/_history\/1$/);
    assert.equal((await fhir('GET', `Patient?identifier=${encodeURIComponent(marker + '|')}`)).body.total, 1);
  });
});

describe('process lifecycle', () => {
  test('exits when its stdin closes (parent died) with --exit-on-stdin-close', async () => {
    const { child } = await startServer('--exit-on-stdin-close');
    const exited = once(child, 'exit');
    child.stdin.end();
    const [code] = await exited;
    assert.equal(code, 0);
  });

  test('exits cleanly on SIGTERM', async () => {
    const { child } = await startServer();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
  });
});

function observation(subject, identifierSystem) {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject,
    ...(identifierSystem ? { identifier: [{ system: identifierSystem, value: '1' }] } : {}),
  };
}
