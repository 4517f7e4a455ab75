import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Flex, Form, Input, Select } from 'antd';
import { api } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useKeyGroups } from '../../api/queries';
import type {
  CreatedPerson,
  CreatePersonBody,
  Education,
  EmploymentStatus,
  Person,
  UpdatePersonBody,
} from '../../api/types';
import { describeError } from '../../components/ErrorAlert';
import { RegionSelect } from '../../components/RegionSelect';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { compactPhone, ID_NUMBER_SHAPE, mobileRule } from '../../forms/shapes';
import { useLocale, useT } from '../../i18n';
import { EDUCATIONS, EMPLOYMENT_STATUSES } from './personCatalog';

export interface PersonFormValues {
  idNumber?: string;
  name?: string;
  phone?: string;
  householdRegionCode?: string | null;
  residenceRegionCode?: string | null;
  education?: Education | null;
  employmentStatus?: EmploymentStatus;
  keyGroups?: string[];
  note?: string;
}

const FIELDS = [
  'idNumber',
  'name',
  'phone',
  'householdRegionCode',
  'residenceRegionCode',
  'education',
  'employmentStatus',
  'keyGroups',
  'note',
] as const;

/** The form items shared by registering and changing a person. */
function PersonFields({ mode }: { mode: 'create' | 'edit' }) {
  const t = useT();
  const { locale } = useLocale();
  const keyGroups = useKeyGroups();
  return (
    <>
      {mode === 'create' ? (
        <Form.Item
          name="idNumber"
          label={t('person.idNumber')}
          extra={t('person.idNumber.hint')}
          rules={[
            { required: true, whitespace: true, message: t('person.idNumber.required') },
            // Only the shape here; the server checks the rest and says what is wrong in Chinese.
            { pattern: ID_NUMBER_SHAPE, message: t('person.idNumber.shape') },
          ]}
        >
          <Input autoComplete="off" spellCheck={false} maxLength={40} />
        </Form.Item>
      ) : null}
      <Form.Item
        name="name"
        label={t('person.name')}
        rules={[{ required: true, whitespace: true, message: t('person.name.required') }]}
      >
        <Input autoComplete="off" maxLength={50} />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t('person.phone')}
        extra={mode === 'edit' ? t('person.phone.keep') : undefined}
        rules={[mobileRule(t('person.phone.invalid'))]}
      >
        <Input autoComplete="off" inputMode="numeric" maxLength={20} />
      </Form.Item>
      <Form.Item name="householdRegionCode" label={t('person.householdRegion')}>
        <RegionSelect />
      </Form.Item>
      <Form.Item
        name="residenceRegionCode"
        label={t('person.residenceRegion')}
        extra={t('person.residenceRegion.hint')}
      >
        <RegionSelect />
      </Form.Item>
      <Form.Item name="education" label={t('person.education')}>
        <Select<Education>
          allowClear
          options={EDUCATIONS.map((value) => ({
            value,
            label: t(`person.education.${value}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="employmentStatus" label={t('person.employmentStatus')}>
        <Select<EmploymentStatus>
          options={EMPLOYMENT_STATUSES.map((value) => ({
            value,
            label: t(`person.employment.${value}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="keyGroups" label={t('person.keyGroups')}>
        <Select<string[]>
          mode="multiple"
          allowClear
          loading={keyGroups.isPending}
          optionFilterProp="label"
          options={(keyGroups.data?.items ?? []).map((group) => ({
            value: group.code,
            label: locale === 'en' ? group.nameEn : group.name,
          }))}
        />
      </Form.Item>
      <Form.Item name="note" label={t('person.note')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} showCount />
      </Form.Item>
    </>
  );
}

function trimmed(value: string | undefined): string | undefined {
  const result = value?.trim();
  return result ? result : undefined;
}

function createBody(values: PersonFormValues): CreatePersonBody {
  return {
    idNumber: (values.idNumber ?? '').trim(),
    name: (values.name ?? '').trim(),
    phone: values.phone?.trim() ? compactPhone(values.phone) : null,
    householdRegionCode: values.householdRegionCode ?? null,
    residenceRegionCode: values.residenceRegionCode ?? null,
    education: values.education ?? null,
    employmentStatus: values.employmentStatus,
    keyGroups: values.keyGroups ?? [],
    note: trimmed(values.note) ?? null,
  };
}

/** The problem's field errors on the form; whether something is left to show above it. */
function useServerErrors(form: ReturnType<typeof Form.useForm<PersonFormValues>>[0]) {
  const t = useT();
  return {
    place: (error: unknown) => form.setFields(fieldErrorsOf(error, FIELDS, t).fields),
    unplaced: (error: unknown) => fieldErrorsOf(error, FIELDS, t).unplaced,
  };
}

/** 登记人员: registers a person; the server checks the ID number and answers in Chinese. */
export function RegisterPersonDrawer({
  open,
  width,
  onClose,
  onCreated,
}: {
  open: boolean;
  width: number | string;
  onClose: () => void;
  onCreated: (result: CreatedPerson) => void;
}) {
  const t = useT();
  const client = useQueryClient();
  const [form] = Form.useForm<PersonFormValues>();
  const errors = useServerErrors(form);
  const create = useMutation({
    mutationFn: (body: CreatePersonBody) => api.persons.create(body),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: ['persons'] });
      form.resetFields();
      onCreated(result);
    },
    onError: errors.place,
  });
  const close = () => {
    create.reset();
    onClose();
  };

  return (
    <Drawer
      open={open}
      onClose={close}
      title={t('personForm.createTitle')}
      size={width}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()}>
            {t('personForm.create')}
          </Button>
        </Flex>
      }
    >
      {create.error && errors.unplaced(create.error) ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(create.error, t)}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form<PersonFormValues>
        name="registerPerson"
        form={form}
        layout="vertical"
        disabled={create.isPending}
        initialValues={{ employmentStatus: 'unknown', keyGroups: [] }}
        onFinish={(values) => create.mutate(createBody(values))}
      >
        <PersonFields mode="create" />
      </Form>
    </Drawer>
  );
}

function initialOf(person: Person): PersonFormValues {
  return {
    name: person.name,
    phone: '',
    householdRegionCode: person.householdRegionCode,
    residenceRegionCode: person.residenceRegionCode,
    education: person.education,
    employmentStatus: person.employmentStatus,
    keyGroups: person.keyGroups,
    note: person.note ?? '',
  };
}

/** The changes to send: what differs from the record, with the version it was read at. */
function updateBody(person: Person, values: PersonFormValues): UpdatePersonBody {
  const body: UpdatePersonBody = { version: person.version };
  const name = (values.name ?? '').trim();
  if (name !== person.name) body.name = name;
  if (values.phone?.trim()) body.phone = compactPhone(values.phone);
  const household = values.householdRegionCode ?? null;
  if (household !== person.householdRegionCode) body.householdRegionCode = household;
  const residence = values.residenceRegionCode ?? null;
  if (residence !== person.residenceRegionCode) body.residenceRegionCode = residence;
  const education = values.education ?? null;
  if (education !== person.education) body.education = education;
  if (values.employmentStatus && values.employmentStatus !== person.employmentStatus) {
    body.employmentStatus = values.employmentStatus;
  }
  const groups = [...(values.keyGroups ?? [])].sort();
  if (groups.join() !== [...person.keyGroups].sort().join()) body.keyGroups = groups;
  const note = trimmed(values.note) ?? null;
  if (note !== person.note) body.note = note;
  return body;
}

/**
 * Changes a person (mount it when it opens, so the form starts from the record as loaded). The
 * change carries the version it was read at; when someone else saved in
 * between, the server refuses (409) and the drawer offers to load their version.
 */
export function EditPersonDrawer({
  person,
  open,
  width,
  onClose,
  onSaved,
  onReload,
}: {
  person: Person;
  open: boolean;
  width: number | string;
  onClose: () => void;
  onSaved: (person: Person) => void;
  /** Loads the record again (after a conflict); resolves with the fresh one. */
  onReload: () => Promise<Person | undefined>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<PersonFormValues>();
  const errors = useServerErrors(form);
  const save = useMutation({
    mutationFn: (body: UpdatePersonBody) => api.persons.update(person.id, body),
    onSuccess: (updated) => {
      client.setQueryData(['persons', 'one', updated.id], updated);
      void client.invalidateQueries({ queryKey: ['persons'] });
      onSaved(updated);
    },
    onError: errors.place,
  });
  const conflict =
    save.error instanceof ApiError && save.error.status === 409 && save.error.code === 'CONFLICT';

  const reload = async () => {
    const fresh = await onReload();
    save.reset();
    if (fresh) {
      form.resetFields();
      form.setFieldsValue(initialOf(fresh));
      void message.info(t('personForm.reloaded'));
    }
  };
  const close = () => {
    save.reset();
    onClose();
  };

  return (
    <Drawer
      open={open}
      onClose={close}
      title={t('personForm.editTitle', { name: person.name })}
      size={width}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            disabled={conflict}
            onClick={() => form.submit()}
          >
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {conflict ? (
        <Alert
          type="warning"
          showIcon
          role="alert"
          title={t('personForm.conflict')}
          action={
            <Button size="small" type="primary" onClick={() => void reload()}>
              {t('personForm.reload')}
            </Button>
          }
          style={{ marginBottom: 16 }}
        />
      ) : save.error && errors.unplaced(save.error) ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(save.error, t)}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form<PersonFormValues>
        name="editPerson"
        form={form}
        layout="vertical"
        disabled={save.isPending}
        initialValues={initialOf(person)}
        onFinish={(values) => save.mutate(updateBody(person, values))}
      >
        <PersonFields mode="edit" />
      </Form>
    </Drawer>
  );
}
