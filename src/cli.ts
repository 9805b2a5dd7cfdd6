/**
 * The `linkwell` command: serve, migrate, seed-demo, user create, token create, audit verify.
 * Every command takes --data-dir DIR (embedded database) or uses DATABASE_URL, prints a clear
 * message when something is wrong and exits non-zero.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { startServer } from './server.ts';
import { commandLineContext } from './audit/audit.ts';
import { verifyAuditChain } from './audit/verify.ts';
import { DEMO_PASSWORD, seedDemo } from './demo/seed.ts';
import { createUser, findUserIdByEmail } from './users/commands.ts';
import { createApiToken } from './auth/api-tokens.ts';
import { declineOverdue } from './referrals/overdue.ts';
import { checkSource, importCommand, syncCommand } from './directory/import/command.ts';
import { refreshReportSummaries } from './reports/refresh.ts';
import { createHttpPostcodeLookup } from './geo/postcodes.ts';

const USAGE = `Usage: linkwell <command> [options]

Commands:
  serve [--port N]             Start the web application (applies migrations first)
  migrate                      Apply database migrations
  seed-demo                    Create the fictional demo data (safe to run again)
  user create --email E --name N [--password-stdin] [--platform-admin]
              [--organisation ODS_CODE_OR_ID --role ROLE]
                               Create a staff account (without a password, prints an invitation link)
  token create --email E [--name NAME]
                               Create an API token for a user and print only the token
  audit verify                 Check the audit trail's hash chain; exits 1 naming the first bad event
  import oruk FILE_OR_URL      Import Open Referral UK 3.0 or 1.0 services from a JSON file or a paged
                               http(s) feed; prints what was created, updated, unchanged and rejected
  import sync --feed ID | --all
                               Re-import registered directory feeds (3.0 feeds: only what changed)
  referrals decline-overdue    Decline onward referrals past their reply-by date, for providers that
                               chose automatic decline (run it daily from a scheduler)
  reports refresh [--full]     Bring the reports' summary tables up to date (only what changed; --full
                               rebuilds them all); reports also do this themselves when stale

Options for every command:
  --data-dir DIR               Folder for the embedded database (default ./.linkwell)
  Set DATABASE_URL to use PostgreSQL instead.
`;

class UsageError extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function withDatabase<T>(config: Config, work: (database: Database) => Promise<T>, options = { migrate: true }): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (options.migrate) await migrate(database);
    return await work(database);
  } finally {
    await database.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      organisation: { type: 'string' },
      role: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'platform-admin': { type: 'boolean' },
      feed: { type: 'string' },
      all: { type: 'boolean' },
      full: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0] === 'import' ? positionals.slice(0, 2).join(' ') : positionals.join(' ');
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError('--port must be a whole number from 0 to 65535');
  const config = loadConfig(process.env, { port, dataDir: values['data-dir'] });

  switch (command) {
    case 'serve': {
      const server = await startServer(config);
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1; // keep running
    }
    case 'migrate': {
      const applied = await withDatabase(config, (d) => migrate(d), { migrate: false });
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
      return 0;
    }
    case 'seed-demo':
      return withDatabase(config, async (d) => {
        const { usersCreated } = await seedDemo(d.db, commandLineContext());
        process.stdout.write(`Demo data is in place (${usersCreated} new accounts). Demo password: "${DEMO_PASSWORD}"\n`);
        return 0;
      });
    case 'user create': {
      if (!values.email || !values.name) throw new UsageError('user create needs --email and --name');
      if ((values.organisation === undefined) !== (values.role === undefined)) throw new UsageError('--organisation and --role go together');
      const password = values['password-stdin'] ? await readStdin() : undefined;
      return withDatabase(config, async (d) => {
        const result = await createUser(d.db, commandLineContext(), {
          email: values.email!,
          displayName: values.name!,
          password,
          platformAdmin: values['platform-admin'] ?? false,
          organisation: values.organisation,
          role: values.role,
        });
        process.stdout.write(`Created ${values.email}.\n`);
        if (result.invitationToken) process.stdout.write(`They can choose a password at ${config.baseUrl}/invitations/${result.invitationToken}\n`);
        return 0;
      });
    }
    case 'token create': {
      if (!values.email) throw new UsageError('token create needs --email');
      return withDatabase(config, async (d) => {
        const userId = await findUserIdByEmail(d.db, values.email!);
        const { token } = await createApiToken(d.db, commandLineContext(userId), userId, values.name ?? 'Command line');
        process.stdout.write(`${token}\n`);
        return 0;
      });
    }
    case 'audit verify':
      return withDatabase(
        config,
        async (d) => {
          const exists = await sql<{ t: string | null }>`SELECT to_regclass('audit_event')::text AS t`.execute(d.db);
          if (!exists.rows[0]?.t) throw new Error('This database has not been set up yet: run "linkwell migrate" first.');
          const result = await verifyAuditChain(d.db);
          if (result.ok) {
            process.stdout.write(`The audit trail is intact: ${result.count} events checked.\n`);
            return 0;
          }
          process.stderr.write(`The audit trail has been tampered with: ${result.problem}. ${result.count} events before it are intact.\n`);
          return 1;
        },
        { migrate: false },
      );
    case 'import oruk': {
      const source = positionals[2];
      if (!source || positionals.length > 3) throw new UsageError('import oruk needs one file or http(s) address');
      checkSource(source);
      return withDatabase(config, (d) => importCommand(d, source, process));
    }
    case 'import sync':
      if (!values.feed === !values.all || positionals.length > 2) throw new UsageError('import sync needs --feed ID or --all');
      return withDatabase(config, (d) => syncCommand(d, { feed: values.feed, all: values.all }, process));
    case 'referrals decline-overdue':
      return withDatabase(config, async (d) => {
        const declined = await declineOverdue(d.db, new Date());
        process.stdout.write(`${declined.length} overdue onward referral${declined.length === 1 ? '' : 's'} declined.\n`);
        return 0;
      });
    case 'reports refresh':
      return withDatabase(config, async (d) => {
        const postcodes = config.postcodesApiUrl ? createHttpPostcodeLookup(config.postcodesApiUrl) : undefined;
        const r = await refreshReportSummaries(d.db, { full: values.full ?? false, ...(postcodes ? { postcodes } : {}) });
        process.stdout.write(
          r.mode === 'none'
            ? `The report summaries were already up to date (${r.ms} ms).\n`
            : `Report summaries refreshed (${r.mode}): ${r.episodes} episodes, ${r.onward} onward referrals, ${r.outcomes} outcome rows in ${r.ms} ms.\n`,
        );
        return 0;
      });
    default:
      throw new UsageError(`Unknown command "${positionals.join(' ')}".`);
  }
}

/** Runs the command line and sets the exit code; `serve` keeps the process alive. */
export function run(argv = process.argv.slice(2)): void {
  main(argv).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (err: Error) => {
      process.stderr.write(`linkwell: ${err.message}\n`);
      if (err instanceof UsageError) process.stderr.write('Run "linkwell --help" for usage.\n');
      process.exitCode = 1;
    },
  );
}
