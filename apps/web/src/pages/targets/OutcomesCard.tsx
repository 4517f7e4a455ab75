import { Card, Collapse, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useOutcomes, type OutcomeRow, type Outcomes } from '../../api/targets';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatCount } from '../../format';
import { useLocale, useT, type Translate } from '../../i18n';

/*
 * Outcome measures (R-TGT-2) of a year per county-level unit and the city: certificate holders
 * among the employed, employment in the 2nd and 4th quarter after exit, the median quarterly
 * earnings change. A suppressed cell (n under the threshold) shows "<10" with a tooltip.
 */

function Suppressed({ threshold, t }: { threshold: number; t: Translate }) {
  return (
    <Tooltip title={t('targets.outcomes.suppressedTip', { threshold })}>
      <span data-suppressed="true">{t('targets.outcomes.suppressed', { threshold })}</span>
    </Tooltip>
  );
}

function percent(rate: number, digits = 1): string {
  return `${(rate * 100).toFixed(digits)}%`;
}

export function OutcomesCard({ year }: { year: number }) {
  const t = useT();
  const { locale } = useLocale();
  const query = useOutcomes(year);
  const data: Outcomes | undefined = query.data;
  const threshold = data?.suppressionThreshold ?? 10;
  const hidden = <Suppressed threshold={threshold} t={t} />;
  const withN = (text: string, n: number | null) => (
    <>
      {text}
      {n === null ? null : (
        <Typography.Text type="secondary" style={{ marginLeft: 4, fontSize: 12 }}>
          {t('targets.outcomes.n', { n: formatCount(n, locale) })}
        </Typography.Text>
      )}
    </>
  );
  const rateCell = (cell: OutcomeRow['employmentQ2']) =>
    cell.suppressed ? hidden : cell.rate === null ? '—' : withN(percent(cell.rate), cell.n);

  const columns: TableColumnsType<OutcomeRow> = [
    { key: 'place', title: t('targets.outcomes.col.place'), dataIndex: 'name' },
    {
      key: 'holders',
      title: t('targets.outcomes.col.holders'),
      align: 'right',
      render: (_, row) =>
        row.certificateHolders.suppressed || row.certificateHolders.holders === null
          ? hidden
          : formatCount(row.certificateHolders.holders, locale),
    },
    {
      key: 'employed',
      title: t('targets.outcomes.col.employed'),
      align: 'right',
      render: (_, row) =>
        row.certificateHolders.employed === null ? (
          <Typography.Text type="secondary">{t('targets.outcomes.notEntered')}</Typography.Text>
        ) : (
          <Tooltip title={row.certificateHolders.employedSource}>
            {formatCount(row.certificateHolders.employed, locale)}
          </Tooltip>
        ),
    },
    {
      key: 'holdersRate',
      title: t('targets.outcomes.col.holdersRate'),
      align: 'right',
      render: (_, row) =>
        row.certificateHolders.suppressed
          ? hidden
          : row.certificateHolders.rate === null
            ? '—'
            : percent(row.certificateHolders.rate, 2),
    },
    {
      key: 'q2',
      title: t('targets.outcomes.col.q2'),
      align: 'right',
      render: (_, row) => rateCell(row.employmentQ2),
    },
    {
      key: 'q4',
      title: t('targets.outcomes.col.q4'),
      align: 'right',
      render: (_, row) => rateCell(row.employmentQ4),
    },
    {
      key: 'earnings',
      title: t('targets.outcomes.col.earnings'),
      align: 'right',
      render: (_, row) =>
        row.earningsChangeQ2.suppressed || row.earningsChangeQ2.medianFen === null
          ? hidden
          : withN((row.earningsChangeQ2.medianFen / 100).toFixed(2), row.earningsChangeQ2.n),
    },
  ];

  return (
    <Card title={t('targets.outcomes.title', { year })}>
      {query.error ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      {data ? (
        <Typography.Paragraph type="secondary">
          {t('targets.outcomes.asOf', { asOf: data.asOf, threshold })}
        </Typography.Paragraph>
      ) : null}
      <Table<OutcomeRow>
        size="small"
        rowKey={(row) => row.unitId ?? 'city'}
        loading={query.isPending}
        columns={columns}
        dataSource={data ? [...data.units, data.city] : []}
        pagination={false}
        scroll={{ x: true }}
      />
      {data ? (
        <Collapse
          ghost
          style={{ marginTop: 8 }}
          items={[
            {
              key: 'definitions',
              label: t('targets.outcomes.definitions'),
              children: (
                <dl>
                  {data.definitions.map((d) => (
                    <div key={d.measure}>
                      <dt>
                        <strong>{locale === 'en' ? d.name.en : d.name.zh}</strong>
                      </dt>
                      <dd>{locale === 'en' ? d.definition.en : d.definition.zh}</dd>
                    </div>
                  ))}
                </dl>
              ),
            },
          ]}
        />
      ) : null}
    </Card>
  );
}

export default OutcomesCard;
