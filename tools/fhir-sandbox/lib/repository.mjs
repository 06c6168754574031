import { OperationOutcomeError, deepClone, globalSchema, gone, notFound, validateResource } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';

/**
 * Medplum's MemoryRepository with the behaviour of a real FHIR server added:
 *  - writes are validated against the R4 definitions (MemoryRepository stores anything);
 *  - versionIds are 1, 2, 3... per resource (MemoryRepository uses random UUIDs);
 *  - reading a deleted resource answers 410 Gone instead of 404;
 *  - withTransaction really rolls back (MemoryRepository only runs the callback);
 *  - `identifier` searches (and so conditional creates by identifier) use an index instead of a scan
 *    of every resource of the type, as any real server's identifier index does.
 *
 * It overrides `createResourceSync` and reads `resources` and `history`, which are
 * TypeScript-private in @medplum/fhir-router but plain members at run time. That is why the
 * package version is pinned exactly; test/sandbox.test.mjs fails if an upgrade changes them.
 */
export class SandboxRepository extends MemoryRepository {
  /** "Type/id" of resources deleted and not re-created since. */
  #deleted = new Set();
  /** Undo log of the open transaction, or null when none is open. */
  #journal = null;
  /**
   * type → lower-cased identifier value → ids of resources that held it in some version. Entries are
   * only added, never removed, so it is a superset of the current matches: Medplum's own matcher still
   * runs over the candidates it yields, and answers stay exactly what a full scan gives.
   */
  #identifiers = new Map();

  createResourceSync(resource, options, update = false) {
    validateResource(resource);
    // Choose the id here rather than in super so the undo log knows it before the write.
    const input = resource.id ? resource : { ...resource, id: this.generateId() };
    const { resourceType, id } = input;
    this.#record(resourceType, id);
    const result = super.createResourceSync(input, options, update);

    // super stored one object in both maps: renumber it in place so read, vread and If-Match agree.
    const versionId = String(this.history.get(resourceType).get(id).length);
    this.resources.get(resourceType).get(id).meta.versionId = versionId;
    result.meta.versionId = versionId;
    this.#deleted.delete(`${resourceType}/${id}`);
    this.#indexIdentifiers(input);
    return result;
  }

  /** MemoryRepository scans every resource of the type; an identifier search scans only the candidates. */
  searchSync(request) {
    const candidates = this.#identifierCandidates(request);
    if (!candidates) return super.searchSync(request);
    const all = this.resources;
    const stored = all.get(request.resourceType) ?? new Map();
    const narrowed = new Map();
    for (const id of candidates) {
      const resource = stored.get(id);
      if (resource) narrowed.set(id, resource);
    }
    // searchSync is synchronous: nothing else runs while the narrowed view is in place.
    const view = new Map(all);
    view.set(request.resourceType, narrowed);
    this.resources = view;
    try {
      return super.searchSync(request);
    } finally {
      this.resources = all;
    }
  }

  async readResource(resourceType, id) {
    if (this.#deleted.has(`${resourceType}/${id}`)) {
      throw new OperationOutcomeError(gone);
    }
    return super.readResource(resourceType, id);
  }

  async deleteResource(resourceType, id, options) {
    this.#record(resourceType, id);
    await super.deleteResource(resourceType, id, options);
    this.#deleted.add(`${resourceType}/${id}`);
  }

  /** MemoryRepository reverses its stored history array in place on every call; this reads a copy. */
  async readHistory(resourceType, id) {
    const versions = this.history.get(resourceType)?.get(id);
    if (!versions) {
      throw new OperationOutcomeError(notFound);
    }
    const entry = versions.toReversed().map((version) => ({ resource: deepClone(version) }));
    return { resourceType: 'Bundle', type: 'history', entry };
  }

  async withTransaction(callback) {
    const outermost = this.#journal === null;
    if (outermost) this.#journal = [];
    const mark = this.#journal.length;
    try {
      return await callback(this);
    } catch (err) {
      this.#undo(mark);
      throw err;
    } finally {
      if (outermost) this.#journal = null;
    }
  }

  #indexIdentifiers(resource) {
    if (!identifierIndexable(resource.resourceType)) return;
    let byValue = this.#identifiers.get(resource.resourceType);
    if (!byValue) this.#identifiers.set(resource.resourceType, (byValue = new Map()));
    for (const identifier of [resource.identifier ?? []].flat()) {
      const value = identifier?.value?.toLowerCase();
      if (!value) continue;
      let ids = byValue.get(value);
      if (!ids) byValue.set(value, (ids = new Set()));
      ids.add(resource.id);
    }
  }

  /**
   * The ids that may match an `identifier=[system]|value[,...]` search, or null when the request is
   * anything else (other filters are fine; chained ones, modifiers and value-less tokens scan as before).
   */
  #identifierCandidates(request) {
    const { resourceType, filters } = request;
    if (!identifierIndexable(resourceType) || !filters?.length) return null;
    if (filters.some((f) => f.code.includes('.') || f.code.startsWith('_has:'))) return null;
    const filter = filters.find((f) => f.code === 'identifier' && f.operator === 'eq');
    if (!filter || filter.value.includes('\\')) return null;
    const byValue = this.#identifiers.get(resourceType);
    const candidates = new Set();
    for (const token of filter.value.split(',')) {
      const parts = token.split('|');
      if (parts.length > 2) return null;
      const value = parts.at(-1).toLowerCase();
      if (!value) return null;
      for (const id of byValue?.get(value) ?? []) candidates.add(id);
    }
    return candidates;
  }

  /** Inside a transaction, notes how a resource looked before it is written. */
  #record(resourceType, id) {
    if (this.#journal === null) return;
    const versions = this.history.get(resourceType)?.get(id);
    this.#journal.push({
      resourceType,
      id,
      stored: this.resources.get(resourceType)?.get(id),
      historyLength: versions?.length ?? 0,
      wasDeleted: this.#deleted.has(`${resourceType}/${id}`),
    });
  }

  #undo(mark) {
    while (this.#journal.length > mark) {
      const { resourceType, id, stored, historyLength, wasDeleted } = this.#journal.pop();
      const key = `${resourceType}/${id}`;
      if (stored) this.resources.get(resourceType).set(id, stored);
      else this.resources.get(resourceType)?.delete(id);

      const history = this.history.get(resourceType);
      const versions = history?.get(id);
      if (versions) versions.length = historyLength;
      if (versions?.length === 0) history.delete(id);

      if (wasDeleted) this.#deleted.add(key);
      else this.#deleted.delete(key);
    }
  }
}

/**
 * Types whose `identifier` search parameter reads exactly their own `identifier` element (nearly all;
 * not DocumentReference, whose parameter also reads masterIdentifier). The R4 definitions share one
 * expression between many types ("AllergyIntolerance.identifier | CarePlan.identifier | ...").
 */
const indexable = new Map();
function identifierIndexable(resourceType) {
  let result = indexable.get(resourceType);
  if (result === undefined) {
    const expression = globalSchema.types[resourceType]?.searchParams?.identifier?.expression ?? '';
    const own = expression.split('|').map((part) => part.trim()).filter((part) => part.startsWith(`${resourceType}.`));
    result = own.length === 1 && own[0] === `${resourceType}.identifier`;
    indexable.set(resourceType, result);
  }
  return result;
}
