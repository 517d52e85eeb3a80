// Phoenix.Presence semantics for one process: per topic, each tracking channel holds one meta
// under its presence key; state and diffs group metas by key as `{key: {metas: [...]}}`.
import { randomBytes } from 'node:crypto';

export type Meta = Record<string, unknown> & { phx_ref: string; phx_ref_prev?: string };
export type PresenceMap = Record<string, { metas: Meta[] }>;
export interface PresenceDiff {
  joins: PresenceMap;
  leaves: PresenceMap;
}

interface Entry {
  key: string;
  meta: Meta;
}

function newRef(): string {
  return randomBytes(9).toString('base64');
}

function single(key: string, meta: Meta): PresenceMap {
  return { [key]: { metas: [meta] } };
}

export class PresenceTracker<Owner> {
  private readonly topics = new Map<string, Map<Owner, Entry>>();

  state(topic: string): PresenceMap {
    const grouped: PresenceMap = {};
    for (const { key, meta } of this.topics.get(topic)?.values() ?? []) {
      (grouped[key] ??= { metas: [] }).metas.push(meta);
    }
    return grouped;
  }

  /** Tracks or updates the owner's presence; returns the diff to broadcast. */
  track(topic: string, owner: Owner, key: string, payload: Record<string, unknown>): PresenceDiff {
    let entries = this.topics.get(topic);
    if (!entries) {
      entries = new Map();
      this.topics.set(topic, entries);
    }
    const previous = entries.get(owner);
    const meta: Meta = { ...payload, phx_ref: newRef() };
    if (previous) meta.phx_ref_prev = previous.meta.phx_ref;
    entries.set(owner, { key, meta });
    return { joins: single(key, meta), leaves: previous ? single(previous.key, previous.meta) : {} };
  }

  /** Removes the owner's presence; null when it was not tracked. */
  untrack(topic: string, owner: Owner): PresenceDiff | null {
    const entries = this.topics.get(topic);
    const previous = entries?.get(owner);
    if (!entries || !previous) return null;
    entries.delete(owner);
    if (entries.size === 0) this.topics.delete(topic);
    return { joins: {}, leaves: single(previous.key, previous.meta) };
  }
}
