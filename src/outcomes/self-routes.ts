/**
 * The person's own pages, opened from an emailed link, without an account (public routes): the
 * date-of-birth check, then each questionnaire as one short form (one radios group per question),
 * then thank you. Forms carry the CSRF token, which works for anonymous visitors too.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.ts';
import { auditContext } from '../audit/context.ts';
import { cookiesAreSecure } from '../config.ts';
import { emptyErrors, trimmed, type FormErrors } from '../web/forms.ts';
import { readDate } from './forms.ts';
import { getInstrument, goalIdOf, personalGoalInstrument, toListing } from '../measures/index.ts';
import type { InstrumentListing } from '../measures/index.ts';
import { GOALS_CODE } from './catalogue.ts';
import { goalIdsOf, goalsToRate, postedGoalInstrument } from './goals.ts';
import { parseAnswers, questionViews, selfCompletable, wordingFor } from './instruments.ts';
import {
  LINK_LIFETIME_DAYS,
  MEASURE_COOKIE,
  VERIFIED_MINUTES,
  checkDateOfBirth,
  findLink,
  isVerified,
  linkState,
  remainingInstruments,
  storeSelfResponse,
  type LinkState,
  type MeasureLink,
} from './links.ts';

const PUBLIC = { access: 'public' } as const;
const LIMITED = { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } } as const;

const PROBLEMS: Record<Exclude<LinkState, 'ok'>, { status: number; title: string }> = {
  unknown: { status: 404, title: 'This link does not work' },
  expired: { status: 410, title: 'This link has expired' },
  used: { status: 410, title: 'This link has already been used' },
  locked: { status: 410, title: 'This link has been locked' },
};

export function registerSelfRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const wording = wordingFor(deps.config);
  const allowed = new Set(selfCompletable(wording).map((l) => l.code));

  /**
   * What the link still asks that can be answered now: its questionnaires not yet answered, and
   * the person's goals (on a link worker's link) while they have any.
   */
  async function remainingFor(link: MeasureLink): Promise<string[]> {
    const remaining = await remainingInstruments(db, link);
    const goals = remaining.includes(GOALS_CODE) && link.referral_id ? await goalsToRate(db, link.referral_id) : [];
    return remaining.filter((code) => allowed.has(code) || (code === GOALS_CODE && goals.length > 0));
  }

  /** The questionnaire of `code` as the person sees it (their goals for goal-based outcomes). */
  async function listingFor(link: MeasureLink, code: string): Promise<InstrumentListing> {
    if (code !== GOALS_CODE) return getInstrument(code, wording)!;
    const goals = await goalsToRate(db, link.referral_id!);
    return toListing(personalGoalInstrument(goals));
  }

  /** The link if it can be used; otherwise the page saying why has been sent. */
  async function usableLink(req: FastifyRequest, reply: FastifyReply): Promise<MeasureLink | null> {
    const { token } = req.params as { token: string };
    const link = await findLink(db, token);
    const state = linkState(link);
    if (state === 'ok') return link;
    const organisation = link ? await db.selectFrom('organisation').select('name').where('id', '=', link.organisation_id).executeTakeFirst() : undefined;
    await reply.code(PROBLEMS[state].status).render('outcomes/views/self-problem.njk', { title: PROBLEMS[state].title, state, organisation: organisation?.name, lifetimeDays: LINK_LIFETIME_DAYS });
    return null;
  }

  function browserSecret(req: FastifyRequest): string | null {
    const raw = req.cookies[MEASURE_COOKIE];
    if (!raw) return null;
    const unsigned = req.unsignCookie(raw);
    return unsigned.valid ? unsigned.value : null;
  }

  function dobPage(token: string, values: Record<string, unknown>, errors?: FormErrors) {
    return { title: 'Check it is you', token, values, ...(errors ? { errors } : {}) };
  }

  async function questionsPage(link: MeasureLink, token: string, listing: InstrumentListing, remaining: number, values: Record<string, unknown>, errors: FormErrors) {
    const isGoals = listing.code === GOALS_CODE;
    const organisation = await db.selectFrom('organisation').select('name').where('id', '=', link.organisation_id).executeTakeFirstOrThrow();
    const step = link.instruments.length - remaining + 1;
    return {
      title: isGoals ? 'Your goals' : listing.shortTitle,
      heading: isGoals ? 'Your goals: how close are you to each?' : `${listing.shortTitle}: how you have been`,
      token,
      listing,
      goals: isGoals ? listing.items.map((item) => goalIdOf(item.key)).join(',') : null,
      organisation: organisation.name,
      step,
      steps: link.instruments.length,
      questions: questionViews(listing, values, errors, { allowNotAnswered: false }),
      errors,
    };
  }

  app.get('/measure/thank-you', { config: PUBLIC }, async (_req, reply) => reply.render('outcomes/views/self-done.njk', { title: 'Thank you' }));

  app.get('/measure/:token', { config: PUBLIC }, async (req, reply) => {
    const link = await usableLink(req, reply);
    if (!link) return reply;
    const { token } = req.params as { token: string };
    if (isVerified(link, browserSecret(req))) return reply.redirect(`/measure/${token}/questions`, 303);
    return reply.render('outcomes/views/self-dob.njk', dobPage(token, {}));
  });

  app.post('/measure/:token', { config: LIMITED }, async (req, reply) => {
    const link = await usableLink(req, reply);
    if (!link) return reply;
    const { token } = req.params as { token: string };
    const body = trimmed(req.body);
    const values = { day: body['dob-day'], month: body['dob-month'], year: body['dob-year'] };
    const date = readDate(body, 'dob', { name: 'your date of birth', example: '31 3 1980', notFuture: true, notBefore: '1900-01-01' });
    if (!date.value) return reply.code(400).render('outcomes/views/self-dob.njk', dobPage(token, values, date.errors));
    const result = await checkDateOfBirth(db, auditContext(req), link, date.value);
    if (!result.ok) {
      // The last try locks the link: the page now says so.
      if (result.triesLeft === 0) return (await usableLink(req, reply)) ?? reply;
      const errors = emptyErrors();
      errors.list.push({ text: `The date of birth does not match our records. You have ${result.triesLeft} ${result.triesLeft === 1 ? 'try' : 'tries'} left.`, href: '#dob-day' });
      errors.byField['dob-day'] = { text: errors.list[0]!.text };
      return reply.code(400).render('outcomes/views/self-dob.njk', dobPage(token, values, errors));
    }
    reply.setCookie(MEASURE_COOKIE, result.secret, {
      path: '/measure',
      httpOnly: true,
      sameSite: 'lax',
      signed: true,
      secure: cookiesAreSecure(deps.config),
      maxAge: VERIFIED_MINUTES * 60,
    });
    return reply.redirect(`/measure/${token}/questions`, 303);
  });

  app.get('/measure/:token/questions', { config: PUBLIC }, async (req, reply) => {
    const link = await usableLink(req, reply);
    if (!link) return reply;
    const { token } = req.params as { token: string };
    if (!isVerified(link, browserSecret(req))) return reply.redirect(`/measure/${token}`, 303);
    const remaining = await remainingFor(link);
    if (remaining.length === 0) return reply.redirect('/measure/thank-you', 303);
    return reply.render('outcomes/views/self-questions.njk', await questionsPage(link, token, await listingFor(link, remaining[0]!), remaining.length, {}, emptyErrors()));
  });

  app.post('/measure/:token/questions', { config: LIMITED }, async (req, reply) => {
    const link = await usableLink(req, reply);
    if (!link) return reply;
    const { token } = req.params as { token: string };
    if (!isVerified(link, browserSecret(req))) return reply.redirect(`/measure/${token}`, 303);
    const body = trimmed(req.body);
    const remaining = await remainingFor(link);
    const code = remaining.find((c) => c === body.instrument);
    if (!code) return reply.redirect(`/measure/${token}/questions`, 303);
    // Goals are rated as they were shown; if they changed meanwhile, the page is shown again with the goals now.
    const goals = code === GOALS_CODE ? await postedGoalInstrument(db, link.referral_id!, goalIdsOf(body.goals)) : null;
    if (code === GOALS_CODE && !goals) return reply.redirect(`/measure/${token}/questions`, 303);
    const listing = goals ? toListing(goals) : getInstrument(code, wording)!;
    const parsed = parseAnswers(listing, body, { allowNotAnswered: false });
    if (!parsed.ok) return reply.code(400).render('outcomes/views/self-questions.njk', await questionsPage(link, token, listing, remaining.length, body, parsed.errors));
    const result = await storeSelfResponse(db, auditContext(req), link, code, parsed.answers, goals ?? undefined);
    if (result.finished) {
      reply.clearCookie(MEASURE_COOKIE, { path: '/measure' });
      return reply.redirect('/measure/thank-you', 303);
    }
    return reply.redirect(`/measure/${token}/questions`, 303);
  });
}
