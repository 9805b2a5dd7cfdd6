/**
 * Ids for imported rows. ORUK 3.0 ids are UUIDs and are kept as they are (in lower case). Feeds
 * that use other ids (ORUK 1.0 feeds often send "123" or "bristol:456") get a name-based UUID
 * (version 5) of the source key, the kind of record and the original id, so importing the same
 * feed again reaches the same rows. The source key is the feed's address without its query, or
 * the file's name, unless the caller gives one. Rows with no id at all get a UUID derived from
 * their parent's id, their kind and their position.
 */
import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Linkwell's namespace for imported ids (itself a random UUID, fixed forever). */
export const IMPORT_NAMESPACE = '6b1f3c2e-8d4a-4f7b-9a51-3e0c7d2b9f64';

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** RFC 9562 name-based UUID, version 5 (SHA-1). */
export function uuidV5(name: string, namespace: string = IMPORT_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An id from the source as text (numbers included), or null when there is none. */
export function sourceIdOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const v = value.trim();
  return v === '' ? null : v;
}

/** Maps the ids of one source to the UUIDs Linkwell stores. */
export class IdMapper {
  readonly sourceKey: string;
  private readonly namespace: string;

  constructor(sourceKey: string) {
    this.sourceKey = sourceKey;
    this.namespace = uuidV5(`source:${sourceKey}`);
  }

  /** The stored id for a source id of a kind ("service", "location", …); null if there is none. */
  map(kind: string, value: unknown): string | null {
    const id = sourceIdOf(value);
    if (id === null) return null;
    return isUuid(id) ? id.toLowerCase() : uuidV5(`${kind}:${id}`, this.namespace);
  }

  /** The stored id for a row: its own id mapped, or one derived from its parent and position. */
  child(kind: string, value: unknown, parentId: string, index: number): string {
    return this.map(kind, value) ?? uuidV5(`${parentId}:${kind}:${index}`, this.namespace);
  }

  /** A second, stable id for a row whose id the source had already used for another parent. */
  rescope(kind: string, id: string, parentId: string): string {
    return uuidV5(`${parentId}:${kind}:${id}`, this.namespace);
  }

  /**
   * Ids shared by every source, for national vocabularies: an ORUK 1.0 taxonomy term in the
   * "esdServiceTypes" vocabulary is the same term whichever council's feed it comes from.
   */
  static global(name: string): string {
    return uuidV5(`global:${name}`);
  }
}
