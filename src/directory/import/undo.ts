/**
 * A record of changes to sets and maps that can be taken back: the importer plans each record of a
 * batch knowing what the records before it write, and forgets that if the batch is rolled back.
 */

/** Changes made through `add` and `set` while `recording` can be reverted, latest first. */
export class UndoLog {
  recording = false;
  private steps: (() => void)[] = [];

  add<T>(set: Set<T>, value: T): void {
    if (set.has(value)) return;
    set.add(value);
    if (this.recording) this.steps.push(() => set.delete(value));
  }

  set<K, V>(map: Map<K, V>, key: K, value: V): void {
    const had = map.has(key);
    const before = map.get(key);
    map.set(key, value);
    if (this.recording) this.steps.push(had ? () => map.set(key, before as V) : () => map.delete(key));
  }

  /** Takes back every recorded change, latest first. */
  revert(): void {
    for (let i = this.steps.length - 1; i >= 0; i--) this.steps[i]!();
    this.steps = [];
  }

  forget(): void {
    this.steps = [];
  }
}
