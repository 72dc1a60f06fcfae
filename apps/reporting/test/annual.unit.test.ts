import { describe, expect, it } from 'vitest';

import { paragraphZh, registryFigures, type AnnualFigures } from '../src/domain/annual.js';
import { addTotals, monthOf, tally, yearCounts, type ChildEntry } from '../src/domain/tally.js';

describe('counting from entries', () => {
  const child: ChildEntry = {
    active: 1,
    categories: ['left_behind'],
    difficultyTypes: [],
    unsupervised: 0,
    schooling: 'enrolled',
    guardianAssigned: 0,
  };
  const village = tally({
    children: {
      a: child,
      b: { ...child, categories: ['in_difficulty'], difficultyTypes: ['orphan'], unsupervised: 1 },
      c: { ...child, active: 0, guardianAssigned: 1 },
    },
    cases: {
      k: {
        caseType: 'return_to_school',
        status: 'closed',
        openedMonth: '2017-12',
        resolvedMonth: '2018-01',
        outcome: 'returned_to_school',
      },
    },
  });

  it('counts the current state of active children only, and flows by month', () => {
    expect(village.counts).toMatchObject({
      'children:active': 2,
      'children:left_behind': 1,
      'children:in_difficulty': 1,
      'children:difficulty:orphan': 1,
      'children:unsupervised': 1,
      'children:exited': 1,
      'children:guardian_assigned': 1,
    });
    expect(yearCounts(village, 2018)).toEqual({
      'cases:resolved:return_to_school': 1,
      'cases:succeeded:return_to_school': 1,
    });
    expect(yearCounts(village, 2017)).toEqual({
      'cases:opened:return_to_school': 1,
      'cases:opened_succeeded:return_to_school': 1,
    });
  });

  it('sums sub-regions and reads months in Beijing time', () => {
    expect(addTotals(village, village).counts['children:active']).toBe(4);
    expect(monthOf('2018-01-31T20:00:00Z')).toBe('2018-02');
    expect(monthOf('2018-01-31')).toBe('2018-01');
  });

  it('words the basic situation of the 2018 reply from the figures alone', () => {
    const f: AnnualFigures = {
      ...registryFigures(
        { 'children:left_behind': 33309, 'children:in_difficulty': 4920, 'homes:open': 212 },
        {
          'cases:opened:guardian_assignment': 4020,
          'cases:opened_succeeded:guardian_assignment': 4020,
          'cases:opened:return_to_school': 57,
          'cases:opened_succeeded:return_to_school': 57,
          'cases:opened:hukou_registration': 1458,
          'cases:opened_succeeded:hukou_registration': 1458,
          'cases:resolved:rights_protection': 26,
          'cases:succeeded:parent_education': 283,
        },
      ),
      funds: { fen: 450_000_000, basis: 'received' },
      books: { quantity: 0, valueFen: 0, recipients: 0, donors: 0 },
      summerCamp: { events: 1, participants: 28 },
    };
    expect(paragraphZh('岳阳市', 2018, f)).toBe(
      '岳阳市共有农村留守儿童33309人，困境儿童4920人。2018年，4020名无人监护儿童全部安排监护人员，57名辍学儿童全部复学，1458名无户籍儿童已全部上户，共调处留守儿童权益保障事件26起，对283名失职父母进行了批评教育。争取资金450.00万元，建成212个“农村留守儿童之家”。28名留守儿童参加了夏令营活动。',
    );
  });
});
