import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHttpPostcodeLookup, createOfflinePostcodeLookup, distanceMetres, normalisePostcode, PostcodeFormatError } from './postcodes.ts';

describe('postcode format', () => {
  it('normalises and accepts real formats', () => {
    expect(normalisePostcode(' se15 4qx ')).toBe('SE15 4QX');
    for (const p of ['SW1A 2AA', 'EC1V 9LB', 'W1A 0AX', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT', 'GIR 0AA']) expect(normalisePostcode(p)).toBe(p);
  });
  it('rejects impossible ones', () => {
    for (const p of ['Q1A 1AA', 'XX1 1XX', 'SW1A 2AI', 'AB1C 2DE', 'hello', 'SE15', '']) expect(normalisePostcode(p)).toBeNull();
  });
});

describe('offline lookup', () => {
  const lookup = createOfflinePostcodeLookup();
  it('finds a London postcode exactly', async () => {
    const r = await lookup.lookup('se1 7ab');
    expect(r).toMatchObject({ postcode: 'SE1 7AB', precision: 'postcode', laCode: 'E09000022', latitude: 51.5015, longitude: -0.1116 });
    expect(r!.latitude).toBeCloseTo(51.5, 1);
  });
  it('falls back to the sector, then the district, outside London', async () => {
    expect(await lookup.lookup('M1 1AE')).toMatchObject({ precision: 'sector' });
    expect((await lookup.lookup('AB10 9ZZ'))?.precision).toMatch(/sector|district/);
  });
  it('says clearly when a postcode is malformed, and returns null when unknown', async () => {
    await expect(lookup.lookup('not a postcode')).rejects.toThrow(PostcodeFormatError);
    expect(await lookup.lookup('ZE9 9ZZ')).toBeNull();
  });
  it('measures distance', () => {
    // Trafalgar Square to St Paul's Cathedral is about 2.1 km.
    expect(distanceMetres({ latitude: 51.508, longitude: -0.1281 }, { latitude: 51.5138, longitude: -0.0984 })).toBeGreaterThan(2000);
    expect(distanceMetres({ latitude: 51.508, longitude: -0.1281 }, { latitude: 51.5138, longitude: -0.0984 })).toBeLessThan(2300);
  });
});

describe('postcodes.io-compatible lookup', () => {
  it('reads the service’s answer, and a 404 as unknown', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/postcodes/SE15%204QX') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 200, result: { latitude: 51.47, longitude: -0.06, codes: { admin_district: 'E09000028' } } }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const lookup = createHttpPostcodeLookup(`http://127.0.0.1:${port}`);
    expect(await lookup.lookup('se154qx')).toMatchObject({ latitude: 51.47, laCode: 'E09000028' });
    expect(await lookup.lookup('SE1 7PH')).toBeNull();
    server.close();
  });
});
