/**
 * The stateless outcome-measure API: list instruments, score one questionnaire, compare two. Nothing
 * is stored and no personal data is needed, so the routes are public (rate limited per address);
 * answers are never logged. WEMWBS/SWEMWBS wording is listed only once the deployment has confirmed
 * its University of Warwick registration (`LINKWELL_WARWICK_REGISTERED`); scoring works regardless.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app.ts';
import { HttpProblem, notFound, unprocessable } from '../web/problems.ts';
import {
  BUILT_IN_INSTRUMENTS,
  compareScores,
  getInstrument,
  isMeasureError,
  listInstruments,
  scoreInstrument,
  validateAnswers,
} from './index.ts';
import type { AnswerProblem, WordingOptions } from './index.ts';
import {
  ChangeBodySchema,
  ChangeResultSchema,
  CodeParamsSchema,
  InstrumentListSchema,
  InstrumentSchema,
  ScoreBodySchema,
  ScoreResultSchema,
  instrumentProblemResponses,
} from './api-schemas.ts';

/** Instruments whose wording needs the deployment's Warwick registration. */
export const WARWICK_CODES: readonly string[] = ['wemwbs', 'swemwbs'];

/** Requests per minute per address, for each instrument route. */
export const INSTRUMENT_RATE_LIMIT = 300;

const TAG = 'Outcome measures';
const PUBLIC = { access: 'public', rateLimit: { max: INSTRUMENT_RATE_LIMIT, timeWindow: '1 minute' } } as const;
const ERRORS_NOTE =
  'Wrong number of answers, a value not allowed, or an externally scored instrument: 422, where each entry of `errors` has `name` (the JSON path of the answer, counted from 0) and `detail` (naming the item, counted from 1, and what is allowed). Unknown code: 404. Malformed JSON or wrong types: 400.';

/** Registers GET /api/v1/instruments, GET /api/v1/instruments/:code, and POST …/score and …/change. */
export function registerInstrumentRoutes(app: FastifyInstance, { config }: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const wording: WordingOptions = { registeredFor: config.warwickLicenceConfirmed ? WARWICK_CODES : [] };

  api.get(
    '/api/v1/instruments',
    {
      config: PUBLIC,
      schema: {
        tags: [TAG],
        summary: 'Every outcome-measure instrument: codes, versions, items where the licence allows, scoring rules',
        description: `WEMWBS and SWEMWBS item wording is included only when this deployment has registered with the University of Warwick (\`wordingShown\`).`,
        security: [],
        response: { 200: InstrumentListSchema, 429: instrumentProblemResponses[429] },
      },
    },
    async () => ({ data: listInstruments(wording) }),
  );

  api.get(
    '/api/v1/instruments/:code',
    {
      config: PUBLIC,
      schema: {
        tags: [TAG],
        summary: 'One instrument',
        security: [],
        params: CodeParamsSchema,
        response: { 200: InstrumentSchema, ...instrumentProblemResponses },
      },
    },
    async (req) => findInstrument(req.params.code, wording),
  );

  api.post(
    '/api/v1/instruments/:code/score',
    {
      config: PUBLIC,
      schema: {
        tags: [TAG],
        summary: 'Score one questionnaire from its answers (nothing is stored)',
        description: `Sum scales give \`total\` and \`band\` (SWEMWBS also \`raw\` and \`metric\`; PHQ-9 and GAD-7 also \`caseness\`); ONS4 gives \`items\`, each with \`score\` and \`band\`. No total is given when a scored item is unanswered (null); PHQ-9 and GAD-7 then give a separately labelled \`proratedScore\` where their rule allows. ${ERRORS_NOTE}`,
        security: [],
        params: CodeParamsSchema,
        body: ScoreBodySchema,
        response: { 200: ScoreResultSchema, ...instrumentProblemResponses },
      },
    },
    async (req) => {
      const { code } = req.params;
      const name = findInstrument(code, wording).shortTitle;
      return withMeasureErrors(() => {
        const problems = validateAnswers(code, req.body.answers);
        if (problems.length > 0) throw answerProblem(`These answers cannot be scored as ${name}`, 'body.answers', problems);
        return scoreInstrument(code, req.body.answers);
      }, 'body.answers');
    },
  );

  api.post(
    '/api/v1/instruments/:code/change',
    {
      config: PUBLIC,
      schema: {
        tags: [TAG],
        summary: 'Change between a baseline and a follow-up questionnaire (nothing is stored)',
        description: `Single-score instruments give \`change\` (follow-up minus baseline), \`reliableChange\` and \`direction\` ("improved", "deteriorated" or "no-reliable-change"); PHQ-9 and GAD-7 add Talking-Therapies-style \`recovery\`, \`reliableImprovement\`, \`reliableDeterioration\` and \`reliableRecovery\` (recovery is null when the baseline is not at caseness). SWEMWBS change is on metric scores. Instruments without a published reliable-change threshold (UCLA-3, ONS4, the ONS loneliness question, learner satisfaction, goal-based outcomes) give \`reliableChange\` and \`direction\` as null and \`trend\` ("better", "worse", "unchanged") instead; so does any instrument when a score is missing. ONS4 and learner satisfaction give the change per item under \`items\`; goal-based outcomes per goal under \`goals\`. ${ERRORS_NOTE}`,
        security: [],
        params: CodeParamsSchema,
        body: ChangeBodySchema,
        response: { 200: ChangeResultSchema, ...instrumentProblemResponses },
      },
    },
    async (req) => {
      const { code } = req.params;
      const name = findInstrument(code, wording).shortTitle;
      const { baseline, followup } = req.body;
      return withMeasureErrors(() => {
        const problems = [
          ...answerFields('body.baseline.answers', validateAnswers(code, baseline.answers)),
          ...answerFields('body.followup.answers', validateAnswers(code, followup.answers)),
        ];
        if (problems.length > 0) {
          throw unprocessable(
            `These answers cannot be compared as ${name}: ${problems.map((field) => `${field.name}: ${field.detail}`).join('; ')}`,
            problems,
          );
        }
        return compareScores(code, baseline.answers, followup.answers);
      }, 'body.followup.answers');
    },
  );
}

/** The listing of a built-in instrument, or a 404 naming the codes that exist. */
function findInstrument(code: string, wording: WordingOptions) {
  const found = getInstrument(code, wording);
  if (!found) {
    const known = BUILT_IN_INSTRUMENTS.map((definition) => definition.code).join(', ');
    throw notFound(`There is no instrument with the code ${JSON.stringify(code)}. The codes are: ${known}.`);
  }
  return found;
}

/** Problems with one list of answers as problem+json fields: the JSON path (0-based) and the engine's message (1-based item). */
function answerFields(path: string, problems: readonly AnswerProblem[]): { name: string; detail: string }[] {
  return problems.map((problem) => ({ name: problem.item === 0 ? path : `${path}.${problem.item - 1}`, detail: problem.message }));
}

function answerProblem(lead: string, path: string, problems: readonly AnswerProblem[]): HttpProblem {
  return unprocessable(`${lead}: ${problems.map((problem) => problem.message).join('; ')}`, answerFields(path, problems));
}

/** Runs engine code, turning its errors into problems: unknown code → 404, anything else it refuses → 422. */
function withMeasureErrors<T>(run: () => T, path: string): T {
  try {
    return run();
  } catch (error) {
    if (!isMeasureError(error)) throw error;
    if (error.kind === 'unknown-instrument') throw notFound(error.message);
    throw unprocessable(error.message, answerFields(path, error.problems));
  }
}
