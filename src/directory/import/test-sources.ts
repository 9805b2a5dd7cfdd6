/**
 * For import tests: a temporary folder for one test file's source files, made before its tests
 * and removed after them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export interface TemporarySources {
  /** Where a file of that name would go. */
  path(name: string): string;
  /** Writes `body` as JSON and returns the file's path. */
  write(name: string, body: unknown): string;
}

/** Registers the folder's set-up and clean-up with the calling test file. */
export function temporarySources(prefix: string): TemporarySources {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const at = (name: string) => path.join(dir, name);
  return {
    path: at,
    write(name, body) {
      fs.writeFileSync(at(name), JSON.stringify(body));
      return at(name);
    },
  };
}
