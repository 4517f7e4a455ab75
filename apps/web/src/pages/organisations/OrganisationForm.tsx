import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, Flex, Form, Input, Select, Typography } from 'antd';
import { api } from '../../api/client';
import type {
  Affiliation,
  CreateOrganisationBody,
  EvaluationType,
  Me,
  Organisation,
  OrganisationKind,
  SizeClass,
  UpdateOrganisationBody,
} from '../../api/types';
import { describeError } from '../../components/ErrorAlert';
import { RegionSelect } from '../../components/RegionSelect';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { useT } from '../../i18n';
import {
  AFFILIATIONS,
  EVALUATION_TYPES,
  ORGANISATION_KINDS,
  SIZE_CLASSES,
} from './organisationCatalog';

interface Values {
  kind?: OrganisationKind;
  name?: string;
  uscc?: string;
  regionCode?: string | null;
  address?: string;
  contactName?: string;
  contactPhone?: string;
  status?: Organisation['status'];
  evaluationType?: EvaluationType;
  institutionCode?: string;
  sizeClass?: SizeClass;
  affiliation?: Affiliation;
  affiliationRegionCode?: string | null;
  bankName?: string;
  bankAccountName?: string;
  bankAccountNo?: string;
}

const FIELDS = [
  'kind',
  'name',
  'uscc',
  'regionCode',
  'address',
  'contactName',
  'contactPhone',
  'status',
  'evaluationType',
  'institutionCode',
  'sizeClass',
  'affiliation',
  'affiliationRegionCode',
  'bankName',
  'bankAccountName',
  'bankAccountNo',
] as const;

const BANK_FIELDS = ['bankName', 'bankAccountName', 'bankAccountNo'] as const;

/** A bank account number as typed, without the spaces and hyphens between digit groups. */
export function accountDigits(value: string | undefined): string {
  return (value ?? '').replace(/[\s-]/g, '');
}

/**
 * What is wrong with the payee bank account as typed (the API's rule): the three fields all
 * filled or all empty, the number 8–32 digits; `null` when nothing is.
 */
export function bankAccountProblem(
  values: Pick<Values, (typeof BANK_FIELDS)[number]>,
): 'allOrNone' | 'accountNoInvalid' | null {
  const filled = BANK_FIELDS.filter((f) => text(values[f]) !== undefined).length;
  if (filled !== 0 && filled !== BANK_FIELDS.length) return 'allOrNone';
  if (filled > 0 && !/^[0-9]{8,32}$/.test(accountDigits(values.bankAccountNo))) {
    return 'accountNoInvalid';
  }
  return null;
}

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Only the fields the kind takes go to the server; the others are left out. */
function createBody(values: Values, regionScoped: boolean): CreateOrganisationBody {
  const kind = values.kind as OrganisationKind;
  const body: CreateOrganisationBody = {
    kind,
    name: (values.name ?? '').trim(),
    uscc: text(values.uscc),
    address: text(values.address),
    contactName: text(values.contactName),
    contactPhone: text(values.contactPhone),
  };
  if (text(values.bankAccountNo) !== undefined) {
    body.bankName = text(values.bankName);
    body.bankAccountName = text(values.bankAccountName);
    body.bankAccountNo = accountDigits(values.bankAccountNo);
  }
  // A county's administrator registers organisations of their own county; the server fills it.
  if (!regionScoped && values.regionCode) body.regionCode = values.regionCode;
  if (kind === 'evaluation_institution') {
    body.evaluationType = values.evaluationType;
    body.institutionCode = text(values.institutionCode);
  }
  if (kind === 'employer') {
    body.sizeClass = values.sizeClass;
    body.affiliation = values.affiliation;
    if (values.affiliation === 'county' && values.affiliationRegionCode) {
      body.affiliationRegionCode = values.affiliationRegionCode;
    }
  }
  return body;
}

/** What changed, in the shape PATCH takes; a blank contact phone keeps the recorded one. */
function updateBody(organisation: Organisation, values: Values): UpdateOrganisationBody {
  const body: UpdateOrganisationBody = {};
  const name = (values.name ?? '').trim();
  if (name !== organisation.name) body.name = name;
  const uscc = text(values.uscc) ?? null;
  if (uscc !== organisation.uscc) body.uscc = uscc;
  if (values.regionCode && values.regionCode !== organisation.regionCode) {
    body.regionCode = values.regionCode;
  }
  const address = text(values.address) ?? null;
  if (address !== organisation.address) body.address = address;
  const contactName = text(values.contactName) ?? null;
  if (contactName !== organisation.contactName) body.contactName = contactName;
  const phone = text(values.contactPhone);
  if (phone) body.contactPhone = phone;
  if (values.status && values.status !== organisation.status) body.status = values.status;
  const bankName = text(values.bankName) ?? null;
  if (bankName !== organisation.bankName) body.bankName = bankName;
  const bankAccountName = text(values.bankAccountName) ?? null;
  if (bankAccountName !== organisation.bankAccountName) body.bankAccountName = bankAccountName;
  const bankAccountNo = text(values.bankAccountNo) ? accountDigits(values.bankAccountNo) : null;
  if (bankAccountNo !== organisation.bankAccountNo) body.bankAccountNo = bankAccountNo;
  if (organisation.kind === 'evaluation_institution') {
    if (values.evaluationType !== organisation.evaluationType) {
      body.evaluationType = values.evaluationType ?? null;
    }
    const code = text(values.institutionCode) ?? null;
    if (code !== organisation.institutionCode) body.institutionCode = code;
  }
  if (organisation.kind === 'employer') {
    if (values.sizeClass !== organisation.sizeClass) body.sizeClass = values.sizeClass ?? null;
    if (values.affiliation !== organisation.affiliation) {
      body.affiliation = values.affiliation ?? null;
    }
    const affiliationRegion =
      values.affiliation === 'county' ? (values.affiliationRegionCode ?? null) : null;
    if (affiliationRegion !== organisation.affiliationRegionCode) {
      body.affiliationRegionCode = affiliationRegion;
    }
  }
  return body;
}

function initialOf(organisation: Organisation | null): Values {
  if (!organisation) return {};
  return {
    kind: organisation.kind,
    name: organisation.name,
    uscc: organisation.uscc ?? '',
    regionCode: organisation.regionCode,
    address: organisation.address ?? '',
    contactName: organisation.contactName ?? '',
    contactPhone: '',
    status: organisation.status,
    evaluationType: organisation.evaluationType ?? undefined,
    institutionCode: organisation.institutionCode ?? '',
    sizeClass: organisation.sizeClass ?? undefined,
    affiliation: organisation.affiliation ?? undefined,
    affiliationRegionCode: organisation.affiliationRegionCode,
    bankName: organisation.bankName ?? '',
    bankAccountName: organisation.bankAccountName ?? '',
    bankAccountNo: organisation.bankAccountNo ?? '',
  };
}

/**
 * Registers an organisation, or changes one (`organisation` given; mount it when it opens). The
 * form shows the fields the kind needs: an employer's USCC, size class and 隶属关系, an
 * evaluation institution's type and 4-digit code.
 */
export function OrganisationDrawer({
  me,
  organisation,
  open,
  width,
  onClose,
  onSaved,
}: {
  me: Me;
  organisation: Organisation | null;
  open: boolean;
  width: number | string;
  onClose: () => void;
  onSaved: (organisation: Organisation) => void;
}) {
  const t = useT();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const editing = organisation !== null;
  const kind = Form.useWatch('kind', form) ?? organisation?.kind;
  const affiliation = Form.useWatch('affiliation', form);
  const regionScoped = me.scope.kind === 'region';

  const save = useMutation({
    mutationFn: (values: Values) =>
      organisation
        ? api.organisations.update(organisation.id, updateBody(organisation, values))
        : api.organisations.create(createBody(values, regionScoped)),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['organisations'] });
      form.resetFields();
      onSaved(saved);
    },
    onError: (error) => form.setFields(fieldErrorsOf(error, FIELDS, t).fields),
  });
  const unplaced = save.error ? fieldErrorsOf(save.error, FIELDS, t).unplaced : false;
  const close = () => {
    save.reset();
    onClose();
  };

  const required = (message: string) => [{ required: true, message }];
  /** The bank-account rule, reported on the field that is missing or wrong. */
  const bankRule = (field: (typeof BANK_FIELDS)[number]) => ({
    validator: () => {
      const values = form.getFieldsValue([...BANK_FIELDS]) as Values;
      const problem = bankAccountProblem(values);
      const here =
        (problem === 'allOrNone' && text(values[field]) === undefined) ||
        (problem === 'accountNoInvalid' && field === 'bankAccountNo');
      return here
        ? Promise.reject(new Error(t(`organisation.bank.${problem}`)))
        : Promise.resolve();
    },
  });

  return (
    <Drawer
      open={open}
      onClose={close}
      title={
        editing ? t('orgForm.editTitle', { name: organisation.name }) : t('orgForm.createTitle')
      }
      size={width}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {editing ? t('common.save') : t('orgForm.create')}
          </Button>
        </Flex>
      }
    >
      {save.error && unplaced ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(save.error, t)}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form<Values>
        name="organisation"
        form={form}
        layout="vertical"
        disabled={save.isPending}
        initialValues={initialOf(organisation)}
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item
          name="kind"
          label={t('organisation.kind')}
          rules={required(t('orgForm.kind.required'))}
        >
          <Select<OrganisationKind>
            disabled={editing}
            options={ORGANISATION_KINDS.map((value) => ({
              value,
              label: t(`organisation.kind.${value}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('organisation.name')}
          rules={[{ required: true, whitespace: true, message: t('orgForm.name.required') }]}
        >
          <Input autoComplete="off" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="uscc"
          label={t('organisation.uscc')}
          extra={t('orgForm.uscc.hint')}
          rules={
            kind === 'employer'
              ? [{ required: true, whitespace: true, message: t('orgForm.uscc.required') }]
              : []
          }
        >
          <Input
            autoComplete="off"
            spellCheck={false}
            maxLength={40}
            style={{ fontFamily: 'monospace' }}
          />
        </Form.Item>
        {regionScoped ? null : (
          <Form.Item
            name="regionCode"
            label={t('organisation.region')}
            rules={editing ? [] : required(t('orgForm.region.required'))}
          >
            <RegionSelect townships={false} />
          </Form.Item>
        )}
        {kind === 'evaluation_institution' ? (
          <>
            <Form.Item
              name="evaluationType"
              label={t('organisation.evaluationType')}
              rules={required(t('orgForm.evaluationType.required'))}
            >
              <Select<EvaluationType>
                options={EVALUATION_TYPES.map((value) => ({
                  value,
                  label: t(`organisation.evaluationType.${value}`),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="institutionCode"
              label={t('organisation.institutionCode')}
              extra={t('orgForm.institutionCode.hint')}
              rules={[
                { required: true, message: t('orgForm.institutionCode.required') },
                { pattern: /^[0-9]{4}$/, message: t('orgForm.institutionCode.invalid') },
              ]}
            >
              <Input inputMode="numeric" maxLength={4} style={{ width: 120 }} />
            </Form.Item>
          </>
        ) : null}
        {kind === 'employer' ? (
          <>
            <Form.Item
              name="sizeClass"
              label={t('organisation.sizeClass')}
              rules={required(t('orgForm.sizeClass.required'))}
            >
              <Select<SizeClass>
                options={SIZE_CLASSES.map((value) => ({
                  value,
                  label: t(`organisation.sizeClass.${value}`),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="affiliation"
              label={t('organisation.affiliation')}
              rules={required(t('orgForm.affiliation.required'))}
            >
              <Select<Affiliation>
                options={AFFILIATIONS.map((value) => ({
                  value,
                  label: t(`organisation.affiliation.${value}`),
                }))}
              />
            </Form.Item>
            {affiliation === 'county' ? (
              <Form.Item
                name="affiliationRegionCode"
                label={t('organisation.affiliationRegion')}
                rules={required(t('orgForm.affiliationRegion.required'))}
              >
                <RegionSelect townships={false} />
              </Form.Item>
            ) : null}
          </>
        ) : null}
        <Form.Item name="address" label={t('organisation.address')}>
          <Input autoComplete="off" maxLength={300} />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item
            name="contactName"
            label={t('organisation.contactName')}
            style={{ flex: '1 1 160px' }}
          >
            <Input autoComplete="off" maxLength={100} />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label={t('organisation.contactPhone')}
            extra={
              editing && organisation.contactPhone
                ? t('orgForm.contactPhone.keep', { phone: organisation.contactPhone })
                : undefined
            }
            style={{ flex: '1 1 160px' }}
          >
            <Input autoComplete="off" inputMode="tel" maxLength={30} />
          </Form.Item>
        </Flex>
        <Typography.Title level={5}>{t('organisation.bank')}</Typography.Title>
        <Form.Item
          name="bankName"
          label={t('organisation.bankName')}
          dependencies={['bankAccountName', 'bankAccountNo']}
          rules={[bankRule('bankName')]}
        >
          <Input autoComplete="off" maxLength={100} />
        </Form.Item>
        <Form.Item
          name="bankAccountName"
          label={t('organisation.bankAccountName')}
          dependencies={['bankName', 'bankAccountNo']}
          rules={[bankRule('bankAccountName')]}
        >
          <Input autoComplete="off" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="bankAccountNo"
          label={t('organisation.bankAccountNo')}
          dependencies={['bankName', 'bankAccountName']}
          rules={[bankRule('bankAccountNo')]}
        >
          <Input
            autoComplete="off"
            inputMode="numeric"
            spellCheck={false}
            maxLength={40}
            style={{ fontFamily: 'monospace' }}
          />
        </Form.Item>
        {editing ? (
          <Form.Item name="status" label={t('organisation.status')}>
            <Select<Organisation['status']>
              options={(['active', 'suspended'] as const).map((value) => ({
                value,
                label: t(`organisation.status.${value}`),
              }))}
            />
          </Form.Item>
        ) : null}
      </Form>
    </Drawer>
  );
}
