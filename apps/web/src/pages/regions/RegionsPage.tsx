import { useQueries } from '@tanstack/react-query';
import { Alert, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState, type Key } from 'react';
import { queries, useRegions } from '../../api/queries';
import type { Region } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SHANGQIU } from '../../deployment';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';
import { RegionTags } from './RegionTags';

interface RegionRow extends Region {
  /** Present (possibly empty) when the row can be expanded; filled once its children load. */
  children?: RegionRow[];
}

export default function RegionsPage() {
  const t = useT();
  const top = useRegions();
  const counties = useRegions({ parent: SHANGQIU });
  const [expandedKeys, setExpandedKeys] = useState<readonly Key[]>([SHANGQIU]);

  // Townships are fetched only for the county-level rows the user has opened.
  const openCounties = expandedKeys.filter((key): key is string => key !== SHANGQIU);
  const townships = useQueries({
    queries: openCounties.map((code) => queries.regions({ parent: code })),
  });
  const townshipsOf = new Map(openCounties.map((code, i) => [code, townships[i]?.data?.items]));
  const townshipError = townships.find((result) => result.isError)?.error;

  const root = top.data?.items.find((region) => region.code === SHANGQIU);
  const rows: RegionRow[] =
    root && counties.data
      ? [
          {
            ...root,
            children: counties.data.items.map((county) =>
              county.hasChildren
                ? { ...county, children: townshipsOf.get(county.code) ?? [] }
                : county,
            ),
          },
        ]
      : [];

  // Name first: the tree's expand control and indentation belong with the name, and on a phone
  // the name and code are what fits.
  const columns: TableColumnsType<RegionRow> = [
    {
      title: t('regions.col.name'),
      dataIndex: 'name',
      // Inline, not flex: on a phone the tags wrap under the name, the expand icon stays beside it.
      render: (name: string, region) => (
        <>
          <span style={{ marginInlineEnd: 8 }}>{name}</span>
          <RegionTags region={region} />
        </>
      ),
    },
    {
      title: t('regions.col.code'),
      dataIndex: 'code',
      render: (code: string) => (
        <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
          {code}
        </Typography.Text>
      ),
    },
    {
      title: t('regions.col.level'),
      dataIndex: 'levelName',
      responsive: ['sm'],
      render: (levelName: Region['levelName']) => t(`regions.level.${levelName}`),
    },
  ];

  const error = top.error ?? counties.error;
  return (
    <>
      <PageTitle titleKey="regions.title" descriptionKey="regions.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {error ? (
          <ErrorAlert
            error={error}
            onRetry={() => {
              void top.refetch();
              void counties.refetch();
            }}
          />
        ) : null}
        {townshipError ? <ErrorAlert error={townshipError} /> : null}
        {!error && top.data && !root ? (
          <Alert type="warning" showIcon title={t('regions.notFound')} />
        ) : null}
        <Table<RegionRow>
          rowKey="code"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={
            top.isPending || counties.isPending || townships.some((result) => result.isPending)
          }
          pagination={false}
          expandable={{ expandedRowKeys: expandedKeys, onExpandedRowsChange: setExpandedKeys }}
        />
      </Space>
    </>
  );
}
