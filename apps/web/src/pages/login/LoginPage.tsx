import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Link, Navigate, useSearchParams } from 'react-router';
import { isWorker } from '../../access';
import type { LoginBody } from '../../api/types';
import { passwordPath, safeNext } from '../../auth/next';
import { useLogin, useMe } from '../../auth/session';
import { describeError } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../components/PageTitle';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { useT } from '../../i18n';

const FIELDS = ['username', 'password'] as const;

export default function LoginPage() {
  const t = useT();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [form] = Form.useForm<LoginBody>();
  const { data: me } = useMe();
  const login = useLogin();

  const title = t('login.title');
  useDocumentTitle(title);

  // Logged in (just now, or already): go on. Login puts the account in `me`, so this is also
  // where a successful submit ends.
  if (me) {
    // A worker who came with nowhere particular to go wants their own record.
    const target = next === '/' && isWorker(me) ? '/me' : next;
    return <Navigate to={me.mustChangePassword ? passwordPath(target) : target} replace />;
  }

  const onFinish = (values: LoginBody) =>
    login.mutate(
      { ...values, username: values.username.trim() },
      {
        onError: (error) => {
          const { fields } = fieldErrorsOf(error, FIELDS, t);
          form.setFields(fields);
          // A wrong password may be typed again; it is never kept in the form.
          form.setFieldValue('password', '');
        },
      },
    );

  const placed = login.error ? !fieldErrorsOf(login.error, FIELDS, t).unplaced : false;

  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0, textAlign: 'center' }}>
        {title}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
        {t('login.subtitle')}
      </Typography.Paragraph>
      {login.error && !placed ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(login.error, t)}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form<LoginBody>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        onValuesChange={() => login.isError && login.reset()}
        disabled={login.isPending}
      >
        <Form.Item
          name="username"
          label={t('login.username')}
          rules={[{ required: true, whitespace: true, message: t('login.username.required') }]}
        >
          <Input
            prefix={<UserOutlined />}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
            size="large"
          />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('login.password.required') }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={login.isPending}>
          {t('login.submit')}
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0, textAlign: 'center' }}>
        {t('login.noAccount')} <Link to="/register">{t('auth.register')}</Link>
      </Typography.Paragraph>
      <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0, textAlign: 'center' }}>
        <Link to="/verify">{t('login.verifyLink')}</Link>
      </Typography.Paragraph>
      <Typography.Paragraph
        type="secondary"
        style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}
      >
        {t('login.hint')}
      </Typography.Paragraph>
    </Card>
  );
}
