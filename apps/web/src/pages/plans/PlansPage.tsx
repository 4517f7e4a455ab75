import { Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { usePlans } from '../../api/queries';
import type { Plan, PlanUnit } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { formatCount } from '../../format';
import { useLocale, useT } from '../../i18n';

/** Plan 1 names every unit; beyond this many tags the rest fold into one "+N" tag. */
const MAX_UNIT_TAGS = 6;

function UnitTags({ plan }: { plan: Plan }) {
  const t = useT();
  if (plan.units.length === 0) return <>{plan.responsibleUnitsText}</>;
  const shown = plan.units.slice(0, MAX_UNIT_TAGS);
  const hidden: PlanUnit[] = plan.units.slice(MAX_UNIT_TAGS);
  return (
    <Space size={[0, 4]} wrap style={{ maxWidth: 420 }}>
      {shown.map((unit) => (
        <Tag key={unit.id}>{unit.canonicalName}</Tag>
      ))}
      {hidden.length > 0 ? (
        <Tooltip
          title={
            <>
              <div>{plan.responsibleUnitsText}</div>
              <div>{hidden.map((unit) => unit.canonicalName).join(t('common.listSeparator'))}</div>
            </>
          }
        >
          <Tag color="blue">{t('common.more', { count: hidden.length })}</Tag>
        </Tooltip>
      ) : null}
    </Space>
  );
}

export default function PlansPage() {
  const t = useT();
  const { locale } = useLocale();
  const { data, error, isPending, refetch } = usePlans();

  const count = (value: number | null) =>
    value === null ? t('common.none') : formatCount(value, locale);

  const columns: TableColumnsType<Plan> = [
    { title: t('plans.col.no'), dataIndex: 'planNo', width: 64, align: 'right' },
    {
      title: t('plans.col.name'),
      dataIndex: 'name',
      render: (name: string) => <span style={{ display: 'inline-block', minWidth: 180 }}>{name}</span>,
    },
    {
      title: t('plans.col.training'),
      dataIndex: 'yearlyTrainingMin',
      align: 'right',
      render: count,
    },
    {
      title: t('plans.col.certified'),
      key: 'certified',
      align: 'right',
      render: (_: unknown, plan) =>
        plan.certifiesAllTrained ? (
          <>
            {plan.yearlyCertifiedMin === null ? null : count(plan.yearlyCertifiedMin)}
            <Tag color="green" style={{ marginInlineStart: 8, marginInlineEnd: 0 }}>
              {t('plans.certifiesAllTrained')}
            </Tag>
          </>
        ) : (
          count(plan.yearlyCertifiedMin)
        ),
    },
    {
      title: t('plans.col.highSkilled'),
      dataIndex: 'yearlyHighSkilledMin',
      align: 'right',
      render: count,
    },
    {
      title: t('plans.col.extra'),
      dataIndex: 'extra',
      render: (extra: string | null) =>
        extra ?? <Typography.Text type="secondary">{t('common.none')}</Typography.Text>,
    },
    {
      title: t('plans.col.units'),
      key: 'units',
      render: (_: unknown, plan) => <UnitTags plan={plan} />,
    },
  ];

  return (
    <>
      <PageTitle titleKey="plans.title" descriptionKey="plans.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        <Table<Plan>
          rowKey="planNo"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Space>
    </>
  );
}
