import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
const tar = '/tmp/bench-pglite.tar.gz';
const client = await PGlite.create({ extensions: { pg_trgm }, loadDataDir: new Blob([fs.readFileSync(tar)]) });
const blocks = fs.readFileSync(process.argv[2]!, 'utf8').split(/^-- ?=+.*$/m).map((x) => x.trim()).filter(Boolean);
for (const q of blocks) {
  if (/^(SET|CREATE|ANALYZE|ALTER|UPDATE)/i.test(q)) { await client.exec(q); console.log('exec', q.slice(0, 60)); continue; }
  const ms: number[] = [];
  let n = 0;
  for (let i = 0; i < 25; i++) { const t0 = performance.now(); const r = await client.query(q); ms.push(performance.now() - t0); n = r.rows.length; }
  ms.sort((a, b) => a - b);
  console.log(q.split('\n')[0]!.slice(0, 70).padEnd(72), 'rows', n, 'p50', ms[12]!.toFixed(2), 'min', ms[0]!.toFixed(2));
  if (process.env.EXPLAIN) console.log((await client.query('EXPLAIN (ANALYZE, COSTS OFF) ' + q)).rows.map((r: any) => r['QUERY PLAN']).join('\n'));
}
await client.close(); process.exit(0);
