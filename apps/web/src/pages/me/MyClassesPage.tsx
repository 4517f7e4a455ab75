import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Flex, List, Progress, Space, Spin, Tag, Typography } from 'antd';
import { api } from '../../api/client';
import type { MyClass, MyClassSession } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { ClassStatusTag, hours } from '../classes/classCatalog';

function SessionLine({ session, now }: { session: MyClassSession; now: number }) {
  const t = useT();
  const attendance = session.attendance;
  return (
    <List.Item>
      <Flex vertical gap={4} style={{ width: '100%' }}>
        <Flex justify="space-between" gap={8} wrap>
          <Typography.Text strong>
            {session.date} {session.startTime}–{session.endTime}
          </Typography.Text>
          {session.checkInOpen && !attendance ? (
            <Tag color="processing">{t('myClasses.running')}</Tag>
          ) : null}
        </Flex>
        {attendance ? (
          <Space size={4} wrap>
            <Tag color="green">
              {t('myClasses.checkedIn', { time: formatDateTime(attendance.checkedInAt) })}
            </Tag>
            {attendance.checkedOutAt ? (
              <Tag>
                {t('myClasses.checkedOut', { time: formatDateTime(attendance.checkedOutAt) })}
              </Tag>
            ) : null}
          </Space>
        ) : session.checkInOpen ? (
          <Typography.Text type="secondary">{t('myClasses.scanHint')}</Typography.Text>
        ) : Date.parse(session.endsAt) < now ? (
          <Typography.Text type="secondary">{t('myClasses.absent')}</Typography.Text>
        ) : null}
      </Flex>
    </List.Item>
  );
}

function ClassCard({ cls, now }: { cls: MyClass; now: number }) {
  const t = useT();
  const { attendedHours, requiredHours, completionResult } = cls.trainee;
  const percent = requiredHours > 0 ? Math.min(100, (attendedHours / requiredHours) * 100) : 100;
  return (
    <Card
      size="small"
      title={
        <Flex justify="space-between" align="center" gap={8}>
          <span style={{ whiteSpace: 'normal' }}>{cls.name}</span>
          <ClassStatusTag status={cls.status} />
        </Flex>
      }
    >
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        <Typography.Text type="secondary">{cls.address}</Typography.Text>
        <Typography.Text>
          {t('myClasses.attended', {
            attended: hours(attendedHours),
            required: hours(requiredHours),
          })}
        </Typography.Text>
        <Progress percent={Math.round(percent)} size="small" showInfo={false} />
        {completionResult ? (
          <Tag color={completionResult === 'passed' ? 'green' : 'red'}>
            {t('classDetail.completionResult')}：{t(`classDetail.result.${completionResult}`)}
          </Tag>
        ) : null}
        <List
          size="small"
          dataSource={cls.sessions}
          rowKey="id"
          renderItem={(session) => <SessionLine session={session} now={now} />}
        />
      </Space>
    </Card>
  );
}

/** 我的培训班 (mobile-first): a worker's classes, each session and their own attendance. */
export default function MyClassesPage() {
  const t = useT();
  // When the answer came: sessions ended before it are past (render stays pure).
  const { data, error, isPending, refetch, dataUpdatedAt } = useQuery({
    queryKey: ['classes', 'mine'],
    queryFn: ({ signal }) => api.classes.mine(signal),
  });
  return (
    <>
      <PageTitle titleKey="myClasses.title" descriptionKey="myClasses.description" />
      <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 560 }}>
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        {isPending ? <Spin style={{ display: 'block', margin: 48 }} /> : null}
        {data && data.items.length === 0 ? <Empty description={t('myClasses.empty')} /> : null}
        {data?.items.map((cls) => (
          <ClassCard key={cls.id} cls={cls} now={dataUpdatedAt} />
        ))}
      </Space>
    </>
  );
}
