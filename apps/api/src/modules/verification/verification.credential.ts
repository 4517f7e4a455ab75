import { SignJWT } from 'jose';
import type { CredentialKeys } from './verification.keys.js';
import type { CertificateRow } from '../certificates/certificates.repository.js';

/** The media type of a JWT-secured verifiable credential (W3C VC-JOSE-COSE). */
export const VC_JWT_MEDIA_TYPE = 'application/vc+jwt';

export const VC_CONTEXT = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
] as const;

/** The one revocation list so far: it grows by 16 KB blocks as certificates are issued. */
export const REVOCATION_LIST_ID = '1';

/** The public URL of the revocation status list credential. */
export function statusListUrl(publicUrl: string): string {
  return `${publicUrl}/api/public/status-lists/revocation/${REVOCATION_LIST_ID}`;
}

/** The evaluation institution as issuer: an identifier under this server, not a fetchable page. */
export function issuerId(publicUrl: string, organisationId: string): string {
  return `${publicUrl}/issuers/${organisationId}`;
}

function achievementOf(cert: CertificateRow, publicUrl: string) {
  if (cert.kind === 'special_ability') {
    const name = cert.specialAbilityName ?? cert.occupationName;
    return {
      id: `${publicUrl}/achievements/special-ability/${cert.specialAbilityCode ?? cert.occupationCode}`,
      type: ['Achievement'],
      achievementType: 'Certificate',
      name: `${name}（专项职业能力）`,
      description: `专项职业能力考核合格：${name}（${cert.occupationName}）`,
      humanCode: cert.specialAbilityCode ?? cert.occupationCode,
      criteria: { narrative: '经专项职业能力考核，操作技能考核成绩达到合格标准。' },
    };
  }
  return {
    id: `${publicUrl}/achievements/${cert.occupationCode}/${cert.skillLevelKey}`,
    type: ['Achievement'],
    achievementType: 'Certificate',
    name: `${cert.occupationName}（${cert.skillLevelName}）`,
    description: `职业技能等级证书：${cert.occupationName}，${cert.skillLevelName}`,
    humanCode: cert.occupationCode,
    criteria: {
      narrative:
        '经职业技能等级认定，理论知识考试和操作技能考核成绩均达到合格标准' +
        `（${cert.occupationName}，${cert.skillLevelName}）。`,
    },
  };
}

/**
 * The certificate as a W3C Verifiable Credential 2.0 in the Open Badges 3.0 shape. The holder
 * appears as on paper: the name and the masked ID number, both as OB3 IdentityObjects with
 * `hashed: false` — never the full number and never a hash of it (an 18-digit ID number's hash
 * falls to brute force in seconds, salted or not).
 */
export function certificateCredential(cert: CertificateRow, publicUrl: string) {
  const kindName = cert.kind === 'special_ability' ? '专项职业能力证书' : '职业技能等级证书';
  return {
    '@context': [...VC_CONTEXT],
    id: `urn:uuid:${cert.id}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${kindName} ${cert.number}`,
    issuer: {
      id: issuerId(publicUrl, cert.organisationId),
      type: ['Profile'],
      name: cert.issuerName,
    },
    // A civil date in China: the day starts at 00:00 Shanghai time.
    validFrom: `${cert.issuedOn}T00:00:00+08:00`,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityType: 'name',
          hashed: false,
          identityHash: cert.holderName,
        },
        {
          type: 'IdentityObject',
          identityType: 'ext:maskedNationalIdNumber',
          hashed: false,
          identityHash: cert.holderIdNumberMasked,
        },
      ],
      licenseNumber: cert.number,
      achievement: achievementOf(cert, publicUrl),
    },
    credentialStatus: {
      id: `${statusListUrl(publicUrl)}#${cert.statusListIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(cert.statusListIndex),
      statusListCredential: statusListUrl(publicUrl),
    },
  };
}

/** The revocation list as a BitstringStatusListCredential, issued by this server. */
export function statusListCredential(publicUrl: string, encodedList: string, builtAt: Date) {
  const url = statusListUrl(publicUrl);
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: publicUrl,
    validFrom: builtAt.toISOString(),
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      // Milliseconds a verifier may keep this list before fetching it again.
      ttl: 60_000,
      encodedList,
    },
  };
}

/**
 * Secures a credential as a compact JWS (VC-JOSE-COSE): header {alg EdDSA, typ vc+jwt, kid}, the
 * credential itself as the claims set, plus `iss` (the issuer's id), `jti` (the credential's id)
 * and `iat`.
 */
export async function signCredential(
  credential: { id: string; issuer: string | { id: string } },
  keys: CredentialKeys,
  issuedAt: Date,
): Promise<string> {
  const issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id;
  return new SignJWT({ ...credential })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: keys.current.kid })
    .setIssuer(issuer)
    .setJti(credential.id)
    .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
    .sign(keys.current.privateKey);
}
