import { Tag, Tooltip } from 'antd';
import type { KeyGroup } from '../../api/types';
import type { Locale, Translate } from '../../i18n';

/** A key group's name in the interface language, or its code while the list loads. */
export function keyGroupName(code: string, groups: KeyGroup[] | undefined, locale: Locale) {
  const group = groups?.find((candidate) => candidate.code === code);
  if (!group) return code;
  return locale === 'en' ? group.nameEn : group.name;
}

/** 待核对: the ID number passed its checks but something about it needs a person's look. */
export function ReviewTag({ warnings, t }: { warnings: string[]; t: Translate }) {
  if (warnings.length === 0) return null;
  return (
    <Tooltip title={t('person.review.hint')}>
      <Tag color="orange">{t('person.review')}</Tag>
    </Tooltip>
  );
}
