import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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

/** Check-out refusals after which the same link cannot succeed: no point in a retry button. */
const FINAL_CHECK_OUT_CODES = new Set([
  'QR_TOKEN_INVALID',
  'ALREADY_CHECKED_IN',
  'SESSION_NOT_RUNNING',
]);

function codeOf(error: unknown): string | undefined {
  return error instanceof ApiError ? error.code : undefined;
}

/**
 * 课堂签到: what a trainee's phone camera opens after scanning the classroom screen. It checks in
 * at once with the scanned token and says whether it worked, or why not (an expired code: scan
 * again). A trainee already checked in (also once the session has ended, when check-in is closed)
 * is offered 签退 with the same scanned token.
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
  const checkOut = useMutation({
    mutationFn: ({ classId, sessionId, token }: Target) =>
      api.classes.checkOut(classId, sessionId, { method: 'qr', token }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['classes'] }),
  });
  const inCode = codeOf(checkIn.error);
  // Whether, and when, the trainee checked in to (and out of) this session.
  const mine = useQuery({
    queryKey: ['classes', 'mine'],
    queryFn: ({ signal }) => api.classes.mine(signal),
    enabled: inCode === 'ALREADY_CHECKED_IN' || inCode === 'SESSION_NOT_RUNNING',
  });
  const attendance = mine.data?.items
    .find((c) => c.id === target?.classId)
    ?.sessions.find((s) => s.id === target?.sessionId)?.attendance;
  const { mutate } = checkIn;
  useEffect(() => {
    if (!target || tried.current === key) return;
    tried.current = key;
    mutate(target);
  }, [key, target, mutate]);

  const toMyClasses = (
    <Link key="mine" to="/me/classes">
      <Button type={checkIn.isError ? 'default' : 'primary'} size="large">
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
  if (checkOut.isSuccess) {
    return (
      <Result
        status="success"
        title={t('checkOut.done')}
        subTitle={t('checkOut.doneAt', {
          time: formatDateTime(checkOut.data.checkedOutAt ?? '', true),
        })}
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
  const checkedIn =
    inCode === 'ALREADY_CHECKED_IN' || (inCode === 'SESSION_NOT_RUNNING' && attendance);
  if (checkedIn && attendance?.checkedOutAt) {
    return (
      <Result
        status="info"
        title={t('checkIn.already')}
        subTitle={t('checkOut.alreadyAt', { time: formatDateTime(attendance.checkedOutAt, true) })}
        extra={toMyClasses}
      />
    );
  }
  if (checkedIn) {
    const outCode = codeOf(checkOut.error);
    const why = {
      QR_TOKEN_INVALID: t('checkOut.stale'),
      ALREADY_CHECKED_IN: t('checkOut.already'),
      SESSION_NOT_RUNNING: t('checkOut.closed'),
    }[outCode ?? ''];
    const subTitle = checkOut.isError
      ? (why ?? describeError(checkOut.error, t))
      : attendance
        ? t('checkIn.alreadyAt', { time: formatDateTime(attendance.checkedInAt, true) })
        : undefined;
    const retry = !(outCode && FINAL_CHECK_OUT_CODES.has(outCode));
    return (
      <Result
        status={checkOut.isError ? 'warning' : 'info'}
        title={checkOut.isError ? t('checkOut.failed') : t('checkIn.already')}
        subTitle={subTitle}
        extra={[
          retry ? (
            <Button
              key="checkOut"
              type="primary"
              size="large"
              loading={checkOut.isPending}
              onClick={() => checkOut.mutate(target)}
            >
              {t('checkOut.action')}
            </Button>
          ) : null,
          toMyClasses,
        ]}
      />
    );
  }
  if (inCode === 'SESSION_NOT_RUNNING' && mine.isLoading) {
    return <Result icon={<Spin size="large" />} title={t('checkIn.working')} />;
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
