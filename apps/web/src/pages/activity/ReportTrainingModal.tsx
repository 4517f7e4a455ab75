import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  trainingReportsApi,
  type CorrectTrainingBody,
  type ReportTrainingBody,
  type TraineeOutcome,
  type TrainingReport,
  type TrainingReportDetail,
} from '../../api/activityTrainings';
import { ApiError } from '../../api/problem';
import { usePlans, useSkillLevels, useUnits } from '../../api/queries';
import type { Me, Unit } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { shanghaiToday } from '../../format';
import { useT } from '../../i18n';
import { OccupationSelect } from '../vouchers/voucherCatalog';
import { localizeTrainingMessage, outcomeReason } from './trainingCatalog';
import { EMPTY_TRAINEE, traineeProblems, traineesBody, type TraineeRow } from './trainees';
import { TraineesEditor } from './TraineesEditor';

/** As many trainees as the API takes in one report; a larger roster goes through the import. */
export const MAX_TRAINEES = 2000;

interface Values {
  unitId?: string;
  title: string;
  occupationCode?: string | null;
  skillLevelKey?: string | null;
  planNo?: number | null;
  startOn?: Dayjs;
  endOn?: Dayjs;
  hours?: number | null;
  replaceTrainees: boolean;
  trainees: TraineeRow[];
}

const FIELDS = [
  'unitId',
  'title',
  'occupationCode',
  'skillLevelKey',
  'planNo',
  'startOn',
  'endOn',
  'hours',
] as const;
type Field = (typeof FIELDS)[number];

/** Whether hours is in (0, 5000] with at most one decimal, as the API requires. */
export function hoursValid(hours: number): boolean {
  if (!Number.isFinite(hours) || hours <= 0 || hours > 5000) return false;
  return Math.abs(hours * 10 - Math.round(hours * 10)) < 1e-9;
}

/** The units `me` may report for: its own, its county's county units, or all of them. */
export function reportableUnits(me: Me, units: readonly Unit[]): Unit[] {
  const scope = me.scope;
  if (scope.kind === 'unit') return units.filter((unit) => unit.id === scope.unitId);
  if (scope.kind === 'region') {
    return units.filter((unit) => unit.kind === 'county' && unit.regionCode === scope.regionCode);
  }
  return [...units];
}

interface Placed {
  fields: { name: Field; errors: string[] }[];
  rows: Map<number, string[]>;
  unplaced: boolean;
}

/** The API's field errors on our fields and trainee rows (`/body/trainees/3/idNumber`). */
function placeErrors(error: unknown, t: ReturnType<typeof useT>): Placed {
  const problems = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  const byField = new Map<Field, string[]>();
  const rows = new Map<number, string[]>();
  let unplaced = problems.length === 0;
  for (const { path, message } of problems) {
    const row = /^\/body\/trainees\/(\d+)/.exec(path)?.[1];
    if (row !== undefined) {
      const index = Number(row);
      rows.set(index, [...(rows.get(index) ?? []), localizeTrainingMessage(message, t)]);
      continue;
    }
    const segment = /^\/body\/([^/]+)/.exec(path)?.[1];
    const name = FIELDS.find((field) => field === segment);
    if (name === undefined) {
      unplaced = true;
      continue;
    }
    byField.set(name, [...(byField.get(name) ?? []), localizeTrainingMessage(message, t, name)]);
  }
  return { fields: [...byField].map(([name, errors]) => ({ name, errors })), rows, unplaced };
}

/** Whether a 409 says the report changed since it was read (not that it was withdrawn). */
export function isStaleVersion(error: unknown): boolean {
  return (
    error instanceof ApiError && error.code === 'CONFLICT' && /changed/i.test(error.detail ?? '')
  );
}

/** Each trainee's fate after a report: matched, registered, or not accepted and why. */
export function TraineeOutcomes({ outcomes }: { outcomes: readonly TraineeOutcome[] }) {
  const t = useT();
  const count = (kind: TraineeOutcome['outcome']) =>
    outcomes.filter((o) => o.outcome === kind).length;
  const columns: TableColumnsType<TraineeOutcome> = [
    {
      title: t('trainingReport.outcome.row'),
      key: 'row',
      width: 60,
      render: (_, o) => o.index + 1,
    },
    { title: t('trainingReport.trainees.name'), dataIndex: 'name' },
    {
      title: t('trainingReport.trainees.idNumber'),
      dataIndex: 'idNumberMasked',
      render: (value: string | null) => (
        <span style={{ fontFamily: 'monospace' }}>{value ?? t('common.none')}</span>
      ),
    },
    {
      title: t('trainingReport.outcome.result'),
      key: 'outcome',
      render: (_, o) => (
        <Tag color={o.outcome === 'rejected' ? 'red' : o.outcome === 'created' ? 'blue' : 'green'}>
          {t(`trainingReport.outcome.${o.outcome}`)}
        </Tag>
      ),
    },
    {
      title: t('trainingReport.outcome.reason'),
      key: 'reason',
      render: (_, o) => (o.outcome === 'rejected' ? outcomeReason(o, t) : null),
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert
        type={count('rejected') > 0 ? 'warning' : 'info'}
        showIcon
        title={t('trainingReport.outcome.summary', {
          matched: count('matched'),
          created: count('created'),
          rejected: count('rejected'),
        })}
        description={count('rejected') > 0 ? t('trainingReport.outcome.rejectedHint') : undefined}
      />
      <Table<TraineeOutcome>
        rowKey="index"
        size="small"
        columns={columns}
        dataSource={[...outcomes]}
        pagination={outcomes.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
      />
    </Space>
  );
}

interface Saved {
  report: TrainingReport;
  trainees: TraineeOutcome[] | null;
}

/**
 * 填报培训 and 更正: one form for a new report and for a correction of `report` (sent with the
 * version read; the trainee list is replaced only when asked, since the list shown is masked).
 * After saving it says what became of each trainee.
 */
export function ReportTrainingModal({
  me,
  open,
  report,
  onClose,
  onStale,
}: {
  me: Me;
  open: boolean;
  /** The report to correct; a new one when absent. */
  report?: TrainingReportDetail;
  onClose: () => void;
  /** The report changed since it was read: reload it. */
  onStale?: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(() => globalThis.crypto.randomUUID());
  const [tried, setTried] = useState(false);
  const [rowErrors, setRowErrors] = useState<ReadonlyMap<number, string[]>>(new Map());
  const [unplaced, setUnplaced] = useState(false);
  const units = useUnits({ withoutTarget: true });
  const plans = usePlans();
  const skillLevels = useSkillLevels();
  const replaceTrainees = Form.useWatch('replaceTrainees', form) ?? false;
  const correcting = report !== undefined;
  const withTrainees = !correcting || replaceTrainees;
  const ownUnit = me.scope.kind === 'unit' ? me.scope.unitId : undefined;
  const unitOptions = reportableUnits(me, units.data?.items ?? []).map((unit) => ({
    value: unit.id,
    label: unit.canonicalName,
  }));

  const save = useMutation({
    mutationFn: async (values: Values): Promise<Saved> => {
      const facts = {
        unitId: values.unitId ?? '',
        title: values.title.trim(),
        startOn: (values.startOn as Dayjs).format('YYYY-MM-DD'),
        endOn: (values.endOn as Dayjs).format('YYYY-MM-DD'),
        hours: values.hours as number,
      };
      if (report) {
        const body: CorrectTrainingBody = {
          version: report.version,
          ...facts,
          occupationCode: values.occupationCode ?? null,
          skillLevelKey: values.skillLevelKey ?? null,
          planNo: values.planNo ?? null,
          ...(values.replaceTrainees ? { trainees: traineesBody(values.trainees) } : {}),
        };
        return trainingReportsApi.correct(report.id, body);
      }
      const body: ReportTrainingBody = {
        ...facts,
        ...(values.occupationCode ? { occupationCode: values.occupationCode } : {}),
        ...(values.skillLevelKey ? { skillLevelKey: values.skillLevelKey } : {}),
        ...(values.planNo ? { planNo: values.planNo } : {}),
        trainees: traineesBody(values.trainees),
      };
      return trainingReportsApi.report(body, key);
    },
    onMutate: () => {
      setRowErrors(new Map());
      setUnplaced(false);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['training_reports'] });
      void queryClient.invalidateQueries({ queryKey: ['activity', 'totals'] });
    },
    onError: (error) => {
      const placed = placeErrors(error, t);
      form.setFields(placed.fields);
      setRowErrors(placed.rows);
      setUnplaced(placed.unplaced || (placed.rows.size > 0 && !withTrainees));
    },
  });

  const close = () => {
    form.resetFields();
    save.reset();
    setTried(false);
    setRowErrors(new Map());
    setUnplaced(false);
    setKey(globalThis.crypto.randomUUID());
    onClose();
  };

  const today = shanghaiToday();
  const required = [{ required: true, message: t('trainingReport.form.required') }];
  const initialValues: Partial<Values> = report
    ? {
        unitId: report.unitId,
        title: report.title,
        occupationCode: report.occupationCode,
        skillLevelKey: report.skillLevelKey,
        planNo: report.planNo,
        startOn: dayjs(report.startOn),
        endOn: dayjs(report.endOn),
        hours: report.hours,
        replaceTrainees: false,
        trainees: [{ ...EMPTY_TRAINEE }],
      }
    : { unitId: ownUnit, replaceTrainees: false, trainees: [{ ...EMPTY_TRAINEE }] };
  const saved = save.data;
  const stale = isStaleVersion(save.error);

  return (
    <Modal
      open={open}
      title={correcting ? t('trainingReport.correct.title') : t('trainingReport.new')}
      width={860}
      okText={saved ? t('trainingReport.form.done') : t('trainingReport.form.submit')}
      cancelText={t('trainingReport.form.cancel')}
      cancelButtonProps={saved ? { style: { display: 'none' } } : undefined}
      okButtonProps={{ loading: save.isPending, disabled: stale && !saved }}
      onOk={() => {
        if (saved) close();
        else {
          setTried(true);
          form.submit();
        }
      }}
      onCancel={close}
      destroyOnHidden
    >
      {saved ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert
            type="success"
            showIcon
            title={t(
              correcting ? 'trainingReport.outcome.corrected' : 'trainingReport.outcome.title',
              { title: saved.report.title, period: saved.report.period },
            )}
          />
          {saved.trainees ? <TraineeOutcomes outcomes={saved.trainees} /> : null}
        </Space>
      ) : (
        <Form<Values>
          form={form}
          name={correcting ? 'correctTraining' : 'reportTraining'}
          layout="vertical"
          initialValues={initialValues}
          onFinish={(values) => save.mutate(values)}
        >
          {stale ? (
            <Alert
              style={{ marginBottom: 12 }}
              type="warning"
              showIcon
              title={t('trainingReport.correct.stale')}
              action={
                <Button
                  size="small"
                  onClick={() => {
                    close();
                    onStale?.();
                  }}
                >
                  {t('trainingReport.correct.reload')}
                </Button>
              }
            />
          ) : save.error && unplaced ? (
            <div style={{ marginBottom: 12 }}>
              <ErrorAlert error={save.error} />
            </div>
          ) : null}
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item
                name="unitId"
                label={t('trainingReport.unit')}
                rules={[{ required: true, message: t('trainingReport.form.unit.required') }]}
              >
                <Select<string>
                  disabled={ownUnit !== undefined}
                  loading={units.isPending}
                  placeholder={t('trainingReport.form.unit.placeholder')}
                  showSearch={{ optionFilterProp: 'label' }}
                  options={unitOptions}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="planNo" label={t('trainingReport.plan')}>
                <Select<number>
                  allowClear
                  loading={plans.isPending}
                  placeholder={t('trainingReport.form.plan.placeholder')}
                  options={(plans.data?.items ?? []).map((plan) => ({
                    value: plan.planNo,
                    label: `${plan.planNo}. ${plan.name}`,
                  }))}
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="title"
            label={t('trainingReport.title')}
            rules={[
              { required: true, whitespace: true, message: t('trainingReport.form.required') },
            ]}
          >
            <Input maxLength={200} placeholder={t('trainingReport.form.title.placeholder')} />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} md={16}>
              <Form.Item
                name="occupationCode"
                label={t('trainingReport.occupation')}
                extra={t('trainingReport.form.occupation.hint')}
              >
                <OccupationSelect />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="skillLevelKey" label={t('trainingReport.skillLevel')}>
                <Select<string>
                  allowClear
                  loading={skillLevels.isPending}
                  options={(skillLevels.data?.items ?? []).map((level) => ({
                    value: level.key,
                    label: level.name,
                  }))}
                />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            <Col xs={12} md={8}>
              <Form.Item name="startOn" label={t('trainingReport.startOn')} rules={required}>
                <DatePicker
                  style={{ width: '100%' }}
                  disabledDate={(day) => day.format('YYYY-MM-DD') > today}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item
                name="endOn"
                label={t('trainingReport.endOn')}
                dependencies={['startOn']}
                rules={[
                  ...required,
                  ({ getFieldValue }) => ({
                    validator: (_: unknown, value: Dayjs | undefined) => {
                      if (!value) return Promise.resolve();
                      const end = value.format('YYYY-MM-DD');
                      const start = (getFieldValue('startOn') as Dayjs | undefined)?.format(
                        'YYYY-MM-DD',
                      );
                      if (start && end < start) {
                        return Promise.reject(
                          new Error(t('trainingReport.form.endOn.beforeStart')),
                        );
                      }
                      if (end > today) {
                        return Promise.reject(new Error(t('trainingReport.form.endOn.future')));
                      }
                      return Promise.resolve();
                    },
                  }),
                ]}
              >
                <DatePicker
                  style={{ width: '100%' }}
                  disabledDate={(day) => day.format('YYYY-MM-DD') > today}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="hours"
                label={t('trainingReport.hours')}
                rules={[
                  ...required,
                  {
                    validator: (_: unknown, value: number | null | undefined) =>
                      value === null || value === undefined || hoursValid(value)
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('trainingReport.form.hours.invalid'))),
                  },
                ]}
              >
                <InputNumber min={0} max={5000} step={0.5} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          {correcting ? (
            <Form.Item name="replaceTrainees" valuePropName="checked">
              <Checkbox>{t('trainingReport.correct.trainees')}</Checkbox>
            </Form.Item>
          ) : null}
          {withTrainees ? (
            <Form.Item
              name="trainees"
              label={t('trainingReport.trainees')}
              // Row problems are shown once the user first tries to submit, not while typing.
              validateTrigger={tried ? 'onChange' : []}
              rules={[
                {
                  validator: (_: unknown, rows: TraineeRow[] | undefined) => {
                    const list = rows ?? [];
                    if (list.length === 0) {
                      return Promise.reject(new Error(t('trainingReport.trainees.required')));
                    }
                    if (list.length > MAX_TRAINEES) {
                      return Promise.reject(
                        new Error(t('trainingReport.trainees.tooMany', { max: MAX_TRAINEES })),
                      );
                    }
                    const problems = traineeProblems(list);
                    return problems.size === 0
                      ? Promise.resolve()
                      : Promise.reject(
                          new Error(t('trainingReport.trainees.invalid', { count: problems.size })),
                        );
                  },
                },
              ]}
            >
              <TraineesEditor serverErrors={rowErrors} showProblems={tried} />
            </Form.Item>
          ) : null}
        </Form>
      )}
    </Modal>
  );
}
