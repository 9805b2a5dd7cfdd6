import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createMailer } from '../src/mail/mailer.ts';
import { createOfflinePostcodeLookup } from '../src/geo/postcodes.ts';
import { createSession } from '../src/auth/sessions.ts';
import { makeListing } from '../src/directory/search/test-listings.ts';
const database = await openDatabase(process.env.PGURL ? { databaseUrl: process.env.PGURL } : {});
await migrate(database);
const db = database.db;
for (let i = 0; i < 30; i++) await makeListing(db, { name: `Service ${i} garden`, places: [{ latitude: 51.47 + i / 1000, longitude: -0.09 }], terms: ['dd1f0c3d-9fec-5d59-a6b7-278bb481635a'], intakes: [{ start_date: '2027-01-01', weekdays: 'TU', start_time: '10:00' }], service: { lw_free: true, description: 'A long description of the service. '.repeat(5) } });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-'));
const config = loadConfig({ LINKWELL_DEMO: 'false', LOG_LEVEL: 'silent', LINKWELL_DATA_DIR: dataDir });
const app = await createApp({ config, database, mailer: createMailer(config), postcodes: createOfflinePostcodeLookup() });
await app.ready();
const org = await db.insertInto('organisation').values({ name: 'X', type: 'social_prescribing_service', ods_code: null, area_code: null, area_name: null, parent_id: null }).returning('id').executeTakeFirstOrThrow();
const user = await db.insertInto('app_user').values({ email: 'b@example.test', display_name: 'B', password_hash: null, totp_secret: null, totp_enabled_at: new Date(), totp_last_step: null, locked_until: null, last_sign_in_at: null }).returning('id').executeTakeFirstOrThrow();
await db.insertInto('membership').values({ user_id: user.id, organisation_id: org.id, role: 'link_worker' }).execute();
const { token } = await createSession(db, user.id, true);
const headers = { cookie: `lw_session=${token}` };
async function t(label: string, url: string, auth = true) {
  for (let i = 0; i < 30; i++) await app.inject({ url, headers: auth ? headers : {} });
  const ms: number[] = [];
  for (let i = 0; i < 100; i++) { const t0 = performance.now(); const r = await app.inject({ url, headers: auth ? headers : {} }); ms.push(performance.now() - t0); if (r.statusCode !== 200) throw new Error(url + r.statusCode); }
  ms.sort((a, b) => a - b);
  console.log(label.padEnd(40), 'p50', ms[50]!.toFixed(2), 'p95', ms[95]!.toFixed(2));
}
await t('/health (public)', '/health', false);
await t('/find?q=zzz (public, no results)', '/find?q=zzzz', false);
await t('/directory/shortlist', '/directory/shortlist');
await t('/directory?q=zzzz (no results)', '/directory?q=zzzz');
await t('/directory?activity=learning (20 results)', '/directory?activity=learning');
await t('/', '/');
await app.close(); await database.close(); process.exit(0);
