import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Flex, QRCode, Spin } from 'antd';
import { Link, useParams } from 'react-router';
import { useCertificate, type Certificate } from '../../api/evaluations';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../components/PageTitle';
import { translate, useT, type MessageKey } from '../../i18n';
import { certificateLevel, certificateTitleKey, verifyUrl } from './certificateCatalog';

/** The paper certificate is Chinese whatever the interface language. */
const zh = (key: MessageKey) => translate('zh-CN', key);

/** 2026-03-01 → 2026年3月1日, as dates are printed on certificates. */
export function chineseDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

const PRINT_CSS = `
@page { size: A4 portrait; margin: 0; }
.jn-cert-sheet {
  position: relative; width: 210mm; min-height: 297mm; margin: 0 auto; padding: 28mm 22mm 20mm;
  box-sizing: border-box; background: #fff; color: #222; overflow: hidden;
  font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif;
  border: 1px solid #ddd; box-shadow: 0 2px 12px rgba(0,0,0,.12);
}
.jn-cert-frame { border: 3px double #a8071a; min-height: 241mm; padding: 16mm 14mm; box-sizing: border-box; }
.jn-cert-title { text-align: center; font-size: 30pt; letter-spacing: 6pt; color: #a8071a; margin: 0 0 14mm; }
.jn-cert-rows { display: grid; grid-template-columns: 34mm 1fr; row-gap: 6mm; font-size: 14pt; }
.jn-cert-label { color: #555; }
.jn-cert-value { font-weight: 600; word-break: break-all; }
.jn-cert-foot { display: flex; justify-content: space-between; align-items: flex-end; margin-top: 18mm; }
.jn-cert-qr-caption { font-size: 10pt; color: #555; text-align: center; margin-top: 2mm; }
.jn-cert-revoked {
  position: absolute; top: 110mm; left: 0; right: 0; text-align: center; transform: rotate(-20deg);
  font-size: 64pt; color: rgba(207, 19, 34, .35); border: 0; pointer-events: none;
}
@media print {
  html, body { background: #fff !important; }
  .jn-no-print { display: none !important; }
  .jn-cert-sheet { border: 0; box-shadow: none; margin: 0; }
}
`;

function Sheet({ certificate: c }: { certificate: Certificate }) {
  const url = verifyUrl(c.number, c.holderName);
  const rows: [MessageKey, string][] = [
    ['certificate.holder', c.holderName],
    ['certificate.idNumber', c.holderIdNumberMasked],
    ['certificate.occupation', c.occupationName],
    [
      c.kind === 'special_ability' ? 'certificate.specialAbility' : 'certificate.level',
      certificateLevel(c),
    ],
    ['certificate.number', c.number],
    ['certificate.issuer', c.issuerName],
    ['certificate.issuedOn', chineseDate(c.issuedOn)],
  ];
  return (
    <div className="jn-cert-sheet" data-testid="certificate-sheet" lang="zh-CN">
      <div className="jn-cert-frame">
        <h1 className="jn-cert-title">{zh(certificateTitleKey(c))}</h1>
        <div className="jn-cert-rows">
          {rows.map(([label, value]) => (
            <div key={label} style={{ display: 'contents' }}>
              <div className="jn-cert-label">{zh(label)}</div>
              <div className="jn-cert-value">{value}</div>
            </div>
          ))}
        </div>
        <div className="jn-cert-foot">
          <div style={{ fontSize: '12pt', color: '#555', maxWidth: '90mm' }}>
            {zh('certificate.print.note')}
          </div>
          <div data-testid="certificate-qr">
            <QRCode type="svg" value={url} size={132} errorLevel="M" bordered={false} />
            <div className="jn-cert-qr-caption">{zh('certificate.print.scan')}</div>
          </div>
        </div>
      </div>
      {c.status === 'revoked' ? (
        <div className="jn-cert-revoked">{zh('certificate.status.revoked')}</div>
      ) : null}
    </div>
  );
}

/** The certificate as an A4 page to print, with a QR code that opens the public check. */
export default function CertificatePrintPage() {
  const t = useT();
  const { id = '' } = useParams();
  const { data, error, isPending, refetch } = useCertificate(id);
  useDocumentTitle(data ? `${data.number}` : t('certificate.print'));
  if (isPending) return <Spin style={{ display: 'block', marginTop: 48 }} />;
  if (error || !data) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  return (
    <div style={{ background: '#f0f2f5', minHeight: '100vh', padding: '16px 0 32px' }}>
      <style>{PRINT_CSS}</style>
      <Flex className="jn-no-print" gap={8} justify="center" style={{ marginBottom: 16 }}>
        <Link to={`/certificates/${data.id}`}>
          <Button icon={<ArrowLeftOutlined />}>{t('certificate.print.back')}</Button>
        </Link>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('certificate.print.print')}
        </Button>
      </Flex>
      <Sheet certificate={data} />
    </div>
  );
}
