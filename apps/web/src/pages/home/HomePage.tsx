import { ArrowRightOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Row, theme, Typography } from 'antd';
import { Link } from 'react-router';
import { menuFor, workerShortcutsFor } from '../../access';
import { useMe } from '../../auth/session';
import { PageTitle } from '../../components/PageTitle';
import { useT, type MessageKey } from '../../i18n';

const CARD_TEXT: Record<string, MessageKey> = {
  '/regions': 'home.card.regions',
  '/units': 'home.card.units',
  '/plans': 'home.card.plans',
  '/occupations': 'home.card.occupations',
};

export default function HomePage() {
  const t = useT();
  const { token } = theme.useToken();
  const { data: me } = useMe();
  const workPages = workerShortcutsFor(me);
  const cards = menuFor(null).flatMap((item) => {
    const textKey = CARD_TEXT[item.path];
    return textKey ? [{ ...item, textKey }] : [];
  });
  return (
    <>
      <PageTitle titleKey="home.title" />
      <Typography.Paragraph style={{ maxWidth: 820 }}>{t('home.intro')}</Typography.Paragraph>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 820 }}>
        {t('home.intro2')}
      </Typography.Paragraph>
      {workPages.length > 0 ? (
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          {workPages.map((item) => (
            <Link key={item.path} to={item.path}>
              <Button type="primary" ghost size="large">
                {t(item.labelKey)}
              </Button>
            </Link>
          ))}
        </Flex>
      ) : null}
      <Row gutter={[16, 16]}>
        {cards.map((card) => (
          <Col key={card.path} xs={24} sm={12} xl={6}>
            <Link to={card.path} style={{ display: 'block', height: '100%' }}>
              <Card hoverable title={t(card.labelKey)} style={{ height: '100%' }}>
                <Typography.Paragraph type="secondary" style={{ minHeight: 44 }}>
                  {t(card.textKey)}
                </Typography.Paragraph>
                <span style={{ color: token.colorLink }}>
                  {t('home.open')} <ArrowRightOutlined />
                </span>
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </>
  );
}
