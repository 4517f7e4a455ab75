import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Result, Spin } from 'antd';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { ApiError } from '../../api/problem';
import { describeError } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../components/PageTitle';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';

interface Target {
  classId: string;
  sessionId: string;
  token: string;
}

/** The class, session and token the screen's QR code put in the URL, or null when incomplete. */
export function checkInTarget(params: URLSearchParams): Target | null {
  const classId = params.get('class')?.trim();
  const sessionId = params.get('session')?.trim();
  const token = params.get('token')?.trim();
  return classId && sessionId && token ? { classId, sessionId, token } : null;
}

/**
 * 课堂签到: what a trainee's phone camera opens after scanning the classroom screen. It checks in
 * at once with the scanned token and says whether it worked, or why not (an expired code: scan
 * again).
 */
export default function CheckInPage() {
  const t = useT();
  useDocumentTitle(t('checkIn.title'));
  const [params] = useSearchParams();
  const target = checkInTarget(params);
  const queryClient = useQueryClient();
  const checkIn = useMutation({
    mutationFn: ({ classId, sessionId, token }: Target) =>
      api.classes.checkIn(classId, sessionId, { method: 'qr', token }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['classes'] }),
  });
  // One attempt per scanned link (React's development double effects included).
  const tried = useRef('');
  const key = target ? `${target.classId}/${target.sessionId}/${target.token}` : '';
  const { mutate } = checkIn;
  useEffect(() => {
    if (!target || tried.current === key) return;
    tried.current = key;
    mutate(target);
  }, [key, target, mutate]);

  const toMyClasses = (
    <Link key="mine" to="/me/classes">
      <Button type="primary" size="large">
        {t('checkIn.toMyClasses')}
      </Button>
    </Link>
  );
  if (!target) {
    return (
      <Result
        status="warning"
        title={t('checkIn.failed')}
        subTitle={t('checkIn.badLink')}
        extra={toMyClasses}
      />
    );
  }
  if (checkIn.isSuccess) {
    return (
      <Result
        status="success"
        title={t('checkIn.done')}
        subTitle={t('checkIn.doneAt', { time: formatDateTime(checkIn.data.checkedInAt, true) })}
        extra={toMyClasses}
      />
    );
  }
  if (checkIn.isError) {
    const stale = checkIn.error instanceof ApiError && checkIn.error.code === 'QR_TOKEN_INVALID';
    return (
      <Result
        status="error"
        title={t('checkIn.failed')}
        subTitle={stale ? t('problem.QR_TOKEN_INVALID') : describeError(checkIn.error, t)}
        extra={toMyClasses}
      />
    );
  }
  return <Result icon={<Spin size="large" />} title={t('checkIn.working')} />;
}
