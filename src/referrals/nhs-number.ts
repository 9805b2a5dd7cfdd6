/** NHS numbers: ten digits whose last is a modulus-11 check digit (NHS Data Dictionary). */

/** Digits only, or null when the input is not 10 digits once spaces and hyphens are removed. */
export function cleanNhsNumber(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : null;
}

export function isValidNhsNumber(input: string): boolean {
  const digits = cleanNhsNumber(input);
  if (!digits) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** `9434765919` → `943 476 5919`, the way NHS numbers are shown. */
export function formatNhsNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
