/**
 * The one place Linkwell reads its configuration. Everything comes from environment variables
 * (and, for the command line, a few flags passed in as overrides), is validated once at start-up,
 * and is then passed explicitly to whatever needs it.
 */
import path from 'node:path';
import { z } from 'zod';

/** The secret used when none is configured: fine on a laptop, refused in production. */
export const DEVELOPMENT_SESSION_SECRET = 'linkwell-development-session-secret-do-not-use-in-production';

export interface Config {
  /** `production` turns on every safety check; `development` is the friendly default. */
  environment: 'production' | 'development';
  port: number;
  host: string;
  /** Where the embedded database and the demo mail outbox live. */
  dataDir: string;
  /** When set, PostgreSQL is used instead of the embedded database. */
  databaseUrl: string | undefined;
  /** The public address of this deployment, used in emailed links. */
  baseUrl: string;
  sessionSecret: string;
  /** Minutes without activity after which a session ends. */
  sessionIdleMinutes: number;
  /** Demo mode: seeds fictional data and delivers mail to a folder. Never in production. */
  demo: boolean;
  smtp: { url: string | undefined; from: string };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** A postcodes.io-compatible service; when unset, the offline open data in data/geo/ is used. */
  postcodesApiUrl: string | undefined;
  /** Failed sign-ins in a row before an account is locked, and for how long. */
  lockout: { attempts: number; minutes: number };
  /**
   * The deployment has registered its use of WEMWBS and SWEMWBS with the University of Warwick, so
   * their wording may be shown. Scoring needs no wording and works either way.
   */
  warwickLicenceConfirmed: boolean;
  /** How old the reports' summary tables may be before a report brings them up to date first. */
  reportsMaxAgeSeconds: number;
  /** How often the server refreshes the reports' summary tables in the background (0: never). */
  reportsRefreshSeconds: number;
}

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  LINKWELL_ENV: z.enum(['production', 'development']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LINKWELL_DATA_DIR: z.string().min(1).default('./.linkwell'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  LINKWELL_BASE_URL: z.url().optional(),
  LINKWELL_SESSION_SECRET: z.string().optional(),
  LINKWELL_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  LINKWELL_DEMO: booleanText.optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Linkwell <no-reply@linkwell.invalid>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  POSTCODES_API_URL: z.url().optional(),
  LINKWELL_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  LINKWELL_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  LINKWELL_WARWICK_REGISTERED: booleanText.optional(),
  LINKWELL_REPORTS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(24 * 60 * 60).default(60),
  LINKWELL_REPORTS_REFRESH_SECONDS: z.coerce.number().int().min(0).max(24 * 60 * 60).default(60),
});

export class ConfigError extends Error {}

/** Overrides from the command line (`--port`, `--data-dir`). */
export interface ConfigOverrides {
  port?: number;
  dataDir?: string;
}

/**
 * Reads and validates configuration. Throws a ConfigError listing every problem at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(clean);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Linkwell's configuration is not valid:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.LINKWELL_ENV === 'production';
  const port = overrides.port ?? e.PORT;
  const demo = e.LINKWELL_DEMO ?? !production;
  const config: Config = {
    environment: e.LINKWELL_ENV,
    port,
    host: e.HOST,
    dataDir: path.resolve(overrides.dataDir ?? e.LINKWELL_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    baseUrl: (e.LINKWELL_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    sessionSecret: e.LINKWELL_SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
    sessionIdleMinutes: e.LINKWELL_SESSION_IDLE_MINUTES,
    demo,
    smtp: { url: e.SMTP_URL, from: e.MAIL_FROM },
    logLevel: e.LOG_LEVEL,
    postcodesApiUrl: e.POSTCODES_API_URL,
    lockout: { attempts: e.LINKWELL_LOCKOUT_ATTEMPTS, minutes: e.LINKWELL_LOCKOUT_MINUTES },
    warwickLicenceConfirmed: e.LINKWELL_WARWICK_REGISTERED ?? demo,
    reportsMaxAgeSeconds: e.LINKWELL_REPORTS_MAX_AGE_SECONDS,
    reportsRefreshSeconds: e.LINKWELL_REPORTS_REFRESH_SECONDS,
  };
  if (production) checkProductionSafety(config, e.LINKWELL_SESSION_SECRET);
  return config;
}

function checkProductionSafety(config: Config, secret: string | undefined): void {
  const problems: string[] = [];
  if (!secret) problems.push('LINKWELL_SESSION_SECRET must be set (at least 32 random characters)');
  else if (secret === DEVELOPMENT_SESSION_SECRET) problems.push('LINKWELL_SESSION_SECRET is the development secret');
  else if (secret.length < 32) problems.push('LINKWELL_SESSION_SECRET must be at least 32 characters');
  if (config.demo) problems.push('LINKWELL_DEMO must not be on: demo accounts have a published password');
  if (!config.baseUrl.startsWith('https://')) problems.push('LINKWELL_BASE_URL must be an https:// address');
  if (!config.smtp.url) problems.push('SMTP_URL must be set so password resets and invitations can be sent');
  if (problems.length > 0) {
    throw new ConfigError(`Linkwell will not start in production mode:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Cookies are marked Secure whenever the deployment is served over https. */
export function cookiesAreSecure(config: Config): boolean {
  return config.baseUrl.startsWith('https://');
}
