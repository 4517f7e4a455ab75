import type { Dayjs } from 'dayjs';
import type { FileClassBody, TrainingType } from '../../api/types';

/** The training types the API knows, in the order the form lists them. */
export const TRAINING_TYPES = [
  'pre_job',
  'on_the_job_upgrade',
  'entrepreneurship',
  'new_apprenticeship',
  'other',
] as const satisfies readonly TrainingType[];

const _allTypesListed: [Exclude<TrainingType, (typeof TRAINING_TYPES)[number]>] extends [never]
  ? true
  : false = true;

/** One offline session as the form holds it: a civil date and two clock times (Shanghai). */
export interface SessionRow {
  date?: Dayjs | null;
  start?: Dayjs | null;
  end?: Dayjs | null;
}

export interface ClassFormValues {
  name: string;
  occupationCode: string;
  skillLevelKey: string;
  planNo: number;
  unitId: string;
  trainingType: TrainingType;
  regionCode: string;
  address: string;
  capacity: number;
  onlineHours?: number | null;
  /** Yuan per trainee, as typed; the API takes fen. */
  subsidyYuan: number;
  attendanceThresholdPercent: number;
  sessions: SessionRow[];
}

/** Yuan (two decimals at most) to integer fen, without float drift: 12.34 → 1234. */
export function fenOf(yuan: number): number {
  return Math.round(yuan * 100);
}

/** Minutes of one session, or null while it is incomplete or ends before it starts. */
export function sessionMinutes(row: SessionRow | undefined): number | null {
  if (!row?.start || !row.end) return null;
  const start = row.start.hour() * 60 + row.start.minute();
  const end = row.end.hour() * 60 + row.end.minute();
  return end > start ? end - start : null;
}

/** The offline hours of the complete rows, to one decimal (what the form shows as a total). */
export function sessionsHours(rows: readonly (SessionRow | undefined)[] | undefined): number {
  const minutes = (rows ?? []).reduce((sum, row) => sum + (sessionMinutes(row) ?? 0), 0);
  return Math.round((minutes / 60) * 10) / 10;
}

/** The POST /api/classes body from the form's values; `submit` files and submits at once. */
export function classBodyOf(values: ClassFormValues, submit: boolean): FileClassBody {
  return {
    name: values.name.trim(),
    occupationCode: values.occupationCode,
    skillLevelKey: values.skillLevelKey,
    planNo: values.planNo,
    unitId: values.unitId,
    trainingType: values.trainingType,
    regionCode: values.regionCode,
    address: values.address.trim(),
    capacity: values.capacity,
    ...(values.onlineHours ? { onlineHours: values.onlineHours } : {}),
    subsidyStandardFen: fenOf(values.subsidyYuan),
    attendanceThresholdPercent: values.attendanceThresholdPercent,
    sessions: values.sessions.map((row) => ({
      date: row.date?.format('YYYY-MM-DD') ?? '',
      startTime: row.start?.format('HH:mm') ?? '',
      endTime: row.end?.format('HH:mm') ?? '',
    })),
    submit,
  };
}
