import { IdcardOutlined, LockOutlined, MobileOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Link, Navigate, useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { RegisterBody } from '../../api/types';
import { setSession, useMe } from '../../auth/session';
import { describeError } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../components/PageTitle';
import { fieldErrorsOf } from '../../forms/fieldErrors';
import { compactPhone, ID_NUMBER_SHAPE, mobileRule } from '../../forms/shapes';
import { useT } from '../../i18n';

interface Values {
  idNumber: string;
  name: string;
  phone: string;
  password: string;
  confirmPassword: string;
}

const FIELDS = ['idNumber', 'name', 'phone', 'password'] as const;

/**
 * 劳动者注册: a worker opens their own account with their ID number, name and phone, and is
 * logged in at once. Laid out for a phone first.
 */
export default function RegisterPage() {
  const t = useT();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const { data: me } = useMe();
  const register = useMutation({
    mutationFn: (body: RegisterBody) => api.auth.register(body),
    onSuccess: (result) => {
      setSession(client, result.user);
      void navigate('/me', { replace: true });
    },
    onError: (error) => form.setFields(fieldErrorsOf(error, FIELDS, t).fields),
  });
  useDocumentTitle(t('register.title'));

  // Already logged in (and not by registering just now): nothing to register.
  if (me && !register.isSuccess)
    return <Navigate to={me.role === 'worker' ? '/me' : '/'} replace />;

  const unplaced = register.error ? fieldErrorsOf(register.error, FIELDS, t).unplaced : false;
  const onFinish = (values: Values) =>
    register.mutate({
      idNumber: values.idNumber.trim(),
      name: values.name.trim(),
      phone: compactPhone(values.phone),
      password: values.password,
    });

  return (
    <Card styles={{ body: { padding: '20px 16px' } }}>
      <Typography.Title level={3} style={{ marginTop: 0, textAlign: 'center' }}>
        {t('register.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
        {t('register.subtitle')}
      </Typography.Paragraph>
      {unplaced ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={describeError(register.error, t)}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        disabled={register.isPending}
      >
        <Form.Item
          name="idNumber"
          label={t('person.idNumber')}
          rules={[
            { required: true, whitespace: true, message: t('person.idNumber.required') },
            { pattern: ID_NUMBER_SHAPE, message: t('person.idNumber.shape') },
          ]}
        >
          <Input
            prefix={<IdcardOutlined />}
            size="large"
            autoComplete="off"
            spellCheck={false}
            maxLength={40}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('register.name')}
          rules={[{ required: true, whitespace: true, message: t('person.name.required') }]}
        >
          <Input prefix={<UserOutlined />} size="large" autoComplete="name" maxLength={50} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('register.phone')}
          extra={t('register.phone.hint')}
          rules={[
            { required: true, whitespace: true, message: t('register.phone.required') },
            mobileRule(t('person.phone.invalid')),
          ]}
        >
          <Input
            prefix={<MobileOutlined />}
            size="large"
            type="tel"
            inputMode="numeric"
            autoComplete="tel"
            maxLength={20}
          />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('register.password')}
          extra={t('register.password.rules')}
          rules={[{ required: true, message: t('password.new.required') }]}
        >
          <Input.Password prefix={<LockOutlined />} size="large" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('register.confirm')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('password.confirm.required') },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value === getFieldValue('password')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password prefix={<LockOutlined />} size="large" autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={register.isPending}>
          {t('register.submit')}
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0, textAlign: 'center' }}>
        {t('register.haveAccount')} <Link to="/login">{t('auth.login')}</Link>
      </Typography.Paragraph>
      <Typography.Paragraph
        type="secondary"
        style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}
      >
        {t('register.privacy')}
      </Typography.Paragraph>
    </Card>
  );
}
