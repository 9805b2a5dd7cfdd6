import { MeasureError } from './errors.ts';
import { resolveInstrument } from './registry.ts';
import type { AnswerProblem, InstrumentDefinition, ItemDefinition } from './types.ts';

/**
 * Checks a list of answers against an instrument and returns every problem
 * found (an empty list means the answers can be scored). `null` (or a gap)
 * marks an unanswered item and is not a problem here: scoring reports it as
 * missing. Problems about the whole list use `item: 0`.
 *
 * Throws a {@link MeasureError} for an unknown code (`unknown-instrument`) or
 * an externally scored instrument (`externally-scored`).
 */
export function validateAnswers(instrument: string | InstrumentDefinition, answers: unknown): AnswerProblem[] {
  const definition = resolveInstrument(instrument);
  assertScorable(definition);
  if (!Array.isArray(answers)) {
    return [{ item: 0, message: 'Answers must be a list of numbers in item order, with null for an unanswered item' }];
  }
  const list: readonly unknown[] = answers;
  const countProblem = checkCount(definition, list.length);
  if (countProblem) return [countProblem];
  const problems: AnswerProblem[] = [];
  list.forEach((answer, index) => {
    const itemDefinition = itemAt(definition, index);
    if (!itemDefinition || answer === null || answer === undefined) return;
    if (!isAllowed(itemDefinition, answer)) {
      problems.push({ item: index + 1, message: `Item ${index + 1} must be ${describeAllowed(itemDefinition)}` });
    }
  });
  return problems;
}

/** Throws `externally-scored` for PAM, LEAF-7 and other licensed-scorer instruments. */
export function assertScorable(definition: InstrumentDefinition): void {
  if (definition.scoring.kind === 'external') {
    throw new MeasureError(
      'externally-scored',
      `${definition.shortTitle} is scored outside Linkwell under licence: record its score${definition.scoring.levels ? ' and level' : ''} instead of answers`,
    );
  }
}

/** Throws `invalid-answers` listing every problem, when there are any. */
export function assertValidAnswers(definition: InstrumentDefinition, answers: unknown): void {
  const problems = validateAnswers(definition, answers);
  if (problems.length > 0) {
    throw new MeasureError('invalid-answers', problems.map((problem) => problem.message).join('; '), problems);
  }
}

/** The item definition that answer number `index` (0-based) refers to. */
export function itemAt(definition: InstrumentDefinition, index: number): ItemDefinition | undefined {
  if (definition.scoring.kind === 'goals') return definition.goalItem;
  return definition.items[index];
}

function checkCount(definition: InstrumentDefinition, count: number): AnswerProblem | undefined {
  const name = definition.shortTitle;
  if (definition.scoring.kind === 'goals') {
    const { minGoals, maxGoals } = definition.scoring;
    // A questionnaire made for one person's goals (goals.ts) takes exactly one answer per goal.
    const goals = definition.items.length;
    if (goals > 0 && count !== goals) return { item: 0, message: `${name} needs one answer for each of the ${goals} goals, got ${count}` };
    if (count >= minGoals && count <= maxGoals) return undefined;
    return { item: 0, message: `${name} needs ${minGoals} to ${maxGoals} answers (one per goal), got ${count}` };
  }
  const required = definition.items.filter((entry) => entry.required).length;
  const allowed = definition.items.length;
  if (count >= required && count <= allowed) return undefined;
  let message = `${name} needs ${required} ${required === 1 ? 'answer' : 'answers'}, got ${count}`;
  if (allowed > required) {
    const optional = allowed - required === 1 ? `item ${allowed} is` : `items ${required + 1} to ${allowed} are`;
    message += ` (${optional} optional and not scored)`;
  }
  return { item: 0, message };
}

function isAllowed(itemDefinition: ItemDefinition, answer: unknown): boolean {
  return typeof answer === 'number' && itemDefinition.options.some((option) => option.value === answer);
}

/** True when the options are exactly the whole numbers from min to max. */
function isWholeNumberRange(itemDefinition: ItemDefinition): boolean {
  const { min, max, options } = itemDefinition;
  if (!Number.isInteger(min) || !Number.isInteger(max)) return false;
  if (options.length !== max - min + 1) return false;
  return options.every((option) => Number.isInteger(option.value));
}

function describeAllowed(itemDefinition: ItemDefinition): string {
  if (isWholeNumberRange(itemDefinition)) {
    return `a whole number from ${itemDefinition.min} to ${itemDefinition.max}`;
  }
  const values = [...itemDefinition.options.map((option) => option.value)].sort((a, b) => a - b);
  return `one of ${values.join(', ')}`;
}
