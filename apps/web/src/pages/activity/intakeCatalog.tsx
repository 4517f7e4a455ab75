import { Select } from 'antd';
import type {
  ActivityPeriod,
  ExternalCertificate,
  ExternalCertificateKind,
} from '../../api/activityIntake';
import { useUnits } from '../../api/queries';
import type { Me } from '../../api/types';
import { shanghaiMonth } from '../../format';
import { useT, type MessageKey, type Translate } from '../../i18n';

/*
 * Words and small pieces shared by the external-certificate, totals and reporting-month views
 * of unit reporting (#8).
 */

export const SKILL_LEVEL_KEYS = ['level5', 'level4', 'level3', 'level2', 'level1'] as const;
export type SkillLevelKey = (typeof SKILL_LEVEL_KEYS)[number];

export function kindText(kind: ExternalCertificateKind, t: Translate): string {
  return t(`activityCert.kind.${kind}`);
}

export function levelText(key: string | null, t: Translate): string | null {
  if (key === null) return null;
  const known = SKILL_LEVEL_KEYS.find((k) => k === key);
  return known ? t(`activityCert.level.${known}`) : key;
}

export function sourceText(source: ExternalCertificate['source'], t: Translate): string {
  return t(`activityCert.source.${source}`);
}

/** The level (职业资格, 技能等级) or the item (专项, 特种作业 category) a certificate is for. */
export function levelOrItem(certificate: ExternalCertificate, t: Translate): string {
  if (certificate.kind === 'skill_level' || certificate.kind === 'qualification_legacy') {
    return levelText(certificate.skillLevelKey, t) ?? '';
  }
  return certificate.itemName ?? '';
}

/** Whether the month can be closed yet: the API refuses months that have not begun. */
export function periodBegun(period: ActivityPeriod['period'], now = new Date()): boolean {
  return period <= shanghaiMonth(now);
}

/**
 * The responsible units an account may report for or read: a unit officer its own, a county
 * administrator its county's county units, the city (and institutions) any.
 */
export function useReportingUnits(me: Me) {
  const { data, isFetching } = useUnits({ withoutTarget: true });
  const units = (data?.items ?? []).filter((unit) => {
    if (me.scope.kind === 'unit') return unit.id === me.scope.unitId;
    if (me.scope.kind === 'region') {
      return unit.kind === 'county' && unit.regionCode === me.scope.regionCode;
    }
    return true;
  });
  return { units, isFetching };
}

export function ReportingUnitSelect({
  me,
  id,
  value,
  onChange,
  allowClear = false,
  placeholderKey = 'activityCert.form.unit.placeholder',
}: {
  me: Me;
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  allowClear?: boolean;
  placeholderKey?: MessageKey;
}) {
  const t = useT();
  const { units, isFetching } = useReportingUnits(me);
  return (
    <Select<string>
      id={id}
      value={value}
      onChange={(next) => onChange?.(next)}
      allowClear={allowClear}
      showSearch={{ optionFilterProp: 'label' }}
      loading={isFetching}
      placeholder={t(placeholderKey)}
      style={{ minWidth: 240 }}
      options={units.map((unit) => ({ value: unit.id, label: unit.canonicalName }))}
    />
  );
}
