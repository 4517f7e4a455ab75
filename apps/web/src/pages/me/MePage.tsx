import { KeyOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Result, Space, Spin, Typography } from 'antd';
import { Link } from 'react-router';
import { isWorker } from '../../access';
import { usePersons } from '../../api/queries';
import { passwordPath } from '../../auth/next';
import { useAccount } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { useT } from '../../i18n';
import { PersonDescriptions } from '../persons/PersonDescriptions';

/**
 * 我的信息: a worker's own record, masked as everywhere. A worker's scope is their person, so the
 * register search answers with that one record.
 */
function OwnRecord() {
  const t = useT();
  const { data, error, isPending, refetch } = usePersons({ page: 1, pageSize: 1 });
  if (isPending) return <Spin style={{ display: 'block', marginTop: 48 }} />;
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  const person = data.items[0];
  if (!person) return <Alert type="warning" showIcon title={t('me.noRecord')} />;
  return <PersonDescriptions person={person} />;
}

export default function MePage() {
  const t = useT();
  const me = useAccount();
  if (!isWorker(me)) {
    return (
      <Result
        status="info"
        title={t('me.staff.title')}
        subTitle={t('me.staff.subtitle')}
        extra={
          <Link to="/persons">
            <Button type="primary">{t('menu.persons')}</Button>
          </Link>
        }
      />
    );
  }
  return (
    <>
      <PageTitle titleKey="me.title" descriptionKey="me.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card size="small">
          <Flex gap={12} wrap justify="space-between" align="center">
            <Space orientation="vertical" size={0}>
              <Typography.Text strong>{me.displayName}</Typography.Text>
              <Typography.Text type="secondary">
                {t('me.account', { username: me.username })}
              </Typography.Text>
            </Space>
            <Link to={passwordPath('/me')}>
              <Button icon={<KeyOutlined />}>{t('auth.changePassword')}</Button>
            </Link>
          </Flex>
        </Card>
        <OwnRecord />
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('me.correction')}
        </Typography.Paragraph>
      </Space>
    </>
  );
}
