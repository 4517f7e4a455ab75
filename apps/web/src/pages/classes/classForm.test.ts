import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import {
  classBodyOf,
  fenOf,
  sessionMinutes,
  sessionsHours,
  type ClassFormValues,
} from './classForm';

const at = (time: string) => dayjs(`2026-12-01T${time}:00`);

function values(overrides: Partial<ClassFormValues> = {}): ClassFormValues {
  return {
    name: '  育婴员（四级）第 1 期 ',
    occupationCode: '4-10-01-01',
    skillLevelKey: 'level4',
    planNo: 3,
    unitId: 'U07',
    trainingType: 'pre_job',
    regionCode: '411403',
    address: ' 睢阳区南京路 1 号 ',
    capacity: 40,
    onlineHours: null,
    subsidyYuan: 1234.56,
    attendanceThresholdPercent: 80,
    sessions: [
      { date: dayjs('2026-12-01'), start: at('08:30'), end: at('12:00') },
      { date: dayjs('2026-12-02'), start: at('14:00'), end: at('17:30') },
    ],
    ...overrides,
  };
}

describe('fenOf', () => {
  it('turns yuan into integer fen without float drift', () => {
    expect(fenOf(1234.56)).toBe(123_456);
    expect(fenOf(0.1 + 0.2)).toBe(30);
    expect(fenOf(19.99)).toBe(1999);
    expect(fenOf(0)).toBe(0);
  });
});

describe('session rows', () => {
  it('counts the minutes of a complete row and nothing for an incomplete or reversed one', () => {
    expect(
      sessionMinutes({ date: dayjs('2026-12-01'), start: at('08:30'), end: at('12:00') }),
    ).toBe(210);
    expect(sessionMinutes({ start: at('08:30') })).toBeNull();
    expect(sessionMinutes({ start: at('12:00'), end: at('08:30') })).toBeNull();
    expect(sessionMinutes({ start: at('09:00'), end: at('09:00') })).toBeNull();
    expect(sessionMinutes(undefined)).toBeNull();
  });

  it('totals the offline hours of the complete rows', () => {
    expect(sessionsHours(values().sessions)).toBe(7);
    expect(sessionsHours([...values().sessions, { start: at('18:00') }, undefined])).toBe(7);
    expect(sessionsHours([{ start: at('08:00'), end: at('08:50') }])).toBe(0.8);
    expect(sessionsHours(undefined)).toBe(0);
  });
});

describe('classBodyOf', () => {
  it('builds the API body: fen, trimmed text, civil dates and HH:mm times', () => {
    expect(classBodyOf(values(), false)).toEqual({
      name: '育婴员（四级）第 1 期',
      occupationCode: '4-10-01-01',
      skillLevelKey: 'level4',
      planNo: 3,
      unitId: 'U07',
      trainingType: 'pre_job',
      regionCode: '411403',
      address: '睢阳区南京路 1 号',
      capacity: 40,
      subsidyStandardFen: 123_456,
      attendanceThresholdPercent: 80,
      sessions: [
        { date: '2026-12-01', startTime: '08:30', endTime: '12:00' },
        { date: '2026-12-02', startTime: '14:00', endTime: '17:30' },
      ],
      submit: false,
    });
  });

  it('sends online hours only when there are some, and submits when asked', () => {
    const body = classBodyOf(values({ onlineHours: 4.5 }), true);
    expect(body.onlineHours).toBe(4.5);
    expect(body.submit).toBe(true);
    expect('onlineHours' in classBodyOf(values({ onlineHours: 0 }), true)).toBe(false);
  });
});
