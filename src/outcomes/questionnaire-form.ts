/**
 * The form in which an organisation writes its own questionnaire, without scripts: a title, a
 * number of questions (each with its answers typed one per line, value first, or left empty to
 * reuse the previous question's answers), sum or mean scoring, which direction is better, and
 * optional bands. Checked by the scoring engine's own rules (measures/custom.ts); every problem
 * names the field, and the answers are kept.
 */
import { validateCustomDefinition } from '../measures/index.ts';
import { addError, emptyErrors, type FormErrors } from '../web/forms.ts';
import type { QuestionnaireContent } from './questionnaires.ts';

/** Most questions on one questionnaire (the form's limit). */
export const MAX_QUESTIONS = 30;
const MAX_TEXT = 500;

export interface QuestionnaireFormValues {
  title: string;
  items: { text: string; options: string }[];
  scoring: string;
  direction: string;
  bands: string;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The posted form's values; `add` asks for one more (empty) question. */
export function formValues(body: Record<string, unknown>, add = false): QuestionnaireFormValues {
  const count = Math.min(MAX_QUESTIONS, Math.max(1, Number.parseInt(text(body.itemCount), 10) || 1));
  const items = Array.from({ length: count }, (_, i) => ({ text: text(body[`item-${i + 1}-text`]), options: text(body[`item-${i + 1}-options`]) }));
  if (add && items.length < MAX_QUESTIONS) items.push({ text: '', options: '' });
  return { title: text(body.title), items, scoring: text(body.scoring), direction: text(body.direction), bands: text(body.bands) };
}

/** The form's values for stored content (to edit it). */
export function valuesFromContent(content: QuestionnaireContent): QuestionnaireFormValues {
  return {
    title: content.title,
    items: content.items.map((item) => ({ text: item.text, options: item.options.map((o) => `${o.value} ${o.label}`).join('\n') })),
    scoring: content.scoring,
    direction: content.higherIsBetter === false ? 'lower' : 'higher',
    bands: (content.bands ?? []).map((b) => `${b.min} to ${b.max} ${b.label}`).join('\n'),
  };
}

const NUMBER = '(-?\\d+(?:\\.\\d+)?)';
const OPTION_LINE = new RegExp(`^${NUMBER}\\s*[=:.)–-]?\\s+(.+)$`);
const BAND_LINE = new RegExp(`^${NUMBER}\\s*(?:-|–|to)\\s*${NUMBER}\\s*[=:.)–-]?\\s+(.+)$`);

function lines(value: string): string[] {
  return value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

function slug(label: string, index: number, used: Set<string>): string {
  let code = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '') || `band-${index}`;
  if (used.has(code)) code = `${code}-${index}`;
  used.add(code);
  return code;
}

/** Reads and checks the questionnaire; the content to store, or the errors for the page. */
export function parseQuestionnaire(values: QuestionnaireFormValues): { ok: true; content: QuestionnaireContent } | { ok: false; errors: FormErrors } {
  const errors = emptyErrors();
  if (!values.title) addError(errors, 'title', 'Enter a title for the questionnaire');
  else if (values.title.length > 200) addError(errors, 'title', 'The title must be 200 characters or fewer');

  // Questions left completely empty are dropped; `fieldOf` maps the engine's item numbers back to the form's.
  const fieldOf: number[] = [];
  const items: { text: string; options: { value: number; label: string }[] }[] = [];
  let previous: { value: number; label: string }[] | null = null;
  values.items.forEach((item, i) => {
    const n = i + 1;
    if (!item.text && !item.options) return;
    if (!item.text) addError(errors, `item-${n}-text`, `Enter the words of question ${n}`);
    else if (item.text.length > MAX_TEXT) addError(errors, `item-${n}-text`, `Question ${n} must be ${MAX_TEXT} characters or fewer`);
    let options: { value: number; label: string }[] = [];
    if (!item.options && previous) options = previous;
    else if (!item.options) addError(errors, `item-${n}-options`, `Enter the answers to question ${n}, one per line, each starting with its value`);
    for (const [l, line] of lines(item.options).entries()) {
      const match = OPTION_LINE.exec(line);
      if (!match || match[2]!.length > 200) {
        addError(errors, `item-${n}-options`, `Question ${n}, answer ${l + 1}: start with its value (a number), then its words, like “0 Not at all”`);
        continue;
      }
      options.push({ value: Number(match[1]), label: match[2]! });
    }
    previous = options;
    fieldOf.push(n);
    items.push({ text: item.text, options });
  });
  if (items.length === 0 && !errors.byField['item-1-text']) addError(errors, 'item-1-text', 'Enter at least one question');
  if (values.scoring !== 'sum' && values.scoring !== 'mean') addError(errors, 'scoring', 'Select how the questionnaire is scored');
  if (values.direction !== 'higher' && values.direction !== 'lower') addError(errors, 'direction', 'Select whether a higher score is better or worse');

  const bands: { code: string; label: string; min: number; max: number }[] = [];
  const used = new Set<string>();
  for (const [l, line] of lines(values.bands).entries()) {
    const match = BAND_LINE.exec(line);
    if (!match || match[3]!.length > 100) {
      addError(errors, 'bands', `Band ${l + 1}: give its lowest and highest score, then its name, like “3 to 5 Low”`);
      continue;
    }
    bands.push({ code: slug(match[3]!, l + 1, used), label: match[3]!, min: Number(match[1]), max: Number(match[2]) });
  }
  if (errors.list.length > 0) return { ok: false, errors };

  const content: QuestionnaireContent = {
    title: values.title,
    items,
    scoring: values.scoring as 'sum' | 'mean',
    higherIsBetter: values.direction === 'higher',
    ...(bands.length ? { bands } : {}),
  };
  // The engine's own checks (answer values repeated, bands that overlap or leave scores out…).
  for (const problem of validateCustomDefinition({ ...content, code: 'form-check', version: '1' })) {
    const field = problem.item > 0 ? `item-${fieldOf[problem.item - 1]}-options` : problem.message.startsWith('Band') ? 'bands' : 'item-1-text';
    const message = problem.item > 0 ? problem.message.replace(/^Item \d+/, `Question ${fieldOf[problem.item - 1]}`) : problem.message;
    addError(errors, field, message);
  }
  return errors.list.length > 0 ? { ok: false, errors } : { ok: true, content };
}
