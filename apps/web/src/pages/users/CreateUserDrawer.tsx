import { Alert, Button, Drawer, Flex, Form, Input, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { anchorOf, assignableRoles } from '../../access';
import { api } from '../../api/client';
import { useRegions, useUnits } from '../../api/queries';
import type { CreateUserBody, CreatedUser, Me, Role } from '../../api/types';
import { describeError } from '../../components/ErrorAlert';
import { SHANGQIU } from '../../deployment';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { useT } from '../../i18n';

const FIELDS = [
  'username',
  'displayName',
  'role',
  'regionCode',
  'unitId',
  'organisationId',
  'personId',
] as const;

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Values = Partial<CreateUserBody>;

/** Only the anchor the chosen role needs goes to the server; the others are left out. */
function bodyOf(values: Values, regionScoped: boolean): CreateUserBody {
  const role = values.role as Role;
  const body: CreateUserBody = {
    username: (values.username ?? '').trim(),
    displayName: (values.displayName ?? '').trim(),
    role,
  };
  const anchor = anchorOf(role);
  // A region's administrator creates accounts of their own region; the server fills it in.
  if (anchor && !(anchor === 'regionCode' && regionScoped)) {
    body[anchor] = (values[anchor] ?? '').trim();
  }
  return body;
}

export function CreateUserDrawer({
  me,
  open,
  width,
  onClose,
  onCreated,
}: {
  me: Me;
  open: boolean;
  width: number | string;
  onClose: () => void;
  onCreated: (result: CreatedUser) => void;
}) {
  const t = useT();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const role = Form.useWatch('role', form);
  const anchor = role ? anchorOf(role) : null;
  const regionScoped = me.scope.kind === 'region';
  const ownRegion = me.scope.kind === 'region' ? me.scope.regionCode : null;
  const regions = useRegions({ parent: SHANGQIU });
  const units = useUnits({ withoutTarget: true });

  const create = useMutation({
    mutationFn: (body: CreateUserBody) => api.users.create(body),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: ['users'] });
      form.resetFields();
      onCreated(result);
    },
    onError: (error) => form.setFields(fieldErrorsOf(error, FIELDS, t).fields),
  });
  const unplaced = create.error ? fieldErrorsOf(create.error, FIELDS, t).unplaced : false;

  const close = () => {
    create.reset();
    onClose();
  };

  const uuidRules = [
    { required: true, message: t('userForm.uuid.required') },
    { pattern: UUID, message: t('userForm.uuid.invalid') },
  ];
  const ownRegionName =
    regions.data?.items.find((region) => region.code === ownRegion)?.name ?? ownRegion ?? '';

  return (
    <Drawer
      open={open}
      onClose={close}
      title={t('userForm.title')}
      size={width}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()}>
            {t('userForm.submit')}
          </Button>
        </Flex>
      }
    >
      {create.error && unplaced ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(create.error, t)}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        disabled={create.isPending}
        onFinish={(values) => create.mutate(bodyOf(values, regionScoped))}
      >
        <Form.Item
          name="username"
          label={t('userForm.username')}
          extra={t('userForm.username.hint')}
          rules={[
            { required: true, whitespace: true, message: t('userForm.username.required') },
            { pattern: USERNAME, message: t('userForm.username.invalid') },
          ]}
        >
          <Input autoComplete="off" autoCapitalize="none" spellCheck={false} maxLength={64} />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('userForm.displayName')}
          rules={[
            { required: true, whitespace: true, message: t('userForm.displayName.required') },
          ]}
        >
          <Input autoComplete="off" maxLength={100} />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('userForm.role')}
          rules={[{ required: true, message: t('userForm.role.required') }]}
        >
          <Select<Role>
            options={assignableRoles(me).map((value) => ({ value, label: t(`role.${value}`) }))}
          />
        </Form.Item>
        {anchor === 'regionCode' && regionScoped ? (
          <Alert
            type="info"
            showIcon
            title={t('userForm.region.own', { region: ownRegionName })}
            style={{ marginBottom: 24 }}
          />
        ) : null}
        {anchor === 'regionCode' && !regionScoped ? (
          <Form.Item
            name="regionCode"
            label={t('userForm.region')}
            rules={[{ required: true, message: t('userForm.region.required') }]}
          >
            <Select
              loading={regions.isPending}
              showSearch={{ optionFilterProp: 'label' }}
              options={(regions.data?.items ?? []).map((region) => ({
                value: region.code,
                label: `${region.name}（${region.code}）`,
              }))}
            />
          </Form.Item>
        ) : null}
        {anchor === 'unitId' ? (
          <Form.Item
            name="unitId"
            label={t('userForm.unit')}
            rules={[{ required: true, message: t('userForm.unit.required') }]}
          >
            <Select
              loading={units.isPending}
              showSearch={{ optionFilterProp: 'label' }}
              options={(units.data?.items ?? []).map((unit) => ({
                value: unit.id,
                label: unit.canonicalName,
              }))}
            />
          </Form.Item>
        ) : null}
        {anchor === 'organisationId' ? (
          <Form.Item
            name="organisationId"
            label={t('userForm.organisation')}
            extra={t('userForm.organisation.hint')}
            rules={uuidRules}
          >
            <Input autoComplete="off" spellCheck={false} />
          </Form.Item>
        ) : null}
        {anchor === 'personId' ? (
          <Form.Item
            name="personId"
            label={t('userForm.person')}
            extra={t('userForm.person.hint')}
            rules={uuidRules}
          >
            <Input autoComplete="off" spellCheck={false} />
          </Form.Item>
        ) : null}
      </Form>
    </Drawer>
  );
}
