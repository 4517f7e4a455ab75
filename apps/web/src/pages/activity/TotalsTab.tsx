import { Alert, Card, Col, DatePicker, Flex, Radio, Row, Space, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { useSearchParams } from 'react-router';
import { useActivityTotals, type ActivityTotalsQuery } from '../../api/activityIntake';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';
import { mergeSearchParams } from '../../routing/searchParams';
import { shanghaiMonth } from '../../format';
import { ReportingUnitSelect } from './intakeCatalog';

/** Query-string names of this tab, apart from the other tabs'. */
const P = { unit: 'tunit', by: 'tby', period: 'tperiod', year: 'tyear' } as const;
const PERIOD = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
const YEAR = /^(20[0-9]{2}|2100)$/;

/**
 * 本期汇总: a unit's month or year as it will count in #9 — training person-times (once per
 * person, occupation and month whatever the source), the raw records behind them, the duplicates
 * removed, and the persons newly certified and newly high-skilled.
 */
export function TotalsTab() {
  const t = useT();
  const me = useAccount();
  const [params, setParams] = useSearchParams();
  const thisMonth = shanghaiMonth();
  const byYear = params.get(P.by) === 'year';
  const rawPeriod = params.get(P.period) ?? '';
  const period = PERIOD.test(rawPeriod) ? rawPeriod : thisMonth;
  const rawYear = params.get(P.year) ?? '';
  const year = YEAR.test(rawYear) ? Number(rawYear) : Number(thisMonth.slice(0, 4));
  const ownUnit = me.scope.kind === 'unit' ? me.scope.unitId : undefined;
  const unitId = ownUnit ?? (params.get(P.unit) || undefined);
  const query: ActivityTotalsQuery = byYear ? { year, unitId } : { period, unitId };
  const { data, error, isFetching, refetch } = useActivityTotals(query);
  const update = (changes: Record<string, string | undefined>) =>
    setParams((current) => mergeSearchParams(current, changes));

  const figure = (value: number | null | undefined) =>
    value === null ? t('activityTotals.notApplicable') : (value ?? '–');

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Alert type="info" showIcon title={t('activityTotals.lead')} />
      <Flex wrap gap={8} align="center">
        {ownUnit ? null : (
          <ReportingUnitSelect
            me={me}
            allowClear
            value={unitId}
            onChange={(value) => update({ [P.unit]: value })}
            placeholderKey="activityTotals.unit.all"
          />
        )}
        <Radio.Group
          optionType="button"
          value={byYear ? 'year' : 'month'}
          onChange={(event) =>
            update({ [P.by]: event.target.value === 'year' ? 'year' : undefined })
          }
          options={[
            { value: 'month', label: t('activityTotals.byMonth') },
            { value: 'year', label: t('activityTotals.byYear') },
          ]}
        />
        {byYear ? (
          <DatePicker
            aria-label={t('activityTotals.year')}
            picker="year"
            allowClear={false}
            value={dayjs(`${year}-01-01`)}
            onChange={(value) => update({ [P.year]: value ? value.format('YYYY') : undefined })}
          />
        ) : (
          <DatePicker
            aria-label={t('activityTotals.month')}
            picker="month"
            allowClear={false}
            value={dayjs(`${period}-01`)}
            onChange={(value) =>
              update({ [P.period]: value ? value.format('YYYY-MM') : undefined })
            }
          />
        )}
      </Flex>
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} lg={8}>
          <Card loading={isFetching && !data}>
            <Statistic
              title={t('activityTotals.personTimes')}
              value={figure(data?.trainingPersonTimes)}
            />
          </Card>
        </Col>
        <Col xs={12} sm={6} lg={4}>
          <Card loading={isFetching && !data}>
            <Statistic title={t('activityTotals.records')} value={figure(data?.trainingRecords)} />
          </Card>
        </Col>
        <Col xs={12} sm={6} lg={4}>
          <Card loading={isFetching && !data}>
            <Statistic
              title={t('activityTotals.duplicatesRemoved')}
              value={figure(data?.trainingDuplicatesRemoved)}
            />
          </Card>
        </Col>
        <Col xs={12} sm={12} lg={4}>
          <Card loading={isFetching && !data}>
            <Statistic
              title={t('activityTotals.certifiedPersons')}
              value={figure(data?.certifiedPersons)}
            />
          </Card>
        </Col>
        <Col xs={12} sm={12} lg={4}>
          <Card loading={isFetching && !data}>
            <Statistic
              title={t('activityTotals.highSkilledPersons')}
              value={figure(data?.highSkilledPersons)}
            />
          </Card>
        </Col>
      </Row>
      {data ? (
        <Typography.Paragraph type="secondary">
          {t('activityTotals.explain', {
            records: data.trainingRecords,
            removed: data.trainingDuplicatesRemoved,
            counted: data.trainingPersonTimes,
          })}
        </Typography.Paragraph>
      ) : null}
    </Space>
  );
}
