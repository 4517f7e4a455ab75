import { Alert, Card, Col, Collapse, Flex, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { memo, useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import { can } from '../../access';
import {
  MEASURE_KEYS,
  useTargetProgress,
  type Measure,
  type PlanProgress,
  type TargetProgress,
  type UnitProgress,
} from '../../api/statistics';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { NoTargetsNotice } from './NoTargetsNotice';
import { PageTitle } from '../../components/PageTitle';
import { formatCount } from '../../format';
import { useLocale, useT } from '../../i18n';
import { mergeSearchParams } from '../../routing/searchParams';
import { OutcomesCard } from '../targets/OutcomesCard';
import { FigureLink, measureColumns } from './measureColumns';
import { ProgressCell } from './ProgressCell';
import { RecordsDrawer, type DrillDown } from './RecordsDrawer';
import { inWan, percent, selectableYears } from './statisticsFormat';

/** The year in the address (`?year=`), else this year (Shanghai). */
export function useStatisticsYear(): [number, (year: number) => void, number[]] {
  const [params, setParams] = useSearchParams();
  const years = selectableYears();
  const asked = Number(params.get('year'));
  const year = years.includes(asked) ? asked : (years[0] as number);
  const setYear = (next: number) =>
    setParams((current) => mergeSearchParams(current, { year: next }, { year: years[0] ?? 0 }));
  return [year, setYear, years];
}

export function YearSelect({
  year,
  years,
  onChange,
}: {
  year: number;
  years: number[];
  onChange: (year: number) => void;
}) {
  const t = useT();
  return (
    <Select<number>
      aria-label={t('stats.year')}
      value={year}
      style={{ width: 120 }}
      options={years.map((value) => ({ value, label: t('stats.yearLabel', { year: value }) }))}
      onChange={onChange}
    />
  );
}

/** 口径说明: what each measure counts and where a record is attributed. */
export function Definitions({
  data,
}: {
  data: Pick<TargetProgress, 'definitions' | 'attribution'>;
}) {
  const t = useT();
  const { locale } = useLocale();
  const lang = locale === 'zh-CN' ? 'zh' : 'en';
  return (
    <Collapse
      size="small"
      items={[
        {
          key: 'definitions',
          label: t('stats.definitions'),
          children: (
            <Space orientation="vertical" size={4}>
              {data.definitions.map((definition) => (
                <Typography.Paragraph key={definition.measure} style={{ marginBottom: 4 }}>
                  <Typography.Text strong>
                    {definition.name[lang]}（{definition.unit[lang]}）
                  </Typography.Text>
                  ：{definition.definition[lang]}
                </Typography.Paragraph>
              ))}
              <Typography.Paragraph style={{ marginBottom: 0 }}>
                <Typography.Text strong>{t('stats.attribution')}</Typography.Text>：
                {data.attribution[lang]}
              </Typography.Paragraph>
            </Space>
          ),
        },
      ]}
    />
  );
}

/**
 * 目标进度: every responsible unit's targets, actuals and progress against the share of the year
 * elapsed — counties (annex 1) and city departments (annex 2) in two tables that are never added
 * together — the 12 plans and the 2025 goals. Every figure opens the records behind it.
 */
export default function TargetsPage() {
  const t = useT();
  const me = useAccount();
  const [year, setYear, years] = useStatisticsYear();
  const { data, error, isFetching, refetch } = useTargetProgress(year);
  const [drill, setDrill] = useState<DrillDown | null>(null);
  // Stable, so opening the drawer does not redraw the tables.
  const open = useCallback(
    (drillDown: Omit<DrillDown, 'year'>) => setDrill({ ...drillDown, year }),
    [year],
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageTitle titleKey="stats.targets.title" descriptionKey="stats.targets.description" />
      <Flex gap={12} wrap align="center">
        <YearSelect year={year} years={years} onChange={setYear} />
        {data ? (
          <Typography.Text type="secondary">
            {t('stats.asOf', { asOf: data.asOf, elapsed: percent(data.elapsedShare) })}
          </Typography.Text>
        ) : null}
      </Flex>
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      {data ? <NoTargetsNotice year={year} units={data.units} /> : null}
      {data ? (
        <ProgressFigures
          data={data}
          year={year}
          loading={isFetching}
          onOpen={can(me, 'statistics.records') ? open : undefined}
        />
      ) : null}
      <RecordsDrawer drill={drill} onClose={() => setDrill(null)} />
    </Space>
  );
}

/** The figures of a year; `onOpen` (absent without statistics.records) opens their records. */
const ProgressFigures = memo(function ProgressFigures({
  data,
  year,
  loading,
  onOpen,
}: {
  data: TargetProgress;
  year: number;
  loading: boolean;
  onOpen?: (drill: Omit<DrillDown, 'year'>) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const unitDrill = (county: boolean) =>
    onOpen
      ? (unit: UnitProgress, measure: Measure) =>
          onOpen({
            measure,
            title: unit.name,
            ...(county ? { countyUnitId: unit.unitId } : { unitId: unit.unitId }),
          })
      : undefined;

  const elapsedShare = data.elapsedShare;
  const unitColumns = (county: boolean): TableColumnsType<UnitProgress> => [
    {
      title: t('stats.col.seq'),
      key: 'seq',
      width: 64,
      fixed: 'left',
      render: (_, unit) => unit.seq ?? t('common.none'),
      sorter: (a, b) => (a.seq ?? 999) - (b.seq ?? 999),
    },
    {
      title: t('stats.col.unit'),
      dataIndex: 'name',
      fixed: 'left',
      render: (name: string, unit) => (
        <span>
          {name}
          {unit.annex === null ? (
            <Tag style={{ marginInlineStart: 4 }}>{t('stats.noAnnex')}</Tag>
          ) : null}
        </span>
      ),
    },
    ...MEASURE_KEYS.map((measure) =>
      measureColumns<UnitProgress>({
        measure,
        t,
        locale,
        elapsedShare,
        nameOf: (unit) => unit.name,
        drill: unitDrill(county),
      }),
    ),
  ];

  const planColumns: TableColumnsType<PlanProgress> = [
    { title: t('stats.col.planNo'), dataIndex: 'planNo', width: 64, fixed: 'left' },
    {
      title: t('stats.col.plan'),
      dataIndex: 'name',
      fixed: 'left',
      render: (name: string, plan) => (
        <span>
          {name}
          {plan.certifiesAllTrained ? (
            <Tag color="blue" style={{ marginInlineStart: 4 }}>
              {t('stats.plans.certifiesAll')}
            </Tag>
          ) : null}
        </span>
      ),
    },
    ...MEASURE_KEYS.map((measure) =>
      measureColumns<PlanProgress>({
        measure,
        t,
        locale,
        elapsedShare,
        nameOf: (plan) => t('stats.plans.no', { planNo: plan.planNo }),
        drill: onOpen
          ? (plan, m) =>
              onOpen({
                measure: m,
                title: t('stats.plans.no', { planNo: plan.planNo }),
                planNo: plan.planNo,
              })
          : undefined,
      }),
    ),
  ];

  const counties = data.units
    .filter((unit) => unit.annex === 1)
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const departments = [
    ...data.units.filter((unit) => unit.annex === 2).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)),
    ...data.units.filter((unit) => unit.annex === null),
  ];

  return (
    <>
      <Definitions data={data} />
      <CityCard
        data={data}
        onDrill={onOpen ? (measure) => onOpen({ measure, title: t('stats.city') }) : undefined}
        onUnattributed={
          onOpen
            ? (measure) => onOpen({ measure, title: t('stats.unattributed'), unattributed: true })
            : undefined
        }
      />
      <OutcomesCard year={year} />
      <Card size="small" title={t('stats.annex1')}>
        <Table<UnitProgress>
          rowKey="unitId"
          size="small"
          bordered
          loading={loading}
          columns={unitColumns(true)}
          dataSource={counties}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <Card size="small" title={t('stats.annex2')}>
        <Table<UnitProgress>
          rowKey="unitId"
          size="small"
          bordered
          loading={loading}
          columns={unitColumns(false)}
          dataSource={departments}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <Alert type="warning" showIcon title={t('stats.neverSum')} />
      <Card size="small" title={t('stats.plans')}>
        <Table<PlanProgress>
          rowKey="planNo"
          size="small"
          bordered
          loading={loading}
          columns={planColumns}
          dataSource={data.plans}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <Goals2025Card goals={data.goals2025} />
    </>
  );
});

function CityCard({
  data,
  onDrill,
  onUnattributed,
}: {
  data: TargetProgress;
  onDrill?: (measure: Measure) => void;
  onUnattributed?: (measure: Measure) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <Card size="small" title={t('stats.city')}>
      <Row gutter={[16, 16]}>
        {MEASURE_KEYS.map((measure) => {
          const figure = data.city[measure];
          const unattributed = data.unattributedToCounty[measure];
          return (
            <Col key={measure} xs={24} md={8}>
              <Typography.Text type="secondary">{t(`stats.measure.${measure}`)}</Typography.Text>
              <div style={{ fontSize: 24 }}>
                <FigureLink
                  value={figure.actual}
                  locale={locale}
                  label={t('stats.drill.label', {
                    name: t('stats.city'),
                    measure: t(`stats.measure.${measure}`),
                  })}
                  onOpen={onDrill ? () => onDrill(measure) : undefined}
                />
                <Typography.Text type="secondary" style={{ fontSize: 14, marginInlineStart: 8 }}>
                  {figure.target === null
                    ? t('stats.noTarget')
                    : t(`stats.targetWan.${measure}`, { target: inWan(figure.target) })}
                </Typography.Text>
              </div>
              <ProgressCell
                progress={figure.progress}
                status={figure.status}
                elapsedShare={data.elapsedShare}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('stats.projectedLine', { projected: formatCount(figure.projected, locale) })}
                {unattributed > 0 ? (
                  <>
                    {' · '}
                    {t('stats.unattributedLine')}
                    <FigureLink
                      value={unattributed}
                      locale={locale}
                      label={t('stats.drill.label', {
                        name: t('stats.unattributed'),
                        measure: t(`stats.measure.${measure}`),
                      })}
                      onOpen={onUnattributed ? () => onUnattributed(measure) : undefined}
                    />
                  </>
                ) : null}
              </Typography.Text>
            </Col>
          );
        })}
      </Row>
    </Card>
  );
}

function Goals2025Card({ goals }: { goals: TargetProgress['goals2025'] }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <Card size="small" title={t('stats.goals2025')}>
      <Typography.Paragraph type="secondary">
        {t('stats.goals2025.note', { elapsed: percent(goals.elapsedShare) })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {MEASURE_KEYS.map((measure) => {
          const goal = goals[measure];
          return (
            <Col key={measure} xs={24} md={8}>
              <Typography.Text type="secondary">{t(`stats.measure.${measure}`)}</Typography.Text>
              <div>
                <Typography.Text strong style={{ fontSize: 20 }}>
                  {formatCount(goal.actual, locale)}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  {goal.target === null
                    ? t('stats.noTarget')
                    : t(`stats.targetWan.${measure}`, { target: inWan(goal.target) })}
                </Typography.Text>
              </div>
              <ProgressCell
                progress={goal.progress}
                status={goal.status}
                elapsedShare={goals.elapsedShare}
              />
            </Col>
          );
        })}
      </Row>
    </Card>
  );
}
