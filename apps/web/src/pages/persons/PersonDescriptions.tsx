import { Descriptions, Space, Tag, Typography } from 'antd';
import { useKeyGroups } from '../../api/queries';
import type { Person } from '../../api/types';
import { RegionName } from '../../components/RegionSelect';
import { formatDateTime } from '../../format';
import { useLocale, useT } from '../../i18n';
import { keyGroupName } from './PersonTags';

/** The fields of a person record, masked as the server sends them. */
export function PersonDescriptions({ person }: { person: Person }) {
  const t = useT();
  const { locale } = useLocale();
  const keyGroups = useKeyGroups();
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, md: 2, xl: 3 }}
      items={[
        { key: 'name', label: t('person.name'), children: person.name },
        {
          key: 'id',
          label: t('person.idNumber'),
          children: (
            <Typography.Text data-testid="masked-id-number" style={{ fontFamily: 'monospace' }}>
              {person.idNumberMasked}
            </Typography.Text>
          ),
        },
        { key: 'sex', label: t('person.sex'), children: t(`person.sex.${person.sex}`) },
        { key: 'birth', label: t('person.birthDate'), children: person.birthDate },
        {
          key: 'phone',
          label: t('person.phone'),
          children: person.phoneMasked ?? t('common.none'),
        },
        {
          key: 'region',
          label: t('person.region'),
          children: <RegionName code={person.regionCode} />,
        },
        {
          key: 'household',
          label: t('person.householdRegion'),
          children: <RegionName code={person.householdRegionCode} />,
        },
        {
          key: 'residence',
          label: t('person.residenceRegion'),
          children: <RegionName code={person.residenceRegionCode} />,
        },
        {
          key: 'education',
          label: t('person.education'),
          children: person.education ? t(`person.education.${person.education}`) : t('common.none'),
        },
        {
          key: 'employment',
          label: t('person.employmentStatus'),
          children: t(`person.employment.${person.employmentStatus}`),
        },
        {
          key: 'groups',
          label: t('person.keyGroups'),
          children:
            person.keyGroups.length > 0 ? (
              <Space size={[0, 4]} wrap>
                {person.keyGroups.map((code) => (
                  <Tag key={code}>{keyGroupName(code, keyGroups.data?.items, locale)}</Tag>
                ))}
              </Space>
            ) : (
              t('common.none')
            ),
        },
        {
          key: 'note',
          label: t('person.note'),
          children: person.note ?? t('common.none'),
        },
        {
          key: 'updated',
          label: t('person.updatedAt'),
          children: formatDateTime(person.updatedAt),
        },
      ]}
    />
  );
}
