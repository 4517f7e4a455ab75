import { Typography } from 'antd';
import { useEffect } from 'react';
import { useT, type MessageKey } from '../i18n';

/** Sets the browser tab title to `title · 技能`. */
export function useDocumentTitle(title: string): void {
  const t = useT();
  const appName = t('app.shortName');
  useEffect(() => {
    document.title = `${title} · ${appName}`;
  }, [title, appName]);
}

/** The page heading, an optional lead sentence, and the browser tab title. */
export function PageTitle({
  titleKey,
  descriptionKey,
}: {
  titleKey: MessageKey;
  descriptionKey?: MessageKey;
}) {
  const t = useT();
  const title = t(titleKey);
  useDocumentTitle(title);
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {title}
      </Typography.Title>
      {descriptionKey ? (
        <Typography.Paragraph type="secondary">{t(descriptionKey)}</Typography.Paragraph>
      ) : null}
    </>
  );
}
