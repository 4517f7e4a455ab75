import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  targetsApi,
  targetsQuery,
  useEmployed,
  useTargets,
  wanText,
  wanToPersons,
  type EmployedRow,
  type UnitTargets,
  type UploadReport,
} from '../../api/targets';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { mergeSearchParams } from '../../routing/searchParams';
import { FIRST_YEAR, selectableYears } from '../statistics/statisticsFormat';
import { formatCount } from '../../format';
import { useLocale, useT } from '../../i18n';

/*
 * 目标管理 (R-TGT-1): a year's targets of every responsible unit, edited in 万 as the annexes
 * print them and saved in persons; the Excel template and upload with its row-by-row report; the
 * employed persons per county and the city (the 持证率 denominator).
 */

type Field = 'training' | 'skilled' | 'highSkilled';
type Draft = Record<string, Record<Field, string>>;
/** What the user typed over the saved values, per unit and field. */
type Edits = Record<string, Partial<Record<Field, string>>>;

function draftOf(units: readonly UnitTargets[]): Draft {
  return Object.fromEntries(
    units.map((u) => [
      u.unitId,
      {
        training: u.targets ? wanText(u.targets.trainingPersonTimes) : '',
        skilled: u.targets ? wanText(u.targets.newSkilled) : '',
        highSkilled: u.targets ? wanText(u.targets.newHighSkilled) : '',
      },
    ]),
  );
}

function UnitTargetsCard({ year }: { year: number }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const query = useTargets(year);
  const [edits, setEdits] = useState<Edits>({});
  const [source, setSource] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const saved = useMemo(() => draftOf(query.data?.units ?? []), [query.data]);
  const draft: Draft = Object.fromEntries(
    Object.entries(saved).map(([unitId, values]) => [unitId, { ...values, ...edits[unitId] }]),
  );

  // Most units keep last year's targets or change a few: start from them (empty fields only).
  const copyPrevious = useMutation({
    mutationFn: () => queryClient.fetchQuery(targetsQuery(year - 1)),
    onSuccess: (previous) => {
      const filled: Edits = {};
      let count = 0;
      for (const unit of previous.units) {
        const current = draft[unit.unitId];
        const own = query.data?.units.find((u) => u.unitId === unit.unitId);
        if (!unit.targets || !current || own?.fromAnnex) continue;
        if (current.training || current.skilled || current.highSkilled) continue;
        filled[unit.unitId] = {
          training: wanText(unit.targets.trainingPersonTimes),
          skilled: wanText(unit.targets.newSkilled),
          highSkilled: wanText(unit.targets.newHighSkilled),
        };
        count += 1;
      }
      setEdits((current) => ({ ...current, ...filled }));
      if (count === 0) void message.info(t('targets.copyPrevious.none', { year: year - 1 }));
      else void message.success(t('targets.copyPrevious.done', { count, year: year - 1 }));
    },
  });

  const save = useMutation({
    mutationFn: () => {
      const units = query.data?.units ?? [];
      const errors: string[] = [];
      const rows = [];
      for (const unit of units) {
        if (unit.fromAnnex) continue;
        const values = draft[unit.unitId];
        if (!values) continue;
        const texts = [values.training, values.skilled, values.highSkilled];
        const before = unit.targets
          ? [
              wanText(unit.targets.trainingPersonTimes),
              wanText(unit.targets.newSkilled),
              wanText(unit.targets.newHighSkilled),
            ]
          : ['', '', ''];
        if (texts.every((text, i) => text.trim() === before[i])) continue;
        if (texts.some((text) => text.trim() === '')) {
          errors.push(t('targets.incomplete', { unit: unit.name }));
          continue;
        }
        const [training, skilled, high] = texts.map(wanToPersons);
        if (training == null || skilled == null || high == null) {
          errors.push(t('targets.invalidValue', { unit: unit.name }));
          continue;
        }
        if (high > skilled) {
          errors.push(t('targets.highAboveSkilled', { unit: unit.name }));
          continue;
        }
        rows.push({
          unitId: unit.unitId,
          trainingPersonTimes: training,
          newSkilled: skilled,
          newHighSkilled: high,
        });
      }
      if (errors.length === 0 && rows.length > 0 && source.trim() === '') {
        errors.push(t('targets.sourceRequired'));
      }
      setProblems(errors);
      if (errors.length > 0) return Promise.resolve(null);
      if (rows.length === 0) {
        void message.info(t('targets.nothingChanged'));
        return Promise.resolve(null);
      }
      return targetsApi.save(year, { units: rows, source: source.trim() });
    },
    onSuccess: (answer) => {
      if (!answer) return;
      queryClient.setQueryData(['statistics', 'targets', year], answer);
      setEdits({});
      void queryClient.invalidateQueries({ queryKey: ['statistics'] });
      void message.success(t('targets.saved', { year }));
    },
  });

  const valueColumn = (field: Field, titleKey: Parameters<typeof t>[0]) => ({
    key: field,
    title: t(titleKey),
    width: 170,
    render: (_: unknown, unit: UnitTargets) => {
      const text = draft[unit.unitId]?.[field] ?? '';
      const persons = wanToPersons(text);
      return (
        <Flex vertical>
          <Input
            aria-label={`${unit.name} ${t(titleKey)}`}
            value={text}
            disabled={unit.fromAnnex}
            inputMode="decimal"
            style={{ width: 120 }}
            onChange={(event) =>
              setEdits((current) => ({
                ...current,
                [unit.unitId]: { ...current[unit.unitId], [field]: event.target.value },
              }))
            }
          />
          {persons !== null && text !== '' ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('targets.persons', { persons: formatCount(persons, locale) })}
            </Typography.Text>
          ) : null}
        </Flex>
      );
    },
  });

  const columns: TableColumnsType<UnitTargets> = [
    { key: 'annex', title: t('targets.col.annex'), dataIndex: 'annex', width: 60 },
    { key: 'seq', title: t('targets.col.seq'), dataIndex: 'seq', width: 60 },
    { key: 'unit', title: t('targets.col.unit'), dataIndex: 'name' },
    valueColumn('training', 'targets.col.training'),
    valueColumn('skilled', 'targets.col.skilled'),
    valueColumn('highSkilled', 'targets.col.highSkilled'),
    {
      key: 'source',
      title: t('targets.col.source'),
      render: (_, unit) =>
        unit.fromAnnex ? <Tag>{t('targets.fromAnnex')}</Tag> : (unit.source ?? '—'),
    },
    {
      key: 'updatedAt',
      title: t('targets.col.updatedAt'),
      render: (_, unit) => (unit.updatedAt ? unit.updatedAt.slice(0, 10) : '—'),
    },
  ];

  return (
    <Card title={t('targets.unitsCard', { year })}>
      {query.error ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      {save.error ? <ErrorAlert error={save.error} /> : null}
      {copyPrevious.error ? <ErrorAlert error={copyPrevious.error} /> : null}
      {problems.length > 0 ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            <ul style={{ margin: 0, paddingLeft: 16 }}>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Table<UnitTargets>
        size="small"
        rowKey="unitId"
        loading={query.isPending}
        columns={columns}
        dataSource={query.data?.units ?? []}
        pagination={false}
        scroll={{ x: true }}
      />
      <Flex gap={8} wrap style={{ marginTop: 12 }}>
        <Input
          aria-label={t('targets.source')}
          placeholder={t('targets.source')}
          value={source}
          maxLength={200}
          style={{ maxWidth: 360 }}
          onChange={(event) => setSource(event.target.value)}
        />
        <Button type="primary" loading={save.isPending} onClick={() => save.mutate()}>
          {t('targets.save')}
        </Button>
        {year > FIRST_YEAR ? (
          <Button loading={copyPrevious.isPending} onClick={() => copyPrevious.mutate()}>
            {t('targets.copyPrevious', { year: year - 1 })}
          </Button>
        ) : null}
      </Flex>
    </Card>
  );
}

function UploadCard({ year }: { year: number }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<UploadReport | null>(null);
  const upload = useMutation({
    mutationFn: (dryRun: boolean) => targetsApi.upload(year, file as File, { dryRun }),
    onSuccess: (answer) => {
      setReport(answer);
      if (answer.status === 'committed') {
        void queryClient.invalidateQueries({ queryKey: ['statistics'] });
      }
    },
  });
  const statusText = (r: UploadReport) =>
    t(`targets.upload.status.${r.status}`, {
      rows: r.rows.length,
      written: r.written,
      errors: r.errors.length,
    });
  return (
    <Card title={t('targets.upload.card')}>
      <Typography.Paragraph type="secondary">{t('targets.upload.hint')}</Typography.Paragraph>
      <Flex gap={8} wrap align="center">
        <Button href={targetsApi.templateUrl(year)}>
          {t('targets.upload.template', { year })}
        </Button>
        <Upload
          accept=".xlsx"
          maxCount={1}
          beforeUpload={(picked) => {
            setFile(picked);
            setReport(null);
            return false;
          }}
          onRemove={() => setFile(null)}
        >
          <Button>{t('targets.upload.pick')}</Button>
        </Upload>
        <Button disabled={!file} loading={upload.isPending} onClick={() => upload.mutate(true)}>
          {t('targets.upload.dryRun')}
        </Button>
        <Button
          type="primary"
          disabled={!file}
          loading={upload.isPending}
          onClick={() => upload.mutate(false)}
        >
          {t('targets.upload.commit')}
        </Button>
      </Flex>
      {upload.error ? <ErrorAlert error={upload.error} /> : null}
      {report ? (
        <div style={{ marginTop: 12 }}>
          <Alert
            type={report.status === 'failed' ? 'error' : 'success'}
            showIcon
            message={statusText(report)}
          />
          {report.errors.length > 0 ? (
            <Table
              size="small"
              style={{ marginTop: 8 }}
              rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
              pagination={false}
              dataSource={report.errors}
              columns={[
                { key: 'row', title: t('targets.upload.col.row'), dataIndex: 'row', width: 80 },
                { key: 'column', title: t('targets.upload.col.column'), dataIndex: 'column' },
                { key: 'message', title: t('targets.upload.col.message'), dataIndex: 'message' },
              ]}
            />
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}

type EmployedDraft = Record<string, { persons: number | null; source: string }>;
const keyOf = (row: { unitId: string | null }) => row.unitId ?? 'city';

function EmployedCard({ year }: { year: number }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const query = useEmployed(year);
  const [edits, setEdits] = useState<Record<string, Partial<EmployedDraft[string]>>>({});
  const [problems, setProblems] = useState<string[]>([]);
  const draft: EmployedDraft = Object.fromEntries(
    (query.data?.rows ?? []).map((r) => [
      keyOf(r),
      { persons: r.persons, source: r.source ?? '', ...edits[keyOf(r)] },
    ]),
  );
  const save = useMutation({
    mutationFn: () => {
      const rows = [];
      const errors: string[] = [];
      for (const row of query.data?.rows ?? []) {
        const value = draft[keyOf(row)];
        if (!value || value.persons === null) continue;
        if (value.persons === row.persons && value.source.trim() === (row.source ?? '')) continue;
        if (value.source.trim() === '') {
          errors.push(t('targets.employed.needSource', { place: row.name }));
          continue;
        }
        rows.push({ unitId: row.unitId, persons: value.persons, source: value.source.trim() });
      }
      setProblems(errors);
      if (errors.length > 0) return Promise.resolve(null);
      if (rows.length === 0) {
        void message.info(t('targets.nothingChanged'));
        return Promise.resolve(null);
      }
      return targetsApi.saveEmployed(year, { rows });
    },
    onSuccess: (answer) => {
      if (!answer) return;
      queryClient.setQueryData(['statistics', 'employed', year], answer);
      setEdits({});
      void queryClient.invalidateQueries({ queryKey: ['statistics', 'outcomes'] });
      void message.success(t('targets.employed.saved', { year }));
    },
  });
  const update = (row: EmployedRow, patch: Partial<EmployedDraft[string]>) =>
    setEdits((current) => ({ ...current, [keyOf(row)]: { ...current[keyOf(row)], ...patch } }));
  const columns: TableColumnsType<EmployedRow> = [
    { key: 'place', title: t('targets.employed.col.place'), dataIndex: 'name' },
    {
      key: 'persons',
      title: t('targets.employed.col.persons'),
      render: (_, row) => (
        <InputNumber<number>
          aria-label={`${row.name} ${t('targets.employed.col.persons')}`}
          min={1}
          precision={0}
          style={{ width: 160 }}
          value={draft[keyOf(row)]?.persons ?? null}
          onChange={(value) => update(row, { persons: value ?? null })}
        />
      ),
    },
    {
      key: 'source',
      title: t('targets.employed.col.source'),
      render: (_, row) => (
        <Input
          aria-label={`${row.name} ${t('targets.employed.col.source')}`}
          maxLength={200}
          value={draft[keyOf(row)]?.source ?? ''}
          onChange={(event) => update(row, { source: event.target.value })}
        />
      ),
    },
  ];
  return (
    <Card title={t('targets.employed.card', { year })}>
      {query.error ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      {save.error ? <ErrorAlert error={save.error} /> : null}
      {problems.length > 0 ? (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} message={problems.join(' ')} />
      ) : null}
      <Table<EmployedRow>
        size="small"
        rowKey={keyOf}
        loading={query.isPending}
        columns={columns}
        dataSource={query.data?.rows ?? []}
        pagination={false}
      />
      <Button
        type="primary"
        style={{ marginTop: 12 }}
        loading={save.isPending}
        onClick={() => save.mutate()}
      >
        {t('targets.employed.save')}
      </Button>
    </Card>
  );
}

export default function TargetsManagePage() {
  const t = useT();
  const list = selectableYears(new Date(), 1);
  // ?year= (e.g. from 目标进度's "enter targets"), else this year.
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('year'));
  const year = list.includes(asked) ? asked : (list[1] ?? FIRST_YEAR);
  const setYear = (next: number) =>
    setParams((current) => mergeSearchParams(current, { year: next }, { year: list[1] ?? 0 }));
  return (
    <Flex vertical gap={16}>
      <PageTitle titleKey="targets.manage.title" descriptionKey="targets.manage.description" />
      <Space>
        <span>{t('targets.year')}</span>
        <Select<number>
          aria-label={t('targets.year')}
          value={year}
          style={{ width: 120 }}
          options={list.map((value) => ({ value, label: String(value) }))}
          onChange={setYear}
        />
      </Space>
      <UnitTargetsCard key={`targets-${year}`} year={year} />
      <UploadCard key={`upload-${year}`} year={year} />
      <EmployedCard key={`employed-${year}`} year={year} />
    </Flex>
  );
}
