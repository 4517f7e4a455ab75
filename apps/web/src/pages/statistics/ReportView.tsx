import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import {
  MEASURE_KEYS,
  statisticsApi,
  type Measure,
  type Report,
  type ReportContent,
} from '../../api/statistics';
import { formatCount } from '../../format';
import { useLocale, useT, type Locale, type Translate } from '../../i18n';
import { inWan, percent, STATUS_COLORS } from './statisticsFormat';
import { Definitions } from './TargetsPage';

type UnitRow = ReportContent['annex1']['rows'][number];
type PlanRow = ReportContent['plans']['rows'][number];
type TotalRow = ReportContent['annex1']['total'];
type Cell = UnitRow['measures']['training'];

const LAGGARD_BACKGROUND = '#fff1f0';

/** 本期, 累计, 年度目标（万）, 完成率, 排名 of one measure: the xlsx's column group. */
function cellColumns<Row extends { measures: Record<Measure, Cell> }>(
  measure: Measure,
  t: Translate,
  locale: Locale,
): TableColumnsType<Row>[number] {
  const of = (row: Row) => row.measures[measure];
  return {
    title: t(`stats.measure.${measure}`),
    key: measure,
    children: [
      {
        title: t('stats.report.period'),
        key: `${measure}.period`,
        align: 'right',
        render: (_, row) => formatCount(of(row).period, locale),
      },
      {
        title: t('stats.report.ytd'),
        key: `${measure}.ytd`,
        align: 'right',
        render: (_, row) => formatCount(of(row).ytd, locale),
      },
      {
        title: t(`stats.col.target.${measure}`),
        key: `${measure}.target`,
        align: 'right',
        render: (_, row) => {
          const target = of(row).target;
          return target === null ? t('common.none') : inWan(target);
        },
      },
      {
        title: t('stats.report.progress'),
        key: `${measure}.progress`,
        align: 'right',
        render: (_, row) => {
          const cell = of(row);
          if (cell.progress === null) return t('common.none');
          return (
            <Space size={4}>
              {percent(cell.progress)}
              {cell.status === 'behind' ? (
                <Tag color={STATUS_COLORS.behind} style={{ marginInlineEnd: 0 }}>
                  {t('stats.status.behind')}
                </Tag>
              ) : null}
            </Space>
          );
        },
      },
      {
        title: t('stats.col.rank'),
        key: `${measure}.rank`,
        align: 'right',
        render: (_, row) => of(row).rank ?? t('common.none'),
      },
    ],
  };
}

/** A 合计 row in the table's summary, below the units. */
function totalSummary(total: TotalRow, leading: number, locale: Locale, t: Translate) {
  let index = leading;
  const cells = MEASURE_KEYS.flatMap((measure) => {
    const cell = total.measures[measure];
    return [
      formatCount(cell.period, locale),
      formatCount(cell.ytd, locale),
      cell.target === null ? t('common.none') : inWan(cell.target),
      cell.progress === null ? t('common.none') : percent(cell.progress),
      '',
    ];
  });
  return (
    <Table.Summary fixed>
      <Table.Summary.Row style={{ fontWeight: 600 }}>
        <Table.Summary.Cell index={0} colSpan={leading}>
          {total.name}
        </Table.Summary.Cell>
        {cells.map((text, i) => (
          <Table.Summary.Cell key={i} index={(index += 1)} align="right">
            {text}
          </Table.Summary.Cell>
        ))}
      </Table.Summary.Row>
    </Table.Summary>
  );
}

/**
 * A kept report as the bureaus read it (the layout of its .xlsx): title, period, the counties'
 * and the departments' tables with their 合计 rows (never added together), the 12 plans; rows
 * behind the year elapsed highlighted.
 */
export function ReportView({ report }: { report: Report }) {
  const t = useT();
  const { locale } = useLocale();
  const content = report.content;
  const highlight = content.kind !== 'daily';
  const laggardRow = (row: { laggard: boolean }) => ({
    style: highlight && row.laggard ? { background: LAGGARD_BACKGROUND } : undefined,
  });
  const unitColumns: TableColumnsType<UnitRow> = [
    {
      title: t('stats.col.seq'),
      key: 'seq',
      width: 56,
      render: (_, row) => row.seq ?? t('common.none'),
    },
    { title: t('stats.col.unit'), dataIndex: 'name' },
    ...MEASURE_KEYS.map((measure) => cellColumns<UnitRow>(measure, t, locale)),
  ];
  const planColumns: TableColumnsType<PlanRow> = [
    { title: t('stats.col.planNo'), dataIndex: 'planNo', width: 56 },
    { title: t('stats.col.plan'), dataIndex: 'name' },
    ...MEASURE_KEYS.map((measure) => cellColumns<PlanRow>(measure, t, locale)),
  ];
  const unitTable = (table: ReportContent['annex1'], testId: string) => (
    <section data-testid={testId}>
      <Typography.Title level={5}>{table.title}</Typography.Title>
      <Table<UnitRow>
        rowKey="unitId"
        size="small"
        bordered
        columns={unitColumns}
        dataSource={table.rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={laggardRow}
        summary={() => totalSummary(table.total, 2, locale, t)}
      />
    </section>
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="start" gap={12} wrap>
        <div>
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {content.title}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t('stats.report.subtitle', {
              start: content.period.start,
              end: content.period.end,
              asOf: content.asOf,
              elapsed: percent(content.elapsedShare),
            })}
          </Typography.Text>
        </div>
        <Button
          icon={<DownloadOutlined />}
          href={statisticsApi.reportDownloadUrl(report.id)}
          download
        >
          {t('stats.report.download')}
        </Button>
      </Flex>
      <Typography.Text type="secondary">{t('stats.report.units')}</Typography.Text>
      {unitTable(content.annex1, 'report-annex1')}
      {unitTable(content.annex2, 'report-annex2')}
      <Alert type="warning" showIcon title={t('stats.neverSum')} />
      <section data-testid="report-plans">
        <Typography.Title level={5}>{content.plans.title}</Typography.Title>
        <Table<PlanRow>
          rowKey="planNo"
          size="small"
          bordered
          columns={planColumns}
          dataSource={content.plans.rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={laggardRow}
        />
      </section>
      <Typography.Text type="secondary">
        {t('stats.report.city', {
          training: formatCount(content.city.ytd.training, locale),
          skilled: formatCount(content.city.ytd.skilled, locale),
          high_skilled: formatCount(content.city.ytd.high_skilled, locale),
        })}
      </Typography.Text>
      <Definitions data={content} />
    </Space>
  );
}
