import type { InstrumentDefinition } from '../types.ts';

/**
 * PAM level cut-points. Two versions are in circulation, so the level is
 * recorded as supplied by the licensed scorer; these are data for
 * configuration and checking, not used to compute anything by default.
 */
export const PAM_LEVEL_CUT_POINTS = {
  /** Current Insignia material via SRALab (verified): level = 1 + number of cut-points reached. */
  sralab: [47.1, 55.2, 72.5],
  /** Older literature (unverified): level 4 from 67.1. */
  older: [47.1, 55.2, 67.1],
} as const;

/** Patient Activation Measure: scored externally under licence (score 0–100, level 1–4). */
export const PAM: InstrumentDefinition = {
  code: 'pam',
  version: '1.0.0',
  title: 'Patient Activation Measure (PAM)',
  shortTitle: 'PAM',
  licence: {
    requiresRegistration: false,
    wordingIncluded: false,
    terms: 'Proprietary (Insignia Health). Items and scoring algorithm require a licence; Linkwell records the licensed score and level only.',
  },
  items: [],
  scoring: { kind: 'external', scoreMin: 0, scoreMax: 100, levels: [1, 2, 3, 4], higherIsBetter: true },
  sources: ['https://www.insigniahealth.com/pam/', 'https://www.sralab.org/rehabilitation-measures/patient-activation-measure'],
  notes: ['Never compute a PAM score; record the score and level from the licensed scorer with a licence reference.'],
};

/** LEAF-7: scored outside Linkwell with permission (total 7–28, no levels). */
export const LEAF7: InstrumentDefinition = {
  code: 'leaf7',
  version: '1.0.0',
  title: 'Life Essentials Assessment Framework (LEAF-7)',
  shortTitle: 'LEAF-7',
  licence: {
    requiresRegistration: false,
    wordingIncluded: false,
    terms: 'No open licence found; permission needed from the LEAF Foundation / Age UK Wakefield District. Linkwell records the total only.',
  },
  items: [],
  scoring: { kind: 'external', scoreMin: 7, scoreMax: 28, levels: null, higherIsBetter: true },
  sources: ['http://leafoutcomes.uk/leaf-7.html', 'http://leafoutcomes.uk/data-analysis.html'],
  notes: ['The supplementary life-satisfaction item (0–6) is reported separately by LEAF and is not recorded here.'],
};
