import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';

/**
 * Stable error codes. The HTTP status lives here, next to the code, so a service never thinks
 * about HTTP and a client can switch on `code` without parsing text.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  /** The reporting month is closed by the city: its unit reports can no longer change (#8). */
  PERIOD_CLOSED: 409,
  /** A certificate issued elsewhere already recorded with this kind and number (#8). */
  CERTIFICATE_ALREADY_RECORDED: 409,
  /** The registry holds another name for this ID number: a report never renames a person (#8). */
  NAME_MISMATCH: 409,
  /** External certificates (#8): the number is missing, malformed or too long for its kind. */
  CERTIFICATE_NUMBER_REQUIRED: 400,
  CERTIFICATE_NUMBER_INVALID: 400,
  CERTIFICATE_NUMBER_TOO_LONG: 400,
  /** The level digit inside a certificate number is not the level reported (#8). */
  LEVEL_MISMATCH: 400,
  /** The year digits inside a certificate number are not the issue year's (#8). */
  YEAR_MISMATCH: 400,
  /** External certificates (#8): occupation, level, item, province and dates of the kind. */
  OCCUPATION_REQUIRED: 400,
  OCCUPATION_CODE_INVALID: 400,
  OCCUPATION_UNKNOWN: 400,
  SKILL_LEVEL_REQUIRED: 400,
  SKILL_LEVEL_NOT_APPLICABLE: 400,
  ITEM_NAME_REQUIRED: 400,
  ITEM_NAME_TOO_LONG: 400,
  ISSUING_PROVINCE_INVALID: 400,
  ISSUED_IN_FUTURE: 400,
  VALID_UNTIL_BEFORE_ISSUE: 400,
  /** No responsible unit has this id (#8). */
  UNIT_UNKNOWN: 400,
  /** Not a valid 公民身份号码 (GB 11643): the details name the rule it fails (#8). */
  ID_NUMBER_INVALID: 400,
  USERNAME_TAKEN: 409,
  PERSON_EXISTS: 409,
  ALREADY_REGISTERED: 409,
  REGISTRATION_MISMATCH: 409,
  /** Another organisation already has this unified social credit code. */
  USCC_TAKEN: 409,
  /** Another evaluation site already has this 序列码. */
  SERIAL_CODE_TAKEN: 409,
  /** An approval of the same site, occupation and level already covers some of these days. */
  SCOPE_OVERLAP: 409,
  /** Sites and approved scopes belong to evaluation institutions only. */
  NOT_AN_EVALUATION_INSTITUTION: 409,
  /** An import file without the columns every row needs (姓名, 身份证号码), or no header row. */
  IMPORT_HEADERS_MISSING: 400,
  /** An uploaded import file with no bytes. */
  IMPORT_FILE_EMPTY: 400,
  /** An xlsx that is corrupt, encrypted, ZIP64, hides data, or inflates past what it declares. */
  WORKBOOK_INVALID: 400,
  /** An import file that passed the checks but cannot be parsed (broken CSV quoting, bad XML). */
  IMPORT_FILE_UNREADABLE: 400,
  /** The failed-rows workbook of an import was deleted after its 7 days. */
  IMPORT_FILE_EXPIRED: 410,
  /** The class's state does not allow this (e.g. approving a draft, submitting an approved one). */
  CLASS_STATE_CONFLICT: 409,
  /** The class's first session has begun: it can no longer be submitted or approved. */
  CLASS_ALREADY_STARTED: 409,
  /** The class is not approved, or already finished: nobody can enrol. */
  CLASS_NOT_OPEN: 409,
  /** The class has as many trainees as its capacity. */
  CLASS_FULL: 409,
  /** The person is already a trainee of the class. */
  ALREADY_ENROLLED: 409,
  /** The person is not a trainee of the class. */
  NOT_A_TRAINEE: 409,
  /** The session is not running (check-in opens 30 minutes before it starts, closes at its end). */
  SESSION_NOT_RUNNING: 409,
  /** A session QR token that is malformed, forged, for another session, or older than 60 s. */
  QR_TOKEN_INVALID: 409,
  /** A face check-in whose device did not verify the face. */
  DEVICE_NOT_VERIFIED: 409,
  /** Already checked in to (or out of) this session. */
  ALREADY_CHECKED_IN: 409,
  /** Checked in to another session that overlaps this one in time. */
  ATTENDANCE_OVERLAP: 409,
  /** A check-out without a check-in. */
  NOT_CHECKED_IN: 409,
  /** Completion recorded before the class's last session began, or recorded already. */
  COMPLETION_NOT_ALLOWED: 409,
  /** A pass recorded for a trainee whose attendance is below the class's threshold. */
  ATTENDANCE_BELOW_THRESHOLD: 409,
  /** The same Idempotency-Key is still being answered for its first request. */
  IDEMPOTENCY_IN_FLIGHT: 409,
  /** An Idempotency-Key sent again with a different request (method, path or body). */
  IDEMPOTENCY_KEY_REUSED: 422,
  /** The voucher is past its validity (or already marked expired). */
  VOUCHER_EXPIRED: 409,
  /** The voucher's state does not allow this (bound already, cancelled, redeemed, …). */
  VOUCHER_STATE_CONFLICT: 409,
  /** The person already holds a live voucher for this occupation. */
  VOUCHER_LIVE_EXISTS: 409,
  /** The class's occupation is not the voucher's and not in its category. */
  VOUCHER_OCCUPATION_MISMATCH: 409,
  /** A voucher QR token that is forged, stale (over 60 s) or for another voucher or holder. */
  VOUCHER_TOKEN_INVALID: 400,
  /** The class cannot take vouchers: not approved, or not the caller's institution's. */
  CLASS_NOT_BINDABLE: 409,
  /** Redeem without a valid certificate behind the voucher: 无证无价, no claim is made. */
  VOUCHER_NOT_CERTIFIED: 409,
  /** The certificate was revoked: it certifies nothing and blocks redemption. */
  CERTIFICATE_REVOKED: 409,
  /** The site is not approved for this occupation and level on that day (or not the caller's). */
  OUT_OF_SCOPE: 403,
  /** The evaluation session's results were submitted: scores and candidates are locked. */
  RESULTS_LOCKED: 409,
  /** A session submitted with candidates neither scored nor marked absent. */
  SCORES_INCOMPLETE: 409,
  /** The person is already a candidate of this session. */
  CANDIDATE_EXISTS: 409,
  /** The candidate's voucher is not a completed one matching the session's occupation and level. */
  CANDIDATE_NOT_ELIGIBLE: 409,
  /** The person already holds a valid certificate for this occupation and level. */
  CERTIFICATE_EXISTS: 409,
  /** All 999,999 serials of a site, year and level are used. */
  CERTIFICATE_SERIALS_EXHAUSTED: 409,
  /** Another 专项职业能力 item already has this code. */
  SPECIAL_ABILITY_CODE_TAKEN: 409,
  /** The claim's status does not allow this review (already reviewed at this stage, rejected, …). */
  CLAIM_STATE_CONFLICT: 409,
  /** Four eyes: the account already reviewed this claim and may not review it again. */
  SAME_REVIEWER: 409,
  /** The claim is flagged (e.g. its certificate was revoked): it cannot be approved. */
  CLAIM_FLAGGED: 409,
  /** The fund may not pay claims of this kind (funds' kinds: fund_claim_kinds). */
  FUND_NOT_ALLOWED: 409,
  /** A payment batch with no claim that can go: none approved, unflagged, of that fund and payer. */
  NOTHING_TO_PAY: 409,
  /** Payment results for a batch whose bank file has not been exported yet. */
  BATCH_NOT_EXPORTED: 409,
  /** A payment line already paid (or failed) reported with the other outcome. */
  LINE_ALREADY_SETTLED: 409,
  /** A repayment larger than what the payee still owes on the clawed-back claim. */
  OVERPAYMENT: 409,
  /** No person is registered with this ID number. */
  PERSON_NOT_FOUND: 404,
  /** The agency already recorded placing this person with this employer on this day. */
  PLACEMENT_EXISTS: 409,
  /** 2022's targets come from the policy's annexes (reference data): they are not edited (#9). */
  TARGETS_FROM_ANNEX: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** An import file over the upload cap. */
  IMPORT_FILE_TOO_LARGE: 413,
  /** An xlsx with too many entries or inflating past the caps (a zip bomb, or not a roster). */
  WORKBOOK_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** An import file whose content is neither xlsx nor CSV text, or disagrees with its name. */
  UNSUPPORTED_FILE_TYPE: 415,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Whether a database error is `sqlState` (23505 unique, 23P01 exclusion) on `constraint`. */
export function violates(error: unknown, sqlState: '23505' | '23P01', constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === sqlState && e.constraint === constraint;
}

export interface FieldError {
  /** JSON pointer-ish path of the offending field, e.g. `/body/phone` or `/query/page`. */
  path: string;
  message: string;
}

/** The one error type services throw; the API turns it into problem+json. */
export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    /** Response headers that belong to the error, e.g. `Retry-After` on a lockout. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.status = ERROR_STATUS[code];
  }
}

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);
export type Problem = Static<typeof ProblemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(
  status: number,
  code: string,
  detail: string,
  errors: FieldError[] = [],
): Problem {
  return {
    type: `https://jineng.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
    status,
    detail,
    code,
    errors,
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.status(body.status).type('application/problem+json; charset=utf-8').send(body);
}

interface AjvIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Ajv issues → field errors with a path a form can map onto its fields. */
function validationErrors(error: FastifyError): FieldError[] {
  const context = error.validationContext ?? 'body';
  return ((error.validation as AjvIssue[] | undefined) ?? []).map((issue) => {
    let path = `/${context}${issue.instancePath ?? ''}`;
    const missing = issue.params?.missingProperty;
    if (typeof missing === 'string') path += `/${missing}`;
    const extra = issue.params?.additionalProperty;
    if (typeof extra === 'string') path += `/${extra}`;
    return { path, message: issue.message ?? 'is invalid' };
  });
}

/** Sends any error as problem+json, with the headers a DomainError carries. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof DomainError) {
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  }
  return sendProblem(reply, toProblem(error, request));
}

/** Maps anything thrown in a request to problem+json; 5xx never carries internals. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof DomainError) {
    return problem(error.status, error.code, error.message, error.errors);
  }
  const e = error as FastifyError;
  if (e.validation) {
    const errors = validationErrors(e);
    return problem(400, 'VALIDATION_FAILED', 'The request is invalid', errors);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'This content type is not accepted here');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(400, 'BAD_REQUEST', 'Content-Length does not match the body');
  }
  if (e instanceof SyntaxError && (e as { statusCode?: number }).statusCode === 400) {
    return problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 429) return problem(429, 'RATE_LIMITED', 'Too many requests; slow down');
  if (status >= 400 && status < 500) {
    return problem(status, 'BAD_REQUEST', e.message || 'The request was not accepted');
  }
  request.log.error({ err: error }, 'unhandled error');
  return problem(500, 'INTERNAL', 'Something went wrong on our side; it has been logged');
}
