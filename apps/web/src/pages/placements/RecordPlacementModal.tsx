import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, DatePicker, Form, Input, Modal, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  employmentApi,
  type EmploymentClaims,
  type RecordPlacementBody,
} from '../../api/employment';
import { useOrganisations } from '../../api/queries';
import type { Me } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { shanghaiToday } from '../../format';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { ID_NUMBER_SHAPE } from '../../forms/shapes';
import { useT, type MessageKey, type Translate } from '../../i18n';
import { yuan } from '../vouchers/voucherCatalog';
import { HenanCountySelect } from './HenanCountySelect';

interface Values {
  idNumber: string;
  employerUscc: string;
  employerName: string;
  employerRegionCode: string | null;
  placedOn: Dayjs;
  agencyOrganisationId?: string;
}

const FIELDS = [
  'idNumber',
  'employerUscc',
  'employerName',
  'employerRegionCode',
  'placedOn',
  'agencyOrganisationId',
] as const;

/** 18 digits or capital letters, once spaces and dashes are gone (the server checks the rest). */
const USCC_SHAPE = /^[0-9A-Z]{18}$/;

export function compactUscc(value: string): string {
  return value.replace(/[\s-]+/g, '').toUpperCase();
}

/** The API's English field messages for this form, in our words; others pass through. */
const PLACEMENT_FIELD_MESSAGES: readonly [RegExp, MessageKey][] = [
  [/^unknown$/, 'placement.field.unknownPerson'],
  [/^Not a county-level region of Henan/, 'placement.field.notHenan'],
  [/^Not an HR service agency in your scope$/, 'placement.field.agency'],
  [/^Name the HR service agency$/, 'placement.agency.required'],
  [/^The placement day is after today$/, 'placement.field.future'],
  [/^An ID number has 18 characters$/, 'placement.idNumber.invalid'],
  [/^Name the employer$/, 'placement.employerName.required'],
];

function localize(message: string, t: Translate): string {
  const known = PLACEMENT_FIELD_MESSAGES.find(([pattern]) => pattern.test(message));
  return known ? t(known[1]) : message;
}

/** Why a claim was not made, in the interface language (the code itself if unknown). */
export function refusalText(reason: string, t: Translate): string {
  if (reason === 'CAP_REACHED' || reason === 'ALREADY_PLACED_WITHIN_12_MONTHS') {
    return t(`employmentClaim.refused.${reason}`);
  }
  return reason;
}

/** The claims a placement (or an employment import) made due or refused, as sentences. */
export function ClaimsOutcome({ claims }: { claims: EmploymentClaims }) {
  const t = useT();
  if (claims.created.length === 0 && claims.refused.length === 0) {
    return <Alert type="info" showIcon title={t('placement.result.noClaim')} />;
  }
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {claims.created.map((claim) => (
        <Alert
          key={claim.claimId}
          type="success"
          showIcon
          title={t('placement.result.created', {
            number: claim.number,
            amount: yuan(claim.amountFen),
          })}
        />
      ))}
      {claims.refused.map((refused, index) => (
        <Alert
          key={`${refused.kind}:${refused.placementId ?? refused.employmentId ?? index}`}
          type="warning"
          showIcon
          title={t('placement.result.refused', { reason: refusalText(refused.reason, t) })}
        />
      ))}
    </Space>
  );
}

function AgencySelect({
  id,
  value,
  onChange,
}: {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
}) {
  const t = useT();
  const [q, setQ] = useState('');
  const { data, isFetching } = useOrganisations({
    kind: 'hr_agency',
    status: 'active',
    q: q.trim() || undefined,
    page: 1,
    pageSize: 50,
  });
  return (
    <Select<string>
      id={id}
      value={value}
      onChange={(next) => onChange?.(next)}
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={isFetching}
      placeholder={t('placement.agency.placeholder')}
      options={(data?.items ?? []).map((org) => ({ value: org.id, label: org.name }))}
    />
  );
}

/**
 * 登记职业介绍: an agency's staff record a placement for their own agency; an administrator names
 * the agency. The answer says which subsidy claims it made due (usually none yet: the insured
 * months come later).
 */
export function RecordPlacementModal({
  me,
  open,
  onClose,
}: {
  me: Me;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(() => globalThis.crypto.randomUUID());
  const [unplaced, setUnplaced] = useState(false);
  const forAgency = me.scope.kind === 'organisation';
  const record = useMutation({
    mutationFn: (body: RecordPlacementBody) => employmentApi.recordPlacement(body, key),
    onMutate: () => setUnplaced(false),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['placements'] });
      void queryClient.invalidateQueries({ queryKey: ['subsidyClaims'] });
    },
    onError: (error) => {
      const placed = fieldErrorsOf(error, FIELDS, t);
      form.setFields(
        placed.fields.map(({ name, errors }) => ({
          name,
          errors: errors.map((message) => localize(message, t)),
        })),
      );
      setUnplaced(placed.unplaced);
    },
  });
  const close = () => {
    form.resetFields();
    record.reset();
    setUnplaced(false);
    setKey(globalThis.crypto.randomUUID());
    onClose();
  };
  const today = shanghaiToday();
  const required = (message: MessageKey) => [
    { required: true, whitespace: true, message: t(message) },
  ];

  return (
    <Modal
      open={open}
      title={t('placements.record')}
      okText={record.data ? t('placement.done') : t('placement.submit')}
      cancelButtonProps={record.data ? { style: { display: 'none' } } : undefined}
      okButtonProps={{ loading: record.isPending }}
      onOk={() => (record.data ? close() : form.submit())}
      onCancel={close}
      destroyOnHidden
    >
      {record.data ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert
            type="success"
            showIcon
            title={t('placement.recorded')}
            description={`${record.data.placement.personName}（${record.data.placement.personIdNumberMasked}）→ ${record.data.placement.employerName}`}
          />
          <ClaimsOutcome claims={record.data.claims} />
        </Space>
      ) : (
        <Form<Values>
          form={form}
          name="recordPlacement"
          layout="vertical"
          initialValues={{ employerRegionCode: null }}
          onFinish={(values) =>
            record.mutate({
              idNumber: values.idNumber.trim().toUpperCase(),
              employerUscc: compactUscc(values.employerUscc),
              employerName: values.employerName.trim(),
              employerRegionCode: values.employerRegionCode ?? '',
              placedOn: values.placedOn.format('YYYY-MM-DD'),
              ...(forAgency ? {} : { agencyOrganisationId: values.agencyOrganisationId }),
            })
          }
        >
          {record.error && unplaced ? (
            <div style={{ marginBottom: 12 }}>
              <ErrorAlert error={record.error} />
            </div>
          ) : null}
          {forAgency ? null : (
            <Form.Item
              name="agencyOrganisationId"
              label={t('placement.agency')}
              rules={[{ required: true, message: t('placement.agency.required') }]}
            >
              <AgencySelect />
            </Form.Item>
          )}
          <Form.Item
            name="idNumber"
            label={t('placement.idNumber')}
            rules={[
              ...required('placement.idNumber.required'),
              { pattern: ID_NUMBER_SHAPE, message: t('placement.idNumber.invalid') },
            ]}
          >
            <Input autoComplete="off" maxLength={20} />
          </Form.Item>
          <Form.Item
            name="employerName"
            label={t('placement.employerName')}
            rules={required('placement.employerName.required')}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="employerUscc"
            label={t('placement.employerUscc')}
            rules={[
              ...required('placement.employerUscc.required'),
              {
                validator: (_: unknown, value: string | undefined) =>
                  !value?.trim() || USCC_SHAPE.test(compactUscc(value))
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('placement.employerUscc.invalid'))),
              },
            ]}
          >
            <Input autoComplete="off" maxLength={24} />
          </Form.Item>
          <Form.Item
            name="employerRegionCode"
            label={t('placement.region')}
            rules={[{ required: true, message: t('placement.region.required') }]}
          >
            <HenanCountySelect />
          </Form.Item>
          <Form.Item
            name="placedOn"
            label={t('placement.placedOn')}
            rules={[
              { required: true, message: t('placement.placedOn.required') },
              {
                validator: (_: unknown, value: Dayjs | undefined) =>
                  !value || value.format('YYYY-MM-DD') <= today
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('placement.placedOn.future'))),
              },
            ]}
          >
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(day) => day.format('YYYY-MM-DD') > today}
            />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
