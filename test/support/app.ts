/** The real application on a fresh test database, for in-process HTTP tests with app.inject. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createMailer } from '../../src/mail/mailer.ts';
import { createOfflinePostcodeLookup } from '../../src/geo/postcodes.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

export async function buildTestApp(env: Record<string, string> = {}, logLines?: string[]): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linkwell-test-'));
  const config = loadConfig({ LINKWELL_DEMO: 'false', LOG_LEVEL: 'silent', LINKWELL_REPORTS_MAX_AGE_SECONDS: '0', LINKWELL_DATA_DIR: dataDir, ...env });
  const database = await createTestDatabase();
  const mailer = createMailer(config);
  const logStream = logLines ? { write: (line: string) => void logLines.push(line) } : undefined;
  const postcodes = createOfflinePostcodeLookup();
  const app = await createApp({ config, database, mailer, postcodes, ...(logStream ? { logStream } : {}) });
  await app.ready();
  return {
    app,
    database,
    config,
    close: async () => {
      await app.close();
      mailer.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
