/**
 * Pages: the link worker's casework forms — a contact, "what matters to me", a goal, an agreed
 * action. Each posts to the casework commands (casework.ts) through their own zod schemas, so a
 * page accepts exactly what the API accepts; mistakes come back in the error summary, and a
 * refusal from the command (a closed episode, say) is shown on the page rather than as an error.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { auditContext } from '../../audit/context.ts';
import { CONTACT_METHODS } from '../../db/schema-referrals.ts';
import { emptyErrors, trimmed, type FormErrors } from '../../web/forms.ts';
import { setFlash } from '../../web/render.ts';
import { actionSchema, addAction, addContact, addGoal, contactSchema, goalSchema, saveWhatMatters, whatMattersSchema } from '../casework.ts';
import { fullName, loadServiceRecord, type ServiceRecord } from './episode.ts';
import { LABELS } from './labels.ts';
import { addFieldError, dateParts, isPageProblem, orderErrors, partsOf, problemErrors, readDate, text, today } from './page-helpers.ts';

type Body = Record<string, unknown>;
const num = (v: unknown) => (text(v) === undefined ? undefined : /^\d+$/.test(String(v).trim()) ? Number(String(v).trim()) : Number.NaN);

interface CaseworkForm<S extends z.ZodType> {
  path: string;
  view: string;
  heading: (name: string) => string;
  order: string[];
  dates: string[];
  /** Initial values for a fresh form. */
  initial: (r: ServiceRecord) => Body;
  /** The command's input from the posted fields (dates already read). */
  input: (body: Body, dates: Record<string, string | undefined>) => unknown;
  schema: S;
  save: (deps: AppDeps, req: FastifyRequest, id: string, data: z.output<S>) => Promise<unknown>;
  done: string;
  anchor: string;
}

const FORMS = [
  {
    path: 'contacts/new',
    view: 'contact-form.njk',
    heading: (n: string) => `Record a contact with ${n}`,
    order: ['date', 'method', 'durationMinutes', 'place', 'notes'],
    dates: ['date'],
    initial: () => ({ ...prefix('date', partsOf(today())) }),
    input: (b: Body, d: Record<string, string | undefined>) => ({ date: d.date ?? '', method: text(b.method), durationMinutes: num(b.durationMinutes), place: text(b.place), notes: text(b.notes) }),
    schema: contactSchema,
    save: (deps: AppDeps, req: FastifyRequest, id: string, data: z.output<typeof contactSchema>) => addContact(deps.database.db, auditContext(req), req.actor!, id, data),
    done: 'The contact has been recorded.',
    anchor: 'contacts',
  } satisfies CaseworkForm<typeof contactSchema>,
  {
    path: 'what-matters',
    view: 'what-matters-form.njk',
    heading: (n: string) => `What matters to ${n}`,
    order: ['ownAccount', 'strengths', 'importantPeople', 'supportPreferences', 'needs', 'reviewOn'],
    dates: ['reviewOn'],
    initial: (r: ServiceRecord) => {
      const w = r.whatMatters;
      if (!w) return {};
      const review = w.review_on ? new Date(w.review_on).toISOString().slice(0, 10) : null;
      return { ownAccount: w.own_account, strengths: w.strengths, importantPeople: w.important_people, supportPreferences: w.support_preferences, needs: w.needs.join('\n'), ...prefix('reviewOn', partsOf(review)) };
    },
    input: (b: Body, d: Record<string, string | undefined>) => ({
      ownAccount: text(b.ownAccount),
      strengths: text(b.strengths),
      importantPeople: text(b.importantPeople),
      supportPreferences: text(b.supportPreferences),
      needs: (text(b.needs) ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean),
      reviewOn: d.reviewOn,
    }),
    schema: whatMattersSchema,
    save: (deps: AppDeps, req: FastifyRequest, id: string, data: z.output<typeof whatMattersSchema>) => saveWhatMatters(deps.database.db, auditContext(req), req.actor!, id, data),
    done: 'What matters to them has been saved.',
    anchor: 'what-matters',
  } satisfies CaseworkForm<typeof whatMattersSchema>,
  {
    path: 'goals/new',
    view: 'goal-form.njk',
    heading: (n: string) => `Add a goal for ${n}`,
    order: ['description', 'importance'],
    dates: [],
    initial: () => ({}),
    input: (b: Body) => ({ description: text(b.description) ?? '', importance: num(b.importance) }),
    schema: goalSchema,
    save: (deps: AppDeps, req: FastifyRequest, id: string, data: z.output<typeof goalSchema>) => addGoal(deps.database.db, auditContext(req), req.actor!, id, data),
    done: 'The goal has been added.',
    anchor: 'goals',
  } satisfies CaseworkForm<typeof goalSchema>,
  {
    path: 'actions/new',
    view: 'action-form.njk',
    heading: (n: string) => `Add an agreed action with ${n}`,
    order: ['goalId', 'who', 'what', 'dueOn', 'confidence'],
    dates: ['dueOn'],
    initial: () => ({}),
    input: (b: Body, d: Record<string, string | undefined>) => ({ goalId: text(b.goalId), who: text(b.who) ?? '', what: text(b.what) ?? '', dueOn: d.dueOn, confidence: num(b.confidence) }),
    schema: actionSchema,
    save: (deps: AppDeps, req: FastifyRequest, id: string, data: z.output<typeof actionSchema>) => addAction(deps.database.db, auditContext(req), req.actor!, id, data),
    done: 'The action has been added.',
    anchor: 'actions',
  } satisfies CaseworkForm<typeof actionSchema>,
];

/** `{ "date[day]": "21", … }` from date parts, for re-filling a date input. */
function prefix(name: string, parts: { day: string; month: string; year: string }): Body {
  return { [`${name}[day]`]: parts.day, [`${name}[month]`]: parts.month, [`${name}[year]`]: parts.year };
}

/** Friendlier words for the schema's terse messages about numbers and dates. */
const MESSAGES: Record<string, string> = {
  date: 'Enter the date of the contact, like 21 11 2026',
  method: 'Choose how you were in contact',
  durationMinutes: 'Length must be a whole number of minutes, from 1 to 600',
  importance: 'Importance must be a number from 1 to 10',
  confidence: 'Confidence must be a number from 0 to 10',
  reviewOn: 'Review date must be a real date',
  dueOn: 'The date must be a real date',
};

export function registerCaseworkRoutes(app: FastifyInstance, deps: AppDeps): void {
  for (const form of FORMS as CaseworkForm<z.ZodType>[]) {
    const render = async (req: FastifyRequest, reply: FastifyReply, id: string, values: Body | null, errors?: FormErrors, code = 200) => {
      const { record } = await loadServiceRecord(deps, req, id, form.anchor);
      return reply.code(code).render(`referrals/pages/views/${form.view}`, {
        title: form.heading(fullName(record)),
        r: record,
        values: values ?? form.initial(record),
        errors,
        action: `/service/referrals/${record.id}/${form.path}`,
        methodItems: CONTACT_METHODS.map((m) => ({ value: m, text: LABELS.contactMethod[m], checked: values?.method === m })),
        goalItems: [{ value: '', text: 'Not linked to a goal' }, ...record.goals.map((g) => ({ value: g.id, text: g.description }))],
        open: record.status === 'accepted' || record.status === 'in_progress',
        labels: LABELS,
      });
    };

    app.get(`/service/referrals/:id/${form.path}`, async (req, reply) => render(req, reply, (req.params as { id: string }).id, null));

    app.post(`/service/referrals/:id/${form.path}`, async (req, reply) => {
      const { id } = req.params as { id: string };
      const body = trimmed(req.body);
      const errors = emptyErrors();
      const dates: Record<string, string | undefined> = {};
      for (const f of form.dates) {
        const d = readDate(dateParts(body, f), f === 'date' ? 'Date of the contact' : f === 'reviewOn' ? 'Review date' : 'Date');
        if ('error' in d) addFieldError(errors, f, d.error, form.dates);
        else if ('value' in d) dates[f] = d.value;
      }
      const parsed = form.schema.safeParse(form.input(body, dates));
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? 'form');
          const message = issue.code === 'invalid_type' || issue.code === 'invalid_value' || /^must be/.test(issue.message) ? (MESSAGES[field] ?? issue.message) : issue.message;
          addFieldError(errors, field, message, form.dates);
        }
      }
      if (errors.list.length || !parsed.success) return render(req, reply, id, body, orderErrors(errors, form.order), 400);
      try {
        await form.save(deps, req, id, parsed.data);
      } catch (err) {
        if (!isPageProblem(err)) throw err;
        return render(req, reply, id, body, problemErrors(err, { goalId: 'goalId' }, form.order[0]), err.status);
      }
      setFlash(reply, form.done);
      return reply.redirect(`/service/referrals/${id}#${form.anchor}`, 303);
    });
  }
}
