import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, DatePicker, Form, Input, Modal, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  activityIntakeApi,
  EXTERNAL_CERTIFICATE_KINDS,
  type CorrectCertificateBody,
  type ExternalCertificate,
  type ExternalCertificateKind,
  type ReportCertificateBody,
} from '../../api/activityIntake';
import { ApiError } from '../../api/problem';
import type { Me } from '../../api/types';
import { ErrorAlert, UNIT_REPORTING_CODES } from '../../components/ErrorAlert';
import { shanghaiToday } from '../../format';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { ID_NUMBER_SHAPE } from '../../forms/shapes';
import { useT, type MessageKey, type Translate } from '../../i18n';
import { OccupationSelect } from '../vouchers/voucherCatalog';
import { kindText, ReportingUnitSelect, SKILL_LEVEL_KEYS } from './intakeCatalog';
import { HENAN, PROVINCES } from './provinces';

interface Values {
  unitId?: string;
  kind: ExternalCertificateKind;
  name?: string;
  idNumber?: string;
  number: string;
  occupationCode?: string;
  skillLevelKey?: string;
  itemName?: string;
  issuerName: string;
  issuingProvinceCode: string;
  issuedOn?: Dayjs;
  validUntil?: Dayjs;
}

const FIELDS = [
  'unitId',
  'kind',
  'name',
  'idNumber',
  'number',
  'occupationCode',
  'skillLevelKey',
  'itemName',
  'issuerName',
  'issuingProvinceCode',
  'issuedOn',
  'validUntil',
] as const;

/** Whether the kind names an occupation and a level (职业资格, 职业技能等级). */
export function isLevelled(kind: ExternalCertificateKind): boolean {
  return kind === 'skill_level' || kind === 'qualification_legacy';
}

/** Spaces and full-width characters removed (a 22-character number in capitals), as stored. */
export function compactNumber(value: string, kind?: ExternalCertificateKind): string {
  const number = value.normalize('NFKC').replace(/\s+/g, '');
  return kind === 'skill_level' ? number.toUpperCase() : number;
}

/** The shape of a number the browser can check before sending (the server checks the rest). */
export function numberShapeProblem(
  kind: ExternalCertificateKind,
  raw: string,
  province: string,
): MessageKey | undefined {
  const number = compactNumber(raw);
  if (number === '') return undefined;
  if (kind === 'skill_level' && !/^[YS][0-9]{21}$/i.test(number)) {
    return 'activityCert.form.number.invalid.skill_level';
  }
  if (
    kind === 'qualification_legacy' &&
    !/^[0-9]{16}$/.test(number) &&
    !(province === '31' && /^[0-9]{13}$/.test(number))
  ) {
    return 'activityCert.form.number.invalid.qualification_legacy';
  }
  return undefined;
}

/**
 * The form errors of a failed call: each on its field, the first (the one the code names) in
 * our words; `unplaced` when something must be shown above the form.
 */
function placeErrors(error: unknown, t: Translate) {
  const placed = fieldErrorsOf(error, FIELDS, t);
  const code = error instanceof ApiError ? error.code : undefined;
  const known = UNIT_REPORTING_CODES.find((c) => c === code);
  const firstPath = error instanceof ApiError ? error.problem?.errors?.[0]?.path : undefined;
  const firstField = /^\/body\/([^/]+)/.exec(firstPath ?? '')?.[1];
  return {
    unplaced: placed.unplaced,
    fields: placed.fields.map(({ name, errors }) => ({
      name,
      errors: known && name === firstField ? [t(`problem.${known}`), ...errors.slice(1)] : errors,
    })),
  };
}

function initialValues(me: Me, record: ExternalCertificate | undefined): Partial<Values> {
  if (record) {
    return {
      unitId: record.unitId,
      kind: record.kind,
      number: record.number,
      occupationCode: record.occupationCode ?? undefined,
      skillLevelKey: record.skillLevelKey ?? undefined,
      itemName: record.itemName ?? undefined,
      issuerName: record.issuerName,
      issuingProvinceCode: record.issuingProvinceCode,
      issuedOn: dayjs(record.issuedOn),
      validUntil: record.validUntil ? dayjs(record.validUntil) : undefined,
    };
  }
  return {
    unitId: me.scope.kind === 'unit' ? me.scope.unitId : undefined,
    kind: 'skill_level',
    issuingProvinceCode: HENAN,
  };
}

const day = (value: Dayjs | undefined) => (value ? value.format('YYYY-MM-DD') : undefined);

/** The POST body from the form, with only the fields the kind has. */
export function reportBody(values: Values): ReportCertificateBody {
  const levelled = isLevelled(values.kind);
  return {
    unitId: values.unitId ?? '',
    kind: values.kind,
    number: compactNumber(values.number, values.kind),
    idNumber: (values.idNumber ?? '').trim().toUpperCase(),
    name: (values.name ?? '').trim(),
    ...(values.kind !== 'special_operation' && values.occupationCode
      ? { occupationCode: values.occupationCode }
      : {}),
    ...(levelled && values.skillLevelKey ? { skillLevelKey: values.skillLevelKey } : {}),
    ...(!levelled && values.itemName?.trim() ? { itemName: values.itemName.trim() } : {}),
    issuerName: values.issuerName.trim(),
    issuingProvinceCode: values.issuingProvinceCode,
    issuedOn: day(values.issuedOn) ?? '',
    ...(values.kind === 'special_operation' && values.validUntil
      ? { validUntil: day(values.validUntil) }
      : {}),
  };
}

/** The PATCH body: the version read and what changed from the record, nothing else. */
export function correctionBody(
  record: ExternalCertificate,
  values: Values,
): CorrectCertificateBody | null {
  const changes: Omit<CorrectCertificateBody, 'version'> = {};
  if (values.unitId && values.unitId !== record.unitId) changes.unitId = values.unitId;
  const number = compactNumber(values.number, record.kind);
  if (number !== record.number) changes.number = number;
  const occupation = values.occupationCode ?? null;
  if (occupation !== record.occupationCode) changes.occupationCode = occupation;
  const level = values.skillLevelKey ?? null;
  if (isLevelled(record.kind) && level !== record.skillLevelKey) changes.skillLevelKey = level;
  const item = values.itemName?.trim() || null;
  if (!isLevelled(record.kind) && item !== record.itemName) changes.itemName = item;
  if (values.issuerName.trim() !== record.issuerName) changes.issuerName = values.issuerName.trim();
  if (values.issuingProvinceCode !== record.issuingProvinceCode) {
    changes.issuingProvinceCode = values.issuingProvinceCode;
  }
  const issuedOn = day(values.issuedOn);
  if (issuedOn && issuedOn !== record.issuedOn) changes.issuedOn = issuedOn;
  const validUntil = day(values.validUntil) ?? null;
  if (record.kind === 'special_operation' && validUntil !== record.validUntil) {
    changes.validUntil = validUntil;
  }
  return Object.keys(changes).length === 0 ? null : { version: record.version, ...changes };
}

/**
 * 登记外部证书 (no `record`) or 更正 (`record`): the fields follow the kind — a legacy number
 * of 16 digits, a 22-character skill-level number, a 专项 item, a 特种作业 category and expiry.
 */
export function CertificateModal({
  me,
  open,
  record,
  onClose,
}: {
  me: Me;
  open: boolean;
  record?: ExternalCertificate;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(() => globalThis.crypto.randomUUID());
  const [unplaced, setUnplaced] = useState(false);
  const [unchanged, setUnchanged] = useState(false);
  const correcting = record !== undefined;
  const kind = Form.useWatch('kind', form) ?? record?.kind ?? 'skill_level';
  const onError = (error: unknown) => {
    const placed = placeErrors(error, t);
    form.setFields(placed.fields);
    setUnplaced(placed.unplaced);
  };
  const onSuccess = () => void queryClient.invalidateQueries({ queryKey: ['activity'] });
  const report = useMutation({
    mutationFn: (body: ReportCertificateBody) => activityIntakeApi.reportCertificate(body, key),
    onMutate: () => setUnplaced(false),
    onSuccess,
    onError,
  });
  const correct = useMutation({
    mutationFn: (body: CorrectCertificateBody) =>
      activityIntakeApi.correctCertificate(record?.id ?? '', body),
    onMutate: () => setUnplaced(false),
    onSuccess,
    onError,
  });
  const mutation = correcting ? correct : report;
  const done = correcting ? correct.data : report.data;
  const close = () => {
    form.resetFields();
    report.reset();
    correct.reset();
    setUnplaced(false);
    setUnchanged(false);
    setKey(globalThis.crypto.randomUUID());
    onClose();
  };
  const submit = (values: Values) => {
    if (!correcting) {
      report.mutate(reportBody(values));
      return;
    }
    const body = correctionBody(record, values);
    setUnchanged(body === null);
    if (body) correct.mutate(body);
  };
  const today = shanghaiToday();
  const required = [{ required: true, whitespace: true, message: t('activityCert.form.required') }];
  const levelled = isLevelled(kind);

  return (
    <Modal
      open={open}
      title={correcting ? t('activityCert.correct.title') : t('activityCert.record')}
      okText={
        done
          ? t('activityCert.done')
          : correcting
            ? t('activityCert.save')
            : t('activityCert.submit')
      }
      cancelButtonProps={done ? { style: { display: 'none' } } : undefined}
      okButtonProps={{ loading: mutation.isPending }}
      onOk={() => (done ? close() : form.submit())}
      onCancel={close}
      destroyOnHidden
      width={640}
    >
      {done ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert
            type="success"
            showIcon
            title={
              correcting
                ? t('activityCert.corrected')
                : t('activityCert.recorded', { number: done.number })
            }
            description={`${kindText(done.kind, t)} · ${done.holderName}（${done.holderIdNumberMasked}）`}
          />
          {done.duplicateOf ? (
            <Alert
              type="warning"
              showIcon
              title={t('activityCert.recorded.duplicate', { number: done.duplicateOf.number })}
            />
          ) : null}
        </Space>
      ) : (
        <Form<Values>
          form={form}
          name={correcting ? 'correctCertificate' : 'recordCertificate'}
          layout="vertical"
          initialValues={initialValues(me, record)}
          onFinish={submit}
          onValuesChange={() => setUnchanged(false)}
        >
          {mutation.error && unplaced ? (
            <div style={{ marginBottom: 12 }}>
              <ErrorAlert error={mutation.error} />
            </div>
          ) : null}
          {unchanged ? (
            <Alert
              type="info"
              showIcon
              title={t('activityCert.form.unchanged')}
              style={{ marginBottom: 12 }}
            />
          ) : null}
          <Form.Item
            name="unitId"
            label={t('activityCert.form.unit')}
            rules={[{ required: true, message: t('activityCert.form.required') }]}
          >
            <ReportingUnitSelect me={me} />
          </Form.Item>
          <Form.Item name="kind" label={t('activityCert.kind')} rules={required}>
            <Select<ExternalCertificateKind>
              disabled={correcting}
              options={EXTERNAL_CERTIFICATE_KINDS.map((k) => ({ value: k, label: kindText(k, t) }))}
            />
          </Form.Item>
          {correcting ? (
            <Typography.Paragraph>
              {t('activityCert.holder')}：{record.holderName}（{record.holderIdNumberMasked}）
            </Typography.Paragraph>
          ) : (
            <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
              <Form.Item
                name="name"
                label={t('activityCert.form.name')}
                rules={required}
                style={{ flex: '1 1 160px' }}
              >
                <Input maxLength={50} autoComplete="off" />
              </Form.Item>
              <Form.Item
                name="idNumber"
                label={t('activityCert.form.idNumber')}
                style={{ flex: '2 1 220px' }}
                rules={[
                  ...required,
                  { pattern: ID_NUMBER_SHAPE, message: t('activityCert.form.idNumber.invalid') },
                ]}
              >
                <Input maxLength={20} autoComplete="off" />
              </Form.Item>
            </div>
          )}
          <Form.Item
            name="number"
            label={t('activityCert.form.number')}
            extra={t(`activityCert.form.number.hint.${kind}`)}
            dependencies={['kind', 'issuingProvinceCode']}
            rules={[
              ...required,
              ({ getFieldValue }) => ({
                validator: (_: unknown, value: string | undefined) => {
                  const problem = numberShapeProblem(
                    getFieldValue('kind') as ExternalCertificateKind,
                    value ?? '',
                    String(getFieldValue('issuingProvinceCode') ?? ''),
                  );
                  return problem ? Promise.reject(new Error(t(problem))) : Promise.resolve();
                },
              }),
            ]}
          >
            <Input
              maxLength={64}
              autoComplete="off"
              style={{ fontFamily: 'monospace' }}
              placeholder={kind === 'skill_level' ? 'S000041000123224000057' : undefined}
            />
          </Form.Item>
          {kind === 'special_operation' ? null : (
            <Form.Item
              name="occupationCode"
              label={
                levelled
                  ? t('activityCert.form.occupation')
                  : t('activityCert.form.occupation.optional')
              }
              rules={levelled ? [{ required: true, message: t('activityCert.form.required') }] : []}
            >
              <OccupationSelect />
            </Form.Item>
          )}
          {levelled ? (
            <Form.Item
              name="skillLevelKey"
              label={t('activityCert.form.skillLevel')}
              rules={[{ required: true, message: t('activityCert.form.required') }]}
            >
              <Select<string>
                options={SKILL_LEVEL_KEYS.map((k) => ({
                  value: k,
                  label: t(`activityCert.level.${k}`),
                }))}
              />
            </Form.Item>
          ) : (
            <Form.Item
              name="itemName"
              label={t(
                kind === 'special_operation'
                  ? 'activityCert.form.itemName.special_operation'
                  : 'activityCert.form.itemName.special_ability',
              )}
              rules={required}
            >
              <Input
                maxLength={100}
                placeholder={
                  kind === 'special_operation'
                    ? t('activityCert.form.itemName.placeholder.special_operation')
                    : undefined
                }
              />
            </Form.Item>
          )}
          <Form.Item name="issuerName" label={t('activityCert.form.issuer')} rules={required}>
            <Input maxLength={200} />
          </Form.Item>
          <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
            <Form.Item
              name="issuingProvinceCode"
              label={t('activityCert.form.province')}
              extra={t('activityCert.form.province.hint')}
              rules={[{ required: true, message: t('activityCert.form.required') }]}
              style={{ flex: '1 1 160px' }}
            >
              <Select<string>
                showSearch={{ optionFilterProp: 'label' }}
                options={PROVINCES.map(([code, name]) => ({
                  value: code,
                  label: `${code} ${name}`,
                }))}
              />
            </Form.Item>
            <Form.Item
              name="issuedOn"
              label={t('activityCert.form.issuedOn')}
              style={{ flex: '1 1 160px' }}
              rules={[
                { required: true, message: t('activityCert.form.required') },
                {
                  validator: (_: unknown, value: Dayjs | undefined) =>
                    !value || value.format('YYYY-MM-DD') <= today
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('activityCert.form.future'))),
                },
              ]}
            >
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={(d) => d.format('YYYY-MM-DD') > today}
              />
            </Form.Item>
            {kind === 'special_operation' ? (
              <Form.Item
                name="validUntil"
                label={t('activityCert.form.validUntil')}
                extra={t('activityCert.form.validUntil.hint')}
                style={{ flex: '1 1 160px' }}
              >
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            ) : null}
          </div>
        </Form>
      )}
    </Modal>
  );
}
