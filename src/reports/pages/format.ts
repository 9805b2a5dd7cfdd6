/** How a report's cell is written for a person: "1,204", "38.5%", "<5", "–". */
import { SUPPRESSED, type Cell, type ReportColumn } from '../types.ts';

const COUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const ONE_DECIMAL = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const TWO_DECIMALS = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/** A cell written out for a person. */
export interface CellText {
  text: string;
  /** True for "–": there is no figure. */
  empty?: boolean;
  suppressed?: boolean;
}

/** A cell's value as text, by the kind of its column. */
export function formatCell(value: Cell | undefined, kind: ReportColumn['kind']): CellText {
  if (value === null || value === undefined || value === '') return { text: '–', empty: true };
  if (value === SUPPRESSED) return { text: SUPPRESSED, suppressed: true };
  if (typeof value === 'string') return { text: value };
  if (!Number.isFinite(value)) return { text: '–', empty: true };
  switch (kind) {
    case 'count':
      return { text: COUNT.format(value) };
    case 'percent':
      return { text: `${ONE_DECIMAL.format(value)}%` };
    case 'days':
      return { text: ONE_DECIMAL.format(value) };
    case 'number':
      return { text: TWO_DECIMALS.format(value) };
    default:
      return { text: String(value) };
  }
}
