import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Form, Input, Result, Space, Spin, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { evaluationQueries, type VerifyAnswer } from '../../api/evaluations';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';

interface Values {
  no: string;
  name: string;
}

/** Certificate numbers the API accepts (1–32 of A-Z a-z 0-9 -). */
const NUMBER_PATTERN = /^[A-Za-z0-9-]{1,32}$/;

function Answer({ answer }: { answer: VerifyAnswer }) {
  const t = useT();
  if (answer.result === 'not_found' || !answer.certificate) {
    return (
      <Result
        status="warning"
        title={t('verify.result.not_found')}
        subTitle={t('verify.result.not_found.hint')}
      />
    );
  }
  const c = answer.certificate;
  const revoked = answer.result === 'revoked';
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Result
        status={revoked ? 'error' : 'success'}
        title={revoked ? t('verify.result.revoked') : t('verify.result.valid')}
        subTitle={revoked ? t('verify.result.revoked.hint') : t('verify.result.valid.hint')}
        style={{ padding: '16px 0' }}
      />
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('certificate.number')}>
          <Typography.Text style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
            {c.number}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('certificate.holder')}>{c.holderNameMasked}</Descriptions.Item>
        <Descriptions.Item label={t('certificate.occupation')}>
          {c.occupationName}（{c.occupationCode}）
        </Descriptions.Item>
        <Descriptions.Item label={t('certificate.level')}>
          {c.specialAbilityName ? `${c.level} · ${c.specialAbilityName}` : c.level}
        </Descriptions.Item>
        <Descriptions.Item label={t('certificate.issuer')}>{c.issuer}</Descriptions.Item>
        <Descriptions.Item label={t('certificate.issuedOn')}>{c.issuedOn}</Descriptions.Item>
        {revoked ? (
          <>
            <Descriptions.Item label={t('certificate.revokedOn')}>
              {c.revokedOn ?? t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('certificate.revocationReason')}>
              {c.revocationReason ?? t('common.none')}
            </Descriptions.Item>
          </>
        ) : null}
      </Descriptions>
    </Space>
  );
}

/**
 * 证书查询: the public check anyone can make by number and the holder's name, without logging
 * in. The certificate's QR code opens this page with both filled in, and it asks at once.
 */
export default function VerifyPage() {
  const t = useT();
  useDocumentTitle(t('verify.title'));
  const [params, setParams] = useSearchParams();
  const no = params.get('no')?.trim() ?? '';
  const name = params.get('name')?.trim() ?? '';
  const ready = NUMBER_PATTERN.test(no) && name.length > 0 && name.length <= 64;
  const { data, error, isFetching, refetch } = useQuery({
    ...evaluationQueries.verify(no, name),
    enabled: ready,
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t('verify.title')}>
        <Typography.Paragraph type="secondary">{t('verify.description')}</Typography.Paragraph>
        <Form<Values>
          name="verify"
          key={`${no}|${name}`}
          layout="vertical"
          initialValues={{ no, name }}
          onFinish={(values) =>
            setParams(new URLSearchParams({ no: values.no.trim(), name: values.name.trim() }))
          }
        >
          <Form.Item
            name="no"
            label={t('certificate.number')}
            rules={[
              { required: true, message: t('verify.number.required') },
              { pattern: NUMBER_PATTERN, message: t('verify.number.invalid') },
            ]}
            normalize={(value: string) => value.trim()}
          >
            <Input autoComplete="off" inputMode="text" maxLength={32} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('verify.holderName')}
            rules={[{ required: true, whitespace: true, message: t('verify.name.required') }]}
          >
            <Input autoComplete="off" maxLength={64} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={isFetching}>
            {t('verify.submit')}
          </Button>
        </Form>
      </Card>
      {ready && isFetching && !data ? <Spin style={{ display: 'block' }} /> : null}
      {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
      {ready && data && !error ? (
        <Card>
          <Answer answer={data} />
        </Card>
      ) : null}
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
        <Link to="/">{t('common.backHome')}</Link>
      </Typography.Paragraph>
    </Space>
  );
}
