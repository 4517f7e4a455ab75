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
    <Space size={[0, 4]} wrap>
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
    value === null ? (
      <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
    ) : (
      formatCount(value, locale)
    );

  // Number and name stay in view while a phone scrolls sideways through the minimums.
  const columns: TableColumnsType<Plan> = [
    { title: t('plans.col.no'), dataIndex: 'planNo', width: 56, align: 'right', fixed: 'left' },
    { title: t('plans.col.name'), dataIndex: 'name', width: 160, fixed: 'left' },
    {
      title: t('plans.col.training'),
      key: 'training',
      width: 110,
      align: 'right',
      render: (_: unknown, plan) => (
        <>
          {count(plan.yearlyTrainingMin)}
          {plan.trainingCountsGraduates ? (
            <div>
              <Tooltip title={t('plans.trainingCountsGraduates.hint')}>
                <Tag style={{ marginInlineEnd: 0 }}>{t('plans.trainingCountsGraduates')}</Tag>
              </Tooltip>
            </div>
          ) : null}
        </>
      ),
    },
    {
      title: t('plans.col.certified'),
      key: 'certified',
      width: 140,
      align: 'right',
      render: (_: unknown, plan) => (
        <>
          {plan.certifiesAllTrained && plan.yearlyCertifiedMin === null
            ? null
            : count(plan.yearlyCertifiedMin)}
          {plan.certifiesAllTrained ? (
            <Tag color="green" style={{ marginInlineEnd: 0 }}>
              {t('plans.certifiesAllTrained')}
            </Tag>
          ) : null}
        </>
      ),
    },
    {
      title: t('plans.col.highSkilled'),
      dataIndex: 'yearlyHighSkilledMin',
      width: 110,
      align: 'right',
      render: count,
    },
    {
      title: t('plans.col.extra'),
      dataIndex: 'extra',
      width: 150,
      render: (extra: string | null) => extra ?? count(null),
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
          bordered
          scroll={{ x: 1000 }}
        />
      </Space>
    </>
  );
}
