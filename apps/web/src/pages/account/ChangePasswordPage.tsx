import { Alert, Button, Card, Flex, Form, Input, Spin, Typography } from 'antd';
import { App } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { loginPath, passwordPath, safeNext } from '../../auth/next';
import { useChangePassword, useLogout, useMe } from '../../auth/session';
import { describeError, ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../components/PageTitle';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { useT } from '../../i18n';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

const SERVER_FIELDS = ['currentPassword', 'newPassword'] as const;

/**
 * Change one's own password. An account with an initial password is kept here (every other
 * page sends it back) until the change succeeds; then it goes on to where it was going.
 */
export default function ChangePasswordPage() {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [form] = Form.useForm<Values>();
  const { data: me, error: meError, isPending, refetch } = useMe();
  const change = useChangePassword();
  // Leave first, synchronously (see AccountMenu): without a session this page would send the
  // visitor to the login page.
  const logout = useLogout(() => navigate('/', { flushSync: true }));
  useDocumentTitle(t('password.title'));

  if (isPending) return <Spin style={{ display: 'block', marginTop: 48 }} />;
  if (meError) return <ErrorAlert error={meError} onRetry={() => void refetch()} />;
  if (!me) return <Navigate to={loginPath(passwordPath(next))} replace />;

  const forced = me.mustChangePassword;

  const onFinish = ({ currentPassword, newPassword }: Values) =>
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          void message.success(t('password.changed'));
          void navigate(next, { replace: true });
        },
        onError: (error) => form.setFields(fieldErrorsOf(error, SERVER_FIELDS, t).fields),
      },
    );

  const unplaced = change.error ? fieldErrorsOf(change.error, SERVER_FIELDS, t).unplaced : false;

  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('password.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {me.displayName} · {me.username} · {t(`role.${me.role}`)}
      </Typography.Paragraph>
      {forced ? (
        <Alert type="warning" showIcon title={t('password.forced')} style={{ marginBottom: 16 }} />
      ) : null}
      {unplaced ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(change.error, t)}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        disabled={change.isPending}
      >
        {/* Lets a password manager file the new password under the right account. */}
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={me.username}
          readOnly
          hidden
        />
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('password.current.required') }]}
        >
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('password.rules')}
          rules={[{ required: true, message: t('password.new.required') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.confirm.required') },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Flex gap={8} wrap style={{ marginTop: 8 }}>
          <Button type="primary" htmlType="submit" loading={change.isPending} style={{ flex: 1 }}>
            {t('password.submit')}
          </Button>
          {forced ? (
            <Button onClick={() => logout.mutate()} loading={logout.isPending}>
              {t('auth.logout')}
            </Button>
          ) : (
            <Button onClick={() => void navigate(next)}>{t('common.cancel')}</Button>
          )}
        </Flex>
      </Form>
    </Card>
  );
}
