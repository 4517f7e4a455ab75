import { FullscreenOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Flex, Modal, QRCode, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { ClassSession } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n';

/** The page a trainee's phone camera opens from the screen's code: /me/check-in with the token. */
export function checkInUrl(origin: string, classId: string, sessionId: string, token: string) {
  const query = new URLSearchParams({ class: classId, session: sessionId, token });
  return `${origin}/me/check-in?${query.toString()}`;
}

/** Fetch the next token shortly before the server rotates it; never faster than once a second. */
export function refreshDelay(rotatesAt: string, now = Date.now()): number {
  return Math.min(30_000, Math.max(1_000, Date.parse(rotatesAt) - now - 1_500));
}

/**
 * The session's rotating check-in code for the classroom screen (projector or tablet): it can go
 * full screen, and a new code is fetched before the server rotates the old one.
 */
export function SessionQrModal({
  classId,
  session,
  onClose,
}: {
  classId: string;
  session: ClassSession | undefined;
  onClose: () => void;
}) {
  const t = useT();
  const panel = useRef<HTMLDivElement>(null);
  const [fullscreen, setFullscreen] = useState(false);
  const sessionId = session?.id ?? '';
  const { data, error, refetch } = useQuery({
    queryKey: ['classes', 'session-qr', classId, sessionId],
    queryFn: ({ signal }) => api.classes.sessionQr(classId, sessionId, signal),
    enabled: !!session,
    refetchInterval: (query) => {
      const rotatesAt = query.state.data?.rotatesAt;
      return rotatesAt ? refreshDelay(rotatesAt) : false;
    },
    gcTime: 0,
    staleTime: 0,
  });

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === panel.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const url = data ? checkInUrl(globalThis.location.origin, classId, sessionId, data.token) : '';
  const size = fullscreen ? Math.min(globalThis.innerHeight, globalThis.innerWidth) * 0.7 : 280;
  return (
    <Modal
      open={!!session}
      title={session ? t('qrPanel.title', { seq: session.seq }) : undefined}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      centered
      width={480}
    >
      <div
        ref={panel}
        style={{
          background: '#fff',
          display: 'flex',
          flexDirection: 'column',
          alignItems: 'center',
          justifyContent: 'center',
          gap: 12,
          padding: fullscreen ? 32 : 0,
        }}
      >
        {error ? <ErrorAlert error={error} onRetry={() => void refetch()} /> : null}
        {!data && !error ? <Spin style={{ display: 'block', margin: 48 }} /> : null}
        {data ? (
          <>
            {!data.running ? <Alert type="warning" showIcon title={t('qrPanel.closed')} /> : null}
            <QRCode type="svg" value={url} size={size} errorLevel="M" />
            <Typography.Text style={{ fontSize: fullscreen ? 24 : 14, textAlign: 'center' }}>
              {t('qrPanel.hint')}
            </Typography.Text>
            <Typography.Text
              type="secondary"
              data-testid="check-in-url"
              style={{ fontSize: 11, wordBreak: 'break-all', textAlign: 'center' }}
            >
              {url}
            </Typography.Text>
          </>
        ) : null}
      </div>
      <Flex justify="center" style={{ marginTop: 12 }}>
        <Button
          icon={<FullscreenOutlined />}
          disabled={!data}
          onClick={() => void panel.current?.requestFullscreen?.()}
        >
          {t('qrPanel.fullscreen')}
        </Button>
      </Flex>
    </Modal>
  );
}
