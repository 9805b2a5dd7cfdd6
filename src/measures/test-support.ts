/**
 * Test helper: answers for `count` items (each `min`–`max`) that add up to
 * `total`, filling items with the maximum first. Builds inputs only; expected
 * results in tests are written out by hand.
 */
export function answersForTotal(total: number, count: number, min: number, max: number): number[] {
  if (total < count * min || total > count * max) throw new Error(`total ${total} impossible for ${count} items of ${min}–${max}`);
  const answers: number[] = [];
  let remaining = total - count * min;
  for (let index = 0; index < count; index += 1) {
    const extra = Math.min(max - min, remaining);
    answers.push(min + extra);
    remaining -= extra;
  }
  return answers;
}
