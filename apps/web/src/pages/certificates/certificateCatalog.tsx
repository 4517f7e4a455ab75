import { Tag } from 'antd';
import type { Certificate, CertificateStatus } from '../../api/evaluations';
import { useT } from '../../i18n';

export const CERTIFICATE_STATUSES = [
  'valid',
  'revoked',
] as const satisfies readonly CertificateStatus[];

const _allStatusesListed: [
  Exclude<CertificateStatus, (typeof CERTIFICATE_STATUSES)[number]>,
] extends [never]
  ? true
  : false = true;

export function isCertificateStatus(value: string | null): value is CertificateStatus {
  return CERTIFICATE_STATUSES.some((status) => status === value);
}

export function CertificateStatusTag({ status }: { status: CertificateStatus }) {
  const t = useT();
  return (
    <Tag color={status === 'valid' ? 'green' : 'red'}>{t(`certificate.status.${status}`)}</Tag>
  );
}

/**
 * The public check a certificate's QR code opens: number and holder name in the query, so the
 * page can ask the API at once. The origin is the browser's, i.e. the deployment's own.
 */
export function verifyUrl(number: string, holderName: string, origin = window.location.origin) {
  const query = new URLSearchParams({ no: number, name: holderName });
  return `${origin}/verify?${query.toString()}`;
}

/** 四级/中级工, or the 专项职业能力 item's name. */
export function certificateLevel(certificate: Certificate): string {
  return certificate.kind === 'special_ability'
    ? (certificate.specialAbilityName ?? certificate.skillLevelName)
    : certificate.skillLevelName;
}

/** The title printed on the certificate. */
export function certificateTitleKey(certificate: Pick<Certificate, 'kind'>) {
  return certificate.kind === 'special_ability'
    ? ('certificate.kind.special_ability' as const)
    : ('certificate.kind.skill_level' as const);
}
