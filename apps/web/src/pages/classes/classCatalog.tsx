import { Tag } from 'antd';
import type { ClassStatus } from '../../api/types';
import { useT } from '../../i18n';

const STATUS_COLOURS: Record<ClassStatus, string> = {
  draft: 'default',
  submitted: 'gold',
  returned: 'red',
  approved: 'blue',
  in_progress: 'green',
  finished: 'default',
};

export function ClassStatusTag({ status }: { status: ClassStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLOURS[status]}>{t(`class.status.${status}`)}</Tag>;
}

/** Whether vouchers, check-in and completion apply: the class is approved (running or not). */
export function isApproved(status: ClassStatus): boolean {
  return status === 'approved' || status === 'in_progress' || status === 'finished';
}

/** Hours with at most one decimal: 7.5, 12. */
export function hours(value: number): string {
  return String(Math.round(value * 10) / 10);
}
