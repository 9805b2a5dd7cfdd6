/**
 * Server-rendered pages: Nunjucks with the NHS.UK design system's own templates and macros.
 * Templates are looked up from `src/` (so a module's view is `auth/views/sign-in.njk`) and from
 * nhsuk-frontend (`nhsuk/components/button/macro.njk`).
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { ROLE_LABELS } from '../auth/permissions.ts';

const require = createRequire(import.meta.url);
export const SRC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** nhsuk-frontend's dist folder: templates under `nhsuk/`, styles, scripts and images. */
export const NHSUK_DIST = path.resolve(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');

export const ORGANISATION_TYPE_LABELS: Record<string, string> = {
  gp_practice: 'GP practice',
  primary_care_network: 'Primary care network',
  social_prescribing_service: 'Social prescribing service',
  learning_provider: 'Adult education or learning provider',
  vcse: 'Voluntary or community organisation',
  referring_team: 'Council or NHS team',
  commissioner: 'Commissioner',
};

export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([SRC_DIR, NHSUK_DIST], { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addFilter('roleLabel', (role: string) => (ROLE_LABELS as Record<string, string>)[role] ?? role);
  env.addFilter('orgTypeLabel', (type: string) => ORGANISATION_TYPE_LABELS[type] ?? type);
  env.addFilter('dateTime', (value: Date | string | null) => {
    if (!value) return '';
    return new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/London',
    }).format(new Date(value));
  });
  env.addFilter('date', (value: Date | string | null) => {
    if (!value) return '';
    return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(
      new Date(value),
    );
  });
  return env;
}
