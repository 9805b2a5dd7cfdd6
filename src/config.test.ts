import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_SESSION_SECRET, loadConfig } from './config.ts';

const SECRET = 'x'.repeat(40);
const PRODUCTION = {
  LINKWELL_ENV: 'production',
  LINKWELL_SESSION_SECRET: SECRET,
  LINKWELL_BASE_URL: 'https://linkwell.example.org',
  SMTP_URL: 'smtp://mail.example.org:587',
};

describe('configuration', () => {
  it('has working defaults for a laptop', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toMatch(/\.linkwell$/);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.demo).toBe(true);
    expect(c.sessionSecret).toBe(DEVELOPMENT_SESSION_SECRET);
    expect(c.baseUrl).toBe('http://localhost:3000');
    expect(c.reportsMaxAgeSeconds).toBe(60);
  });

  it('takes command-line overrides over the environment', () => {
    const c = loadConfig({ PORT: '4000' }, { port: 5000, dataDir: '/tmp/lw' });
    expect(c.port).toBe(5000);
    expect(c.dataDir).toBe('/tmp/lw');
  });

  it('lists every invalid setting', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL/);
    expect(() => loadConfig({ LINKWELL_REPORTS_MAX_AGE_SECONDS: '-1' })).toThrow(/LINKWELL_REPORTS_MAX_AGE_SECONDS/);
    expect(loadConfig({ LINKWELL_REPORTS_MAX_AGE_SECONDS: '0' }).reportsMaxAgeSeconds).toBe(0);
  });

  it('starts in production with real settings', () => {
    const c = loadConfig(PRODUCTION);
    expect(c.demo).toBe(false);
    expect(c.environment).toBe('production');
  });

  it('refuses production without a session secret, with the development one, or in demo mode', () => {
    expect(() => loadConfig({ ...PRODUCTION, LINKWELL_SESSION_SECRET: '' })).toThrow(/LINKWELL_SESSION_SECRET must be set/);
    expect(() => loadConfig({ ...PRODUCTION, LINKWELL_SESSION_SECRET: DEVELOPMENT_SESSION_SECRET })).toThrow(/development secret/);
    expect(() => loadConfig({ ...PRODUCTION, LINKWELL_SESSION_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => loadConfig({ ...PRODUCTION, LINKWELL_DEMO: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...PRODUCTION, LINKWELL_BASE_URL: 'http://linkwell.example.org' })).toThrow(/https/);
    expect(() => loadConfig({ ...PRODUCTION, SMTP_URL: '' })).toThrow(/SMTP_URL/);
  });
});
