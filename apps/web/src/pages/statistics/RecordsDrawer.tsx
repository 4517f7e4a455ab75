import { Drawer, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import {
  useStatisticsRecords,
  type Measure,
  type RecordsQuery,
  type StatisticsRecord,
} from '../../api/statistics';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT, type MessageKey } from '../../i18n';

/** A figure whose records are asked for: the measure, the year and whose figure it is. */
export interface DrillDown {
  measure: Measure;
  year: number;
  /** Whose figure, as the drawer's title says it (a unit, a county, a plan, the city). */
  title: string;
  unitId?: string;
  countyUnitId?: string;
  planNo?: number;
  unattributed?: boolean;
}

const PAGE_SIZE = 20;

/** The request for the records behind `drill` (only the filter it names). */
export function recordsQuery(drill: DrillDown, page = 1, pageSize = PAGE_SIZE): RecordsQuery {
  const query: RecordsQuery = { measure: drill.measure, year: drill.year, page, pageSize };
  if (drill.unitId !== undefined) query.unitId = drill.unitId;
  if (drill.countyUnitId !== undefined) query.countyUnitId = drill.countyUnitId;
  if (drill.planNo !== undefined) query.planNo = drill.planNo;
  if (drill.unattributed) query.unattributed = true;
  return query;
}

/**
 * The drill-down: the records behind one figure (persons with masked ID numbers, dates, units,
 * plans, occupations, sources), paged by the server. Closed when `drill` is null.
 */
export function RecordsDrawer({
  drill,
  onClose,
}: {
  drill: DrillDown | null;
  onClose: () => void;
}) {
  const t = useT();
  // Paging belongs to one figure: another figure starts again from its first page.
  const [paging, setPaging] = useState<{ of: DrillDown | null; page: number; pageSize: number }>({
    of: null,
    page: 1,
    pageSize: PAGE_SIZE,
  });
  const page = paging.of === drill ? paging.page : 1;
  const pageSize = paging.pageSize;
  const query = drill ? recordsQuery(drill, page, pageSize) : null;
  const { data, error, isFetching, refetch } = useStatisticsRecords(query);

  // A code the catalogue lacks is shown as it is.
  const text = (key: string, code: string): string =>
    (t(key as MessageKey) as string | undefined) ?? code;
  const columns: TableColumnsType<StatisticsRecord> = [
    { title: t('stats.records.name'), dataIndex: 'name', fixed: 'left' },
    {
      title: t('stats.records.idNumber'),
      dataIndex: 'idNumberMasked',
      render: (value: string) => <span style={{ fontFamily: 'monospace' }}>{value}</span>,
    },
    { title: t('stats.records.date'), dataIndex: 'onDate' },
    {
      title: t('stats.records.unit'),
      dataIndex: 'unitName',
      render: (value: string | null) => value ?? t('common.none'),
    },
    {
      title: t('stats.records.county'),
      dataIndex: 'countyUnitName',
      render: (value: string | null) => value ?? t('stats.unattributed'),
    },
    {
      title: t('stats.records.plan'),
      dataIndex: 'planNo',
      render: (value: number | null) =>
        value === null ? t('common.none') : t('stats.plans.no', { planNo: value }),
    },
    {
      title: t('stats.records.occupation'),
      dataIndex: 'occupationName',
      render: (value: string | null, record) => value ?? record.occupationCode ?? t('common.none'),
    },
    {
      title: t('stats.records.level'),
      dataIndex: 'skillLevelKey',
      render: (value: string | null) =>
        value === null ? t('common.none') : text(`activityCert.level.${value}`, value),
    },
    {
      title: t('stats.records.source'),
      dataIndex: 'source',
      render: (value: string) => text(`stats.source.${value}`, value),
    },
  ];

  return (
    <Drawer
      open={drill !== null}
      onClose={onClose}
      size={960}
      title={
        drill
          ? t('stats.records.title', {
              title: drill.title,
              measure: t(`stats.measure.${drill.measure}`),
              year: drill.year,
            })
          : null
      }
      destroyOnHidden
    >
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Typography.Paragraph type="secondary">{t('stats.records.note')}</Typography.Paragraph>
      <Table<StatisticsRecord>
        rowKey={(record) => `${record.recordId}:${record.measure}`}
        size="small"
        loading={isFetching}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => t('common.total', { total }),
          onChange: (nextPage, nextPageSize) =>
            setPaging({
              of: drill,
              page: nextPageSize === pageSize ? nextPage : 1,
              pageSize: nextPageSize,
            }),
        }}
      />
    </Drawer>
  );
}
