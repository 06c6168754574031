import { OperationOutcomeError, deepClone, gone, notFound, validateResource } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';

/**
 * Medplum's MemoryRepository with the behaviour of a real FHIR server added:
 *  - writes are validated against the R4 definitions (MemoryRepository stores anything);
 *  - versionIds are 1, 2, 3... per resource (MemoryRepository uses random UUIDs);
 *  - reading a deleted resource answers 410 Gone instead of 404;
 *  - withTransaction really rolls back (MemoryRepository only runs the callback).
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
    return result;
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
