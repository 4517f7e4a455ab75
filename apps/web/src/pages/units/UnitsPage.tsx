import { Alert, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useUnits } from '../../api/queries';
import type { Unit, UnitTarget } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { formatCount } from '../../format';
import { useLocale, useT, type MessageKey } from '../../i18n';

/** The year of the annex targets (the programme's founding document). */
const TARGET_YEAR = 2022;

type Measure = keyof Omit<UnitTarget, 'year'>;

const MEASURES: { key: Measure; titleKey: MessageKey }[] = [
  { key: 'trainingPersonTimes', titleKey: 'units.col.training' },
  { key: 'newSkilled', titleKey: 'units.col.newSkilled' },
  { key: 'newHighSkilled', titleKey: 'units.col.newHighSkilled' },
];

function targetOf(unit: Unit): UnitTarget | undefined {
  return unit.targets.find((target) => target.year === TARGET_YEAR);
}

function UnitTable({ units, titleKey }: { units: Unit[]; titleKey: MessageKey }) {
  const t = useT();
  const { locale } = useLocale();
  // Number and name stay in view while a phone scrolls sideways through the targets.
  const columns: TableColumnsType<Unit> = [
    { title: t('units.col.seq'), dataIndex: 'seq', width: 56, align: 'right', fixed: 'left' },
    {
      title: t('units.col.name'),
      key: 'name',
      width: 160,
      fixed: 'left',
      render: (_: unknown, unit) => (
        <>
          <div>{unit.canonicalName}</div>
          {unit.seedName !== unit.canonicalName ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('units.col.seedName')}: {unit.seedName}
            </Typography.Text>
          ) : null}
        </>
      ),
    },
    ...MEASURES.map(({ key, titleKey: measureTitle }) => ({
      title: t(measureTitle),
      key,
      width: 130,
      align: 'right' as const,
      render: (_: unknown, unit: Unit) => {
        const target = targetOf(unit);
        return target ? formatCount(target[key], locale) : t('common.none');
      },
    })),
    {
      title: t('units.col.aliases'),
      dataIndex: 'aliases',
      render: (aliases: string[]) => (
        <Space size={[0, 4]} wrap>
          {aliases.map((alias) => (
            <Tag key={alias}>{alias}</Tag>
          ))}
        </Space>
      ),
    },
  ];
  return (
    <section>
      <Typography.Title level={5}>{t(titleKey)}</Typography.Title>
      <Table<Unit>
        rowKey="id"
        size="middle"
        bordered
        columns={columns}
        dataSource={units}
        pagination={false}
        scroll={{ x: 800 }}
        summary={(rows) => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2}>
              <Typography.Text strong>{t('units.tableTotal')}</Typography.Text>
            </Table.Summary.Cell>
            {MEASURES.map(({ key }, i) => (
              <Table.Summary.Cell key={key} index={2 + i} align="right">
                <Typography.Text strong>
                  {formatCount(
                    rows.reduce((sum, unit) => sum + (targetOf(unit)?.[key] ?? 0), 0),
                    locale,
                  )}
                </Typography.Text>
              </Table.Summary.Cell>
            ))}
            <Table.Summary.Cell index={2 + MEASURES.length} />
          </Table.Summary.Row>
        )}
      />
    </section>
  );
}

function byAnnex(units: Unit[], annex: 1 | 2): Unit[] {
  return units
    .filter((unit) => unit.annex === annex)
    .sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
}

export default function UnitsPage() {
  const t = useT();
  const { data, error, isPending, refetch } = useUnits({ withoutTarget: true });
  const units = data?.items ?? [];
  const others = units.filter((unit) => unit.annex === null);
  return (
    <>
      <PageTitle titleKey="units.title" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Alert type="info" showIcon title={t('units.note')} />
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        {isPending ? <Skeleton active /> : null}
        {data ? (
          <>
            <UnitTable units={byAnnex(units, 1)} titleKey="units.annex1.title" />
            <UnitTable units={byAnnex(units, 2)} titleKey="units.annex2.title" />
            {others.length > 0 ? (
              <Typography.Paragraph type="secondary">
                {t('units.others', {
                  names: others.map((unit) => unit.canonicalName).join(t('common.listSeparator')),
                })}
              </Typography.Paragraph>
            ) : null}
          </>
        ) : null}
      </Space>
    </>
  );
}
