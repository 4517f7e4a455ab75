import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { client, unwrap } from './client';
import type { Body, GetQuery, Ok, PostOk } from './openapiTypes';

/*
 * Evaluation sessions, certificates, the public verification and subsidy claims (issue #6):
 * types, calls and queries in one file apart from client.ts, which other pages share.
 */

export type SessionPage = Ok<'/api/evaluation-sessions'>;
export type EvaluationSession = SessionPage['items'][number];
export type SessionQuery = GetQuery<'/api/evaluation-sessions'>;
export type SessionDetail = Ok<'/api/evaluation-sessions/{id}'>;
export type Candidate = SessionDetail['candidates'][number];
export type CandidateSource = Candidate['source'];
export type ScheduleBody = Body<'/api/evaluation-sessions'>;
export type SkillLevelKey = ScheduleBody['skillLevelKey'];
export type AddCandidateBody = Body<'/api/evaluation-sessions/{id}/candidates'>;
export type FromClassResult = PostOk<'/api/evaluation-sessions/{id}/candidates/from-class'>;
export type EligibleClass = Ok<'/api/evaluation-sessions/{id}/eligible-classes'>['items'][number];
export type SubmitResult = PostOk<'/api/evaluation-sessions/{id}/submit'>;
export type ScoresBody = Body<
  '/api/evaluation-sessions/{id}/candidates/{candidateId}/scores',
  'put'
>;
export type SpecialAbility = Ok<'/api/special-abilities'>['items'][number];

export type CertificatePage = Ok<'/api/certificates'>;
export type Certificate = CertificatePage['items'][number];
export type CertificateQuery = GetQuery<'/api/certificates'>;
export type CertificateStatus = Certificate['status'];
export type CertificateKind = Certificate['kind'];

export type VerifyAnswer = Ok<'/api/public/certificates/verify'>;

export type ClaimPage = Ok<'/api/subsidy-claims'>;
export type Claim = ClaimPage['items'][number];
export type ClaimQuery = GetQuery<'/api/subsidy-claims'>;
export type RedeemResult = PostOk<'/api/vouchers/{id}/redeem'>;
export type ClaimStatus = Claim['status'];
export type ClaimKind = Claim['kind'];
export type ClaimEvent = Ok<'/api/subsidy-claims/{id}/events'>['items'][number];
export type ReviewBody = Body<'/api/subsidy-claims/{id}/review'>;
export type TrialBalance = Ok<'/api/ledger/trial-balance'>;
export type LedgerAccount = TrialBalance['accounts'][number];

const withKey = (idempotencyKey: string) => ({ 'Idempotency-Key': idempotencyKey });

export const evaluationsApi = {
  sessions: (query: SessionQuery, signal?: AbortSignal) =>
    unwrap(client.GET('/api/evaluation-sessions', { params: { query }, signal }), signal),
  session: (id: string, signal?: AbortSignal) =>
    unwrap(
      client.GET('/api/evaluation-sessions/{id}', { params: { path: { id } }, signal }),
      signal,
    ),
  schedule: (body: ScheduleBody, idempotencyKey: string) =>
    unwrap(client.POST('/api/evaluation-sessions', { body, headers: withKey(idempotencyKey) })),
  addCandidate: (id: string, body: AddCandidateBody, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/evaluation-sessions/{id}/candidates', {
        params: { path: { id } },
        body,
        headers: withKey(idempotencyKey),
      }),
    ),
  eligibleClasses: (id: string, signal?: AbortSignal) =>
    unwrap(
      client.GET('/api/evaluation-sessions/{id}/eligible-classes', {
        params: { path: { id } },
        signal,
      }),
      signal,
    ),
  addFromClass: (id: string, classId: string, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/evaluation-sessions/{id}/candidates/from-class', {
        params: { path: { id } },
        body: { classId },
        headers: withKey(idempotencyKey),
      }),
    ),
  scores: (id: string, candidateId: string, body: ScoresBody) =>
    unwrap(
      client.PUT('/api/evaluation-sessions/{id}/candidates/{candidateId}/scores', {
        params: { path: { id, candidateId } },
        body,
      }),
    ),
  submit: (id: string, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/evaluation-sessions/{id}/submit', {
        params: { path: { id } },
        headers: withKey(idempotencyKey),
      }),
    ),
  sample: (id: string, note: string, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/evaluation-sessions/{id}/sample', {
        params: { path: { id } },
        body: { note },
        headers: withKey(idempotencyKey),
      }),
    ),
  specialAbilities: (occupationCode: string | undefined, signal?: AbortSignal) =>
    unwrap(
      client.GET('/api/special-abilities', {
        params: { query: occupationCode ? { occupationCode } : {} },
        signal,
      }),
      signal,
    ),
};

export const certificatesApi = {
  list: (query: CertificateQuery, signal?: AbortSignal) =>
    unwrap(client.GET('/api/certificates', { params: { query }, signal }), signal),
  get: (id: string, signal?: AbortSignal) =>
    unwrap(client.GET('/api/certificates/{id}', { params: { path: { id } }, signal }), signal),
  revoke: (id: string, reason: string, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/certificates/{id}/revoke', {
        params: { path: { id } },
        body: { reason },
        headers: withKey(idempotencyKey),
      }),
    ),
  /** The signed credential (application/vc+jwt), downloaded by a plain link with the cookie. */
  credentialUrl: (id: string) => `/api/certificates/${encodeURIComponent(id)}/credential`,
  verify: (no: string, name: string, signal?: AbortSignal) =>
    unwrap(
      client.GET('/api/public/certificates/verify', { params: { query: { no, name } }, signal }),
      signal,
    ),
};

export const subsidiesApi = {
  claims: (query: ClaimQuery, signal?: AbortSignal) =>
    unwrap(client.GET('/api/subsidy-claims', { params: { query }, signal }), signal),
  claim: (id: string, signal?: AbortSignal) =>
    unwrap(client.GET('/api/subsidy-claims/{id}', { params: { path: { id } }, signal }), signal),
  events: (id: string, signal?: AbortSignal) =>
    unwrap(
      client.GET('/api/subsidy-claims/{id}/events', { params: { path: { id } }, signal }),
      signal,
    ),
  review: (id: string, body: ReviewBody, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/subsidy-claims/{id}/review', {
        params: { path: { id } },
        body,
        headers: withKey(idempotencyKey),
      }),
    ),
  trialBalance: (signal?: AbortSignal) =>
    unwrap(client.GET('/api/ledger/trial-balance', { signal }), signal),
  redeem: (voucherId: string, idempotencyKey: string) =>
    unwrap(
      client.POST('/api/vouchers/{id}/redeem', {
        params: { path: { id: voucherId } },
        headers: withKey(idempotencyKey),
      }),
    ),
};

export const evaluationQueries = {
  sessions: (query: SessionQuery) =>
    queryOptions({
      queryKey: ['evaluations', 'list', query],
      queryFn: ({ signal }) => evaluationsApi.sessions(query, signal),
      placeholderData: keepPreviousData,
    }),
  session: (id: string) =>
    queryOptions({
      queryKey: ['evaluations', 'one', id],
      queryFn: ({ signal }) => evaluationsApi.session(id, signal),
    }),
  eligibleClasses: (sessionId: string) =>
    queryOptions({
      queryKey: ['evaluations', 'eligible-classes', sessionId],
      queryFn: ({ signal }) => evaluationsApi.eligibleClasses(sessionId, signal),
    }),
  specialAbilities: (occupationCode: string | undefined) =>
    queryOptions({
      queryKey: ['evaluations', 'special-abilities', occupationCode ?? ''],
      queryFn: ({ signal }) => evaluationsApi.specialAbilities(occupationCode, signal),
      staleTime: 5 * 60_000,
    }),
  certificates: (query: CertificateQuery) =>
    queryOptions({
      queryKey: ['certificates', 'list', query],
      queryFn: ({ signal }) => certificatesApi.list(query, signal),
      placeholderData: keepPreviousData,
    }),
  certificate: (id: string) =>
    queryOptions({
      queryKey: ['certificates', 'one', id],
      queryFn: ({ signal }) => certificatesApi.get(id, signal),
    }),
  verify: (no: string, name: string) =>
    queryOptions({
      queryKey: ['verify', no, name],
      queryFn: ({ signal }) => certificatesApi.verify(no, name, signal),
      retry: false,
      staleTime: 30_000,
    }),
  claims: (query: ClaimQuery) =>
    queryOptions({
      queryKey: ['subsidyClaims', 'list', query],
      queryFn: ({ signal }) => subsidiesApi.claims(query, signal),
      placeholderData: keepPreviousData,
    }),
  claim: (id: string) =>
    queryOptions({
      queryKey: ['subsidyClaims', 'one', id],
      queryFn: ({ signal }) => subsidiesApi.claim(id, signal),
    }),
  claimEvents: (id: string) =>
    queryOptions({
      queryKey: ['subsidyClaims', 'events', id],
      queryFn: ({ signal }) => subsidiesApi.events(id, signal),
    }),
  trialBalance: () =>
    queryOptions({
      queryKey: ['ledger', 'trial-balance'],
      queryFn: ({ signal }) => subsidiesApi.trialBalance(signal),
    }),
};

export const useSessions = (query: SessionQuery) => useQuery(evaluationQueries.sessions(query));
export const useSession = (id: string) => useQuery(evaluationQueries.session(id));
export const useCertificates = (query: CertificateQuery) =>
  useQuery(evaluationQueries.certificates(query));
export const useCertificate = (id: string) => useQuery(evaluationQueries.certificate(id));
export const useClaims = (query: ClaimQuery) => useQuery(evaluationQueries.claims(query));
export const useClaim = (id: string) => useQuery(evaluationQueries.claim(id));
export const useClaimEvents = (id: string) => useQuery(evaluationQueries.claimEvents(id));
export const useTrialBalance = () => useQuery(evaluationQueries.trialBalance());
