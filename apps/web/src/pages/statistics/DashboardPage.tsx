import { Card, Col, Flex, Row, Segmented, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { can } from '../../access';
import {
  MEASURE_KEYS,
  useTargetProgress,
  useTrend,
  type Funnel,
  type Measure,
  type Trend,
  type UnitProgress,
} from '../../api/statistics';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useLocale, useT, type Translate } from '../../i18n';
import { EChart, type ChartOption } from './EChart';
import { NoTargetsNotice } from './NoTargetsNotice';
import { FigureLink } from './measureColumns';
import { ProgressCell } from './ProgressCell';
import { RecordsDrawer, type DrillDown } from './RecordsDrawer';
import { percent } from './statisticsFormat';
import { useStatisticsYear, YearSelect } from './TargetsPage';

type Annex = 'counties' | 'departments';

const AHEAD = '#52c41a';
const BEHIND = '#ff4d4f';
const FUNNEL_STEPS = ['issued', 'bound', 'completed', 'certified', 'redeemed'] as const;

/** The units of one annex in their annex order (departments: units without annex last). */
export function annexUnits(units: readonly UnitProgress[], annex: Annex): UnitProgress[] {
  const wanted = annex === 'counties' ? 1 : 2;
  const listed = units
    .filter((u) => u.annex === wanted)
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  return annex === 'departments' ? [...listed, ...units.filter((u) => u.annex === null)] : listed;
}

/** Horizontal bars of progress (%) per unit, a vertical line at the share of the year elapsed. */
export function progressOption(
  units: readonly UnitProgress[],
  measure: Measure,
  elapsedShare: number,
  t: Translate,
): ChartOption {
  // ECharts draws the first category at the bottom: reversed, the annex order reads downwards.
  const rows = [...units].reverse();
  const elapsed = Math.round(elapsedShare * 1000) / 10;
  return {
    grid: { left: 8, right: 48, top: 24, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => `${String(v)}%`,
    },
    xAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    yAxis: {
      type: 'category',
      data: rows.map((u) => u.name),
      // A click on a unit's name opens its records too.
      triggerEvent: true,
      axisLabel: { interval: 0 },
    },
    series: [
      {
        type: 'bar',
        name: t(`stats.measure.${measure}`),
        data: rows.map((u) => {
          const progress = u.measures[measure].progress;
          return {
            value: progress === null ? 0 : Math.round(progress * 1000) / 10,
            itemStyle: { color: u.measures[measure].status === 'behind' ? BEHIND : AHEAD },
          };
        }),
        label: { show: true, position: 'right', formatter: '{c}%' },
        markLine: {
          symbol: 'none',
          data: [{ xAxis: elapsed, name: t('stats.elapsed') }],
          label: { formatter: t('stats.elapsedMarker', { elapsed: `${elapsed}%` }) },
          lineStyle: { type: 'dashed', color: '#595959' },
        },
      },
    ],
  };
}

/** The city's three measures month by month. */
export function trendOption(trend: Trend, t: Translate): ChartOption {
  return {
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'category', data: trend.months.map((m) => m.month) },
    // Counts: whole numbers on the axis, straight segments (a smoothed curve dips below zero).
    yAxis: { type: 'value', minInterval: 1 },
    series: MEASURE_KEYS.map((measure) => ({
      type: 'line' as const,
      name: t(`stats.measure.${measure}`),
      data: trend.months.map((m) => m[measure]),
    })),
  };
}

/** Vouchers issued → bound → completed → certified → redeemed. */
export function funnelOption(funnel: Funnel, t: Translate): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: '10%',
        width: '80%',
        minSize: '8%',
        label: { show: true, position: 'inside', formatter: '{b}\n{c}' },
        data: FUNNEL_STEPS.map((step) => ({
          name: t(`stats.funnel.${step}`),
          value: funnel[step],
        })),
      },
    ],
  };
}

/**
 * 数据看板: progress by unit against the year elapsed, the monthly trend, the counties at a glance
 * and the voucher funnel. A bar, a unit's name or a county's figure opens the records behind it.
 */
export default function DashboardPage() {
  const t = useT();
  const { locale } = useLocale();
  const me = useAccount();
  const [year, setYear, years] = useStatisticsYear();
  const [measure, setMeasure] = useState<Measure>('training');
  const [annex, setAnnex] = useState<Annex>('counties');
  const progress = useTargetProgress(year);
  const trend = useTrend(year);
  const [drill, setDrill] = useState<DrillDown | null>(null);
  const mayDrill = can(me, 'statistics.records');

  const units = useMemo(
    () => annexUnits(progress.data?.units ?? [], annex),
    [progress.data, annex],
  );
  const elapsedShare = progress.data?.elapsedShare ?? 0;
  const barOption = useMemo(
    () => progressOption(units, measure, elapsedShare, t),
    [units, measure, elapsedShare, t],
  );
  const lineOption = useMemo(
    () => (trend.data ? trendOption(trend.data, t) : null),
    [trend.data, t],
  );
  const funnel = useMemo(
    () => (trend.data ? funnelOption(trend.data.funnel, t) : null),
    [trend.data, t],
  );

  const openUnit = (unit: UnitProgress, m: Measure) =>
    setDrill({
      measure: m,
      year,
      title: unit.name,
      ...(unit.kind === 'county' && annex === 'counties'
        ? { countyUnitId: unit.unitId }
        : { unitId: unit.unitId }),
    });
  const onBarClick = (click: { name: string; value: unknown; componentType: string }) => {
    const name = click.componentType === 'yAxis' ? String(click.value) : click.name;
    const unit = units.find((u) => u.name === name);
    if (unit) openUnit(unit, measure);
  };
  const counties = annexUnits(progress.data?.units ?? [], 'counties');

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageTitle titleKey="stats.dashboard.title" descriptionKey="stats.dashboard.description" />
      <Flex gap={12} wrap align="center">
        <YearSelect year={year} years={years} onChange={setYear} />
        {progress.data ? (
          <Typography.Text type="secondary">
            {t('stats.asOf', {
              asOf: progress.data.asOf,
              elapsed: percent(progress.data.elapsedShare),
            })}
          </Typography.Text>
        ) : null}
      </Flex>
      {progress.error ? (
        <ErrorAlert error={progress.error} onRetry={() => void progress.refetch()} />
      ) : null}
      {trend.error ? <ErrorAlert error={trend.error} onRetry={() => void trend.refetch()} /> : null}
      {progress.data ? <NoTargetsNotice year={year} units={progress.data.units} /> : null}
      <Card
        size="small"
        title={t('stats.dashboard.progress')}
        extra={
          <Flex gap={8} wrap>
            <Segmented<Measure>
              aria-label={t('stats.measureSwitch')}
              value={measure}
              onChange={setMeasure}
              options={MEASURE_KEYS.map((value) => ({
                value,
                label: t(`stats.measure.${value}`),
              }))}
            />
            <Segmented<Annex>
              aria-label={t('stats.annexSwitch')}
              value={annex}
              onChange={setAnnex}
              options={[
                { value: 'counties', label: t('stats.annex1.short') },
                { value: 'departments', label: t('stats.annex2.short') },
              ]}
            />
          </Flex>
        }
      >
        <EChart
          label={t('stats.dashboard.progressChart', {
            measure: t(`stats.measure.${measure}`),
            annex: t(annex === 'counties' ? 'stats.annex1.short' : 'stats.annex2.short'),
          })}
          option={barOption}
          height={Math.max(240, units.length * 26 + 40)}
          onClick={mayDrill ? onBarClick : undefined}
        />
      </Card>
      <Card size="small" title={t('stats.dashboard.counties')}>
        <Row gutter={[12, 12]}>
          {counties.map((unit) => (
            <Col key={unit.unitId} xs={24} sm={12} lg={8} xl={6} xxl={4}>
              <Card size="small" title={unit.name} data-testid={`county-${unit.unitId}`}>
                {MEASURE_KEYS.map((m) => (
                  <div key={m} style={{ marginBottom: 6 }}>
                    <Flex justify="space-between">
                      <Typography.Text type="secondary">{t(`stats.measure.${m}`)}</Typography.Text>
                      <FigureLink
                        value={unit.measures[m].actual}
                        locale={locale}
                        label={t('stats.drill.label', {
                          name: unit.name,
                          measure: t(`stats.measure.${m}`),
                        })}
                        onOpen={
                          mayDrill
                            ? () =>
                                setDrill({
                                  measure: m,
                                  year,
                                  title: unit.name,
                                  countyUnitId: unit.unitId,
                                })
                            : undefined
                        }
                      />
                    </Flex>
                    <ProgressCell
                      progress={unit.measures[m].progress}
                      status={unit.measures[m].status}
                      elapsedShare={elapsedShare}
                    />
                  </div>
                ))}
              </Card>
            </Col>
          ))}
        </Row>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('stats.dashboard.trend')}>
            {lineOption ? (
              <EChart label={t('stats.dashboard.trend')} option={lineOption} height={320} />
            ) : null}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('stats.dashboard.funnel')}>
            {funnel ? (
              <EChart label={t('stats.dashboard.funnel')} option={funnel} height={320} />
            ) : null}
            {trend.data ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {FUNNEL_STEPS.map(
                  (step) => `${t(`stats.funnel.${step}`)} ${trend.data.funnel[step]}`,
                ).join(' → ')}
              </Typography.Text>
            ) : null}
          </Card>
        </Col>
      </Row>
      <RecordsDrawer drill={drill} onClose={() => setDrill(null)} />
    </Space>
  );
}
