/*
 * Pure rules of unit reports (R-ACT-1): what a training report must satisfy, and the counting
 * rule shared with #9 — one person-time per person, what was trained and month, whatever the
 * source. The SQL view counted_training_person_times (migrations/0015_activity_counting.sql) is
 * the rule the figures use; `countPersonTimes` mirrors it so it can be unit-tested and explained.
 */

import type { Scope } from '../../platform/auth/roles.js';

/** At most this many trainees in one report sent as JSON (a file import has no such limit). */
export const MAX_TRAINEES = 2000;
export const MAX_HOURS = 5000;

export interface TrainingFacts {
  startOn: string;
  endOn: string;
  hours: number;
}

export type TrainingProblemCode = 'END_BEFORE_START' | 'END_IN_FUTURE' | 'HOURS_INVALID';

export interface TrainingProblem {
  field: 'startOn' | 'endOn' | 'hours';
  code: TrainingProblemCode;
  message: string;
  zh: string;
}

/** Whether hours is in (0, 5000] with at most one decimal (numeric(6,1)). */
export function hoursValid(hours: number): boolean {
  if (!Number.isFinite(hours) || hours <= 0 || hours > MAX_HOURS) return false;
  const tenths = hours * 10;
  return Math.abs(tenths - Math.round(tenths)) < 1e-9;
}

/** The problems of a training's dates and hours; `today` is the Shanghai civil date. */
export function trainingProblems(facts: TrainingFacts, today: string): TrainingProblem[] {
  const problems: TrainingProblem[] = [];
  if (facts.endOn < facts.startOn) {
    problems.push({
      field: 'endOn',
      code: 'END_BEFORE_START',
      message: 'the training cannot end before it starts',
      zh: '结束日期早于开始日期。',
    });
  }
  if (facts.endOn > today) {
    problems.push({
      field: 'endOn',
      code: 'END_IN_FUTURE',
      message: 'a training is reported once it has ended: the end date is in the future',
      zh: '结束日期晚于今天：培训结束后才能上报。',
    });
  }
  if (!hoursValid(facts.hours)) {
    problems.push({
      field: 'hours',
      code: 'HOURS_INVALID',
      message: 'hours must be more than 0 and at most 5000, with at most one decimal',
      zh: '学时应大于 0、不超过 5000，最多一位小数。',
    });
  }
  return problems;
}

/** One completed training of a person, as the view training_person_times lists it. */
export interface PersonTime {
  source: string;
  personId: string;
  occupationCode: string | null;
  title: string;
  unitId: string | null;
  endOn: string;
  period: string;
  recordId: string;
}

/** What was trained: the occupation, or the title when there is none (safety training). */
export function countingKey(record: Pick<PersonTime, 'occupationCode' | 'title'>): string {
  return record.occupationCode ?? `title:${record.title.trim()}`;
}

/** Whether `a` is chosen over `b` for one key: earlier end, then the voucher loop, then older. */
function precedes(a: PersonTime, b: PersonTime): boolean {
  if (a.endOn !== b.endOn) return a.endOn < b.endOn;
  const av = a.source === 'voucher';
  const bv = b.source === 'voucher';
  if (av !== bv) return av;
  return a.recordId < b.recordId;
}

export interface CountedPersonTime extends PersonTime {
  countingKey: string;
  /** How many records fell on this key (records - 1 duplicates removed). */
  records: number;
}

/**
 * One person-time per (person, what was trained, month), whatever the source: the earliest
 * record counts and carries its unit (see 0015_activity_counting.sql).
 */
export function countPersonTimes(records: readonly PersonTime[]): CountedPersonTime[] {
  const chosen = new Map<string, CountedPersonTime>();
  for (const record of records) {
    const key = countingKey(record);
    const id = `${record.personId}|${key}|${record.period}`;
    const current = chosen.get(id);
    if (!current) {
      chosen.set(id, { ...record, countingKey: key, records: 1 });
    } else {
      const records = current.records + 1;
      chosen.set(
        id,
        precedes(record, current)
          ? { ...record, countingKey: key, records }
          : { ...current, records },
      );
    }
  }
  return [...chosen.values()];
}

/** The facts of a responsible unit that decide who may report for it. */
export interface ReportingUnit {
  id: string;
  kind: 'county' | 'department';
  regionCode: string;
}

/**
 * Whether a caller may report for a unit: a unit officer only for its own unit, a county
 * administrator for the county units of its region, an institution for any unit (the training is
 * recorded as held by it), the city for any unit; a worker never.
 */
export function mayReportFor(scope: Scope, unit: ReportingUnit): boolean {
  switch (scope.kind) {
    case 'city':
    case 'organisation':
      return true;
    case 'unit':
      return unit.id === scope.unitId;
    case 'region':
      return unit.kind === 'county' && unit.regionCode === scope.regionCode;
    case 'person':
      return false;
  }
}
