/** Reading an organisation's questionnaire from the form: lines of answers and bands, and every problem named by field. */
import { describe, expect, it } from 'vitest';
import { defineCustomInstrument, scoreInstrument } from '../measures/index.ts';
import { formValues, parseQuestionnaire, valuesFromContent } from './questionnaire-form.ts';

const BODY = {
  title: 'Digital confidence',
  itemCount: '3',
  'item-1-text': 'I can send an email',
  'item-1-options': '1 Disagree\n2 - Not sure\r\n3: Agree',
  'item-2-text': 'I can book a GP appointment online',
  'item-2-options': '',
  'item-3-text': '',
  'item-3-options': '',
  scoring: 'sum',
  direction: 'higher',
  bands: '2 to 3 Low\n4-6 Confident',
};

describe('the questionnaire form', () => {
  it('reads answers value first, reuses the previous answers, drops empty questions, and makes band codes', () => {
    const parsed = parseQuestionnaire(formValues(BODY));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const agree = [{ value: 1, label: 'Disagree' }, { value: 2, label: 'Not sure' }, { value: 3, label: 'Agree' }];
    expect(parsed.content).toEqual({
      title: 'Digital confidence',
      items: [{ text: 'I can send an email', options: agree }, { text: 'I can book a GP appointment online', options: agree }],
      scoring: 'sum',
      higherIsBetter: true,
      bands: [{ code: 'low', label: 'Low', min: 2, max: 3 }, { code: 'confident', label: 'Confident', min: 4, max: 6 }],
    });
    const definition = defineCustomInstrument({ ...parsed.content, code: 'x', version: '1' });
    expect(scoreInstrument(definition, [3, 2])).toMatchObject({ total: 5, band: 'confident' });
    // And back into the form, to edit it.
    expect(parseQuestionnaire(valuesFromContent(parsed.content))).toEqual(parsed);
  });

  it('adds an empty question on request, keeping what was typed', () => {
    const values = formValues(BODY, true);
    expect(values.items).toHaveLength(4);
    expect(values.items[0]!.options).toContain('3: Agree');
  });

  it('names each problem by its field', () => {
    const parsed = parseQuestionnaire(
      formValues({ itemCount: '2', 'item-1-text': 'Q', 'item-1-options': 'Yes\n1 No', 'item-2-options': '1 A\n2 B', bands: 'Low', scoring: 'median' }),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.list).toEqual([
      { text: 'Enter a title for the questionnaire', href: '#title' },
      { text: 'Question 1, answer 1: start with its value (a number), then its words, like “0 Not at all”', href: '#item-1-options' },
      { text: 'Enter the words of question 2', href: '#item-2-text' },
      { text: 'Select how the questionnaire is scored', href: '#scoring' },
      { text: 'Select whether a higher score is better or worse', href: '#direction' },
      { text: 'Band 1: give its lowest and highest score, then its name, like “3 to 5 Low”', href: '#bands' },
    ]);
  });

  it('passes on the scoring engine’s checks, numbered as on the form', () => {
    // Question 2 left completely empty is dropped, so the engine's "item 2" is the form's question 3.
    const engine = parseQuestionnaire(formValues({ ...BODY, 'item-2-text': '', 'item-2-options': '', 'item-3-text': 'Repeats', 'item-3-options': '1 A\n1 B', bands: '2 to 3 Low\n3 to 6 High' }));
    expect(engine.ok).toBe(false);
    if (engine.ok) return;
    expect(engine.errors.list).toEqual([
      { text: 'Question 3 option 2 repeats the value 1', href: '#item-3-options' },
    ]);
    // Bands are checked once the questions are right.
    const bands = parseQuestionnaire(formValues({ ...BODY, bands: '2 to 3 Low\n3 to 6 High' }));
    expect(bands.ok ? [] : bands.errors.list).toEqual([{ text: "Band 2 must start above the previous band's max (3)", href: '#bands' }]);
  });

  it('refuses a questionnaire with no questions', () => {
    const parsed = parseQuestionnaire(formValues({ title: 'Empty', itemCount: '1', scoring: 'mean', direction: 'lower' }));
    expect(parsed.ok ? [] : parsed.errors.list).toEqual([{ text: 'Enter at least one question', href: '#item-1-text' }]);
  });
});
