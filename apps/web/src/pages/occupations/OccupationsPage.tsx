import { Input, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useSearchParams } from 'react-router';
import { useOccupations } from '../../api/queries';
import type { Occupation } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';
import { mergeSearchParams, readPositiveInt } from '../../routing/searchParams';
import { listPagination } from '../../components/pagination';

const DEFAULT_PAGE_SIZE = 20;
const DEFAULTS = { page: 1, pageSize: DEFAULT_PAGE_SIZE };

export default function OccupationsPage() {
  const t = useT();
  // Search text and paging live in the URL, so a result list can be bookmarked and shared.
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const page = readPositiveInt(params, 'page', DEFAULTS.page);
  const pageSize = Math.min(readPositiveInt(params, 'pageSize', DEFAULT_PAGE_SIZE), 100);
  const { data, error, isFetching, refetch } = useOccupations({
    q: q || undefined,
    page,
    pageSize,
  });

  const update = (changes: Record<string, string | number | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes, DEFAULTS));

  const columns: TableColumnsType<Occupation> = [
    {
      title: t('occupations.col.code'),
      dataIndex: 'code',
      width: 130,
      render: (code: string) => (
        <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
          {code}
        </Typography.Text>
      ),
    },
    { title: t('occupations.col.name'), dataIndex: 'name' },
    {
      title: t('occupations.col.level'),
      dataIndex: 'levelName',
      responsive: ['sm'],
      render: (levelName: Occupation['levelName']) => t(`occupations.level.${levelName}`),
    },
    {
      title: t('occupations.col.tags'),
      key: 'tags',
      render: (_: unknown, occupation) => (
        <Space size={[0, 4]} wrap>
          {occupation.isGreen ? <Tag color="green">{t('occupations.tag.green')}</Tag> : null}
          {occupation.isDigital ? <Tag color="geekblue">{t('occupations.tag.digital')}</Tag> : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle titleKey="occupations.title" descriptionKey="occupations.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Input.Search
          // Remounting on a new `q` keeps the box in step with back/forward navigation.
          key={q}
          defaultValue={q}
          placeholder={t('occupations.searchPlaceholder')}
          aria-label={t('occupations.searchPlaceholder')}
          enterButton={t('common.search')}
          allowClear
          style={{ maxWidth: 480 }}
          onSearch={(value) => update({ q: value.trim(), page: undefined })}
        />
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        <Table<Occupation>
          rowKey="code"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={isFetching}
          locale={{ emptyText: t('occupations.empty') }}
          expandable={{
            rowExpandable: (occupation) => occupation.definition !== null,
            expandedRowRender: (occupation) => (
              <Typography.Paragraph style={{ margin: 0, maxWidth: 820 }}>
                <Typography.Text strong>{t('occupations.definition')}: </Typography.Text>
                {occupation.definition}
              </Typography.Paragraph>
            ),
          }}
          pagination={listPagination({ page, pageSize, total: data?.total, update, t })}
        />
      </Space>
    </>
  );
}
