/**
 * Starting and stopping Linkwell as a process: open the database, apply migrations, seed the demo
 * the first time, start the reports' background refresh, listen, and close everything cleanly on
 * SIGINT/SIGTERM.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { createApp } from './app.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createMailer } from './mail/mailer.ts';
import { createHttpPostcodeLookup, createOfflinePostcodeLookup } from './geo/postcodes.ts';
import { commandLineContext } from './audit/audit.ts';
import { DEMO_PASSWORD, DEMO_USERS, isEmpty, seedDemo } from './demo/seed.ts';
import { registerReportRefreshTimer } from './reports/refresh-timer.ts';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const mailer = createMailer(config);
  let app: FastifyInstance | undefined;
  try {
    const applied = await migrate(database);
    let seeded = false;
    if (config.demo && (await isEmpty(database.db))) {
      await seedDemo(database.db, commandLineContext());
      seeded = true;
    }
    const postcodes = config.postcodesApiUrl ? createHttpPostcodeLookup(config.postcodesApiUrl) : createOfflinePostcodeLookup();
    app = await createApp({ config, database, mailer, postcodes });
    // Keeps the report summaries fresh off the request path; stopped when the app closes.
    registerReportRefreshTimer(app, database.db, config.reportsRefreshSeconds, postcodes);
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://localhost:${port}`;
    printBanner(config, database, url, applied, seeded, mailer.outboxDir);
    const running: RunningServer = {
      app,
      database,
      url,
      close: async () => {
        await app!.close();
        mailer.close();
        await database.close();
      },
    };
    return running;
  } catch (err) {
    await app?.close().catch(() => undefined);
    mailer.close();
    await database.close();
    throw err;
  }
}

function printBanner(config: Config, database: Database, url: string, applied: string[], seeded: boolean, outbox: string | null): void {
  const lines = [
    '',
    `Linkwell is running at ${url}  (sign in at ${url}/sign-in)`,
    `Database: ${database.kind === 'embedded' ? `embedded, in ${config.dataDir}` : 'PostgreSQL'}` +
      (applied.length ? `; migrations applied: ${applied.join(', ')}` : ''),
  ];
  if (config.demo) {
    lines.push(
      seeded ? 'Demo data has been created (fictional people and organisations).' : 'Demo mode is on.',
      `Demo accounts, all with the password "${DEMO_PASSWORD}":`,
      ...DEMO_USERS.map((u) => `  ${u.email.padEnd(34)} ${u.name}`),
      'Roles that can see personal data set up two-factor sign-in (an authenticator app) the first time.',
    );
  }
  if (outbox) lines.push(`Email is not sent: messages are written to ${outbox}`);
  lines.push('Press Ctrl+C to stop.', '');
  process.stdout.write(lines.join('\n') + '\n');
}
