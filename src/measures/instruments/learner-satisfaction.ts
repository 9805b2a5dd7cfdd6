import type { InstrumentDefinition } from '../types.ts';
import { item, zeroToTen } from './common.ts';

const SATISFACTION = zeroToTen('Very dissatisfied', 'Very satisfied');

/** Question keys and Linkwell's own wording, in order. */
const QUESTIONS: readonly (readonly [key: string, label: string, text: string])[] = [
  ['teaching', 'Teaching', 'How satisfied are you with the teaching on your course?'],
  ['respect', 'How staff treat you', 'How satisfied are you with the way staff treat you?'],
  ['next-steps', 'Advice on next steps', 'How satisfied are you with the advice you have had about what to do after your course?'],
  ['support', 'Support', 'How satisfied are you with the support you have had while learning?'],
  ['expectations', 'Course met expectations', 'How well has the course matched what you expected it to be?'],
  ['listening', 'Acting on learner views', 'How satisfied are you with how the organisation listens and responds to learners?'],
  ['overall', 'Overall satisfaction', 'Overall, how satisfied are you with the organisation running your course?'],
];

/**
 * Learner satisfaction: seven 0–10 satisfaction ratings and a 0–10
 * likelihood-to-recommend question, modelled on the structure of the former
 * ESFA "FE Choices" learner survey (our own wording). Each question is
 * reported on its own, like ONS4.
 */
export const LEARNER_SATISFACTION: InstrumentDefinition = {
  code: 'learner-satisfaction',
  version: '1.0.0',
  title: 'Learner satisfaction (based on FE Choices)',
  shortTitle: 'Learner satisfaction',
  instructions: 'Please answer each question on a scale from 0 to 10.',
  licence: {
    requiresRegistration: false,
    wordingIncluded: true,
    terms: 'Linkwell wording (AGPL project content); structure based on the ESFA FE Choices learner survey.',
  },
  items: [
    ...QUESTIONS.map(([key, , text]) => item(key, text, SATISFACTION)),
    item(
      'recommend',
      'How likely is it that you would recommend this course or organisation to friends or family?',
      zeroToTen('Not at all likely', 'Extremely likely'),
    ),
  ],
  scoring: {
    kind: 'per-item',
    items: [
      ...QUESTIONS.map(([key, label]) => ({ key, label, higherIsBetter: true, bands: [] })),
      { key: 'recommend', label: 'Likely to recommend', higherIsBetter: true, bands: [] },
    ],
  },
  sources: ['http://www.macintyrehudson.co.uk/insights/article/how-satisfied-are-your-learners (FE Choices 2016/17 questions)'],
  notes: [
    'Reported as a score out of 10 per question; average each question across learners. No bands or combined score.',
  ],
};
