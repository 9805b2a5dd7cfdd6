/**
 * For tests only (ajv is a development dependency): checks a response against the ORUK 3.0 JSON
 * Schemas in ./spec/schema, the way the official validator does — JSON Schema 2020-12 with formats,
 * non-strict (the schemas carry data-package keywords), each file registered under its canonical
 * URL because their $refs are absolute.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const SCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'spec', 'schema');
const BASE = 'https://openreferraluk.org/specifications/3.0/schema/';

// ajv-formats is CommonJS; under Node's ESM loader its function is on `.default`.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

let ajv: Ajv2020 | undefined;

function load() {
  if (ajv) return ajv;
  const instance = new Ajv2020({ strict: false, allErrors: true });
  addFormats(instance);
  for (const file of fs.readdirSync(SCHEMA_DIR)) {
    if (!file.endsWith('.json')) continue;
    instance.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8')), BASE + file);
  }
  ajv = instance;
  return instance;
}

/** The schema file each endpoint's 200 response must satisfy (from the ORUK openapi.json). */
export const RESPONSE_SCHEMA = {
  '/': 'api_details.json',
  '/services': 'service_list.json',
  '/services/{id}': 'service.json',
  '/service_at_locations': 'service_at_location_list.json',
  '/service_at_locations/{id}': 'service_at_location.json',
  '/taxonomies': 'taxonomy_list.json',
  '/taxonomies/{id}': 'taxonomy.json',
  '/taxonomy_terms': 'taxonomy_term_list.json',
  '/taxonomy_terms/{id}': 'taxonomy_term.json',
  '/organizations': 'organization_list.json',
  '/organizations/{id}': 'organization.json',
} as const;

/** The schema errors of `data` against a schema file, as readable lines (empty when valid). */
export function schemaErrors(schemaFile: string, data: unknown): string[] {
  const validate = load().getSchema(BASE + schemaFile);
  if (!validate) throw new Error(`no ORUK schema ${schemaFile}`);
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${schemaFile}${e.instancePath || '/'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`);
}

/** Paths (like `contents/0/email`) of every null or "" anywhere in a JSON value. */
export function emptyValuePaths(value: unknown, at = ''): string[] {
  if (value === null || value === '') return [at || '/'];
  if (Array.isArray(value)) return value.flatMap((v, i) => emptyValuePaths(v, `${at}/${i}`));
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => emptyValuePaths(v, `${at}/${k}`));
  return [];
}
