import pg from 'pg';
import { keysDirOf, readOrCreateSecret } from '../apps/api/src/platform/keys.js';
import { signQrToken } from '../apps/api/src/modules/vouchers/vouchers.service.js';
import type { BenchResult } from './lib.js';

const ADMIN_PASSWORD = 'Bench-Pass-2026!';
const STAFF_PASSWORD = 'Bench-Staff-Pass-2026!';
const LEVELS = [1, 8, 32] as const;
/** Trainees per class: a typical class (the policy's classes hold 30–50). */
const CLASS_SIZE = 30;
/** The classes' one session: short, so a run never straddles Shanghai midnight for long. */
const SESSION_MINUTES = 16;
/** The evaluation institution's 4-digit code and its site's 6-digit 序列码 (certificate numbers). */
const INSTITUTION_CODE = '9000';
const SITE_SERIAL = '900001';
const REGION = '411403';
const VALUE_FEN = 150_000;
const STANDARD_FEN = 120_000;
/** The evaluation subsidy for a 五级 certificate (subsidy_policies). */
const EVALUATION_SUBSIDY_FEN = 20_000;

type Json = Record<string, unknown>;
type Call = ReturnType<typeof client>;

/**
 * One HTTP client. The API limits every client address to 600 requests a minute; each simulated
 * person gets its own `X-Forwarded-For` address (the server trusts the proxy header), as holders
 * and institutions in the field come from many addresses. Without it P2 would measure the limiter.
 */
function client(base: string) {
  return async function call(
    method: string,
    url: string,
    options: { token?: string; body?: Json; ip?: string; expect: number; idempotent?: boolean },
  ): Promise<Json> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    // As the web client does on the POSTs that take one: a fresh key per user action.
    if (options.idempotent) headers['idempotency-key'] = crypto.randomUUID();
    if (options.ip) headers['x-forwarded-for'] = options.ip;
    if (options.body) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${url}`, {
      method,
      headers,
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    if (response.status !== options.expect) {
      throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 500)}`);
    }
    return text ? (JSON.parse(text) as Json) : {};
  };
}

/** Shanghai civil date and HH:MM of an instant (UTC+8, no daylight saving). */
function shanghai(at: Date): { date: string; time: string } {
  const iso = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

/** Runs `count` jobs on `concurrency` workers; returns wall seconds and each job's ms, by index. */
async function runPool(
  count: number,
  concurrency: number,
  job: (index: number, worker: number) => Promise<void>,
): Promise<{ seconds: number; latencies: number[] }> {
  const latencies = new Array<number>(count).fill(0);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async (_, worker) => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        await job(i, worker);
        latencies[i] = performance.now() - t0;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies };
}

/**
 * When the classes' session runs: it began a minute ago and lasts SESSION_MINUTES, ending before
 * Shanghai midnight (a certificate counts for a class only from the class's last day, so a class
 * ending tomorrow could not be certified today). Within 5 minutes of midnight: waits for it.
 */
async function sessionWindow(): Promise<{ startsAt: Date; endsAt: Date; minutes: number }> {
  for (;;) {
    const now = Date.now();
    const startsAt = new Date(Math.floor(now / 60_000) * 60_000 - 60_000);
    const midnight = Date.parse(`${shanghai(startsAt).date}T23:59:00+08:00`);
    const minutes = Math.min(SESSION_MINUTES, Math.floor((midnight - startsAt.getTime()) / 60_000));
    if (minutes >= 6) {
      return { startsAt, endsAt: new Date(startsAt.getTime() + minutes * 60_000), minutes };
    }
    process.stderr.write('P2: waiting for Shanghai midnight to pass…\n');
    // Until 00:01, when a session that began a minute ago begins on the new day.
    await sleep(midnight + 121_000 - now);
  }
}

interface ClassRef {
  id: string;
  sessionId: string;
  startsAt: Date;
  endsAt: Date;
}

interface Setup {
  adminToken: string;
  staffToken: string;
  examinerToken: string;
  adminUserId: string;
  staffUserId: string;
  examinerUserId: string;
  trainingOrgId: string;
  evaluatorId: string;
  evaluatorName: string;
  siteId: string;
  scopeId: string;
  occupationCode: string;
  validTo: string;
  /** Per concurrency level: the classes of the API run and of the SQL run. */
  classes: { api: ClassRef[]; sql: ClassRef[] }[];
}

/**
 * Everything a loop needs before its first person, outside the timed part: a training
 * institution and its staff account, an evaluation institution with a site approved for the
 * occupation at 五级 and its examiner's account, and classes of CLASS_SIZE trainees filed by the
 * institution and approved by the administrator. A class is approved only before it starts, so
 * each is filed for tomorrow and its session then moved in the database to the window running
 * now — the state a class is in on its day. Its attendance threshold is set so that one minute
 * of attendance completes it (see benchLoop).
 */
async function setup(call: Call, db: pg.Client, perLevel: number): Promise<Setup> {
  const ip = '10.255.255.254';
  const login = async (username: string, password: string) =>
    (await call('POST', '/api/auth/login', { ip, body: { username, password }, expect: 200 }))
      .token as string;
  const adminToken = await login('admin', ADMIN_PASSWORD);
  const organisation = async (body: Json) =>
    (await call('POST', '/api/organisations', { token: adminToken, ip, body, expect: 201 }))
      .id as string;
  const account = async (username: string, role: string, organisationId: string) => {
    const created = await call('POST', '/api/users', {
      token: adminToken,
      ip,
      body: { username, displayName: `P2 ${role}`, role, organisationId },
      expect: 201,
    });
    const initial = await login(username, created.initialPassword as string);
    await call('POST', '/api/auth/password', {
      token: initial,
      ip,
      body: { currentPassword: created.initialPassword, newPassword: STAFF_PASSWORD },
      expect: 204,
    });
    return login(username, STAFF_PASSWORD);
  };

  const occupation = await db.query<{ code: string }>(
    'SELECT code FROM occupations WHERE level = 4 ORDER BY code LIMIT 1',
  );
  const plan = await db.query<{ plan_no: number; unit_id: string }>(
    'SELECT plan_no, unit_id FROM plan_units ORDER BY plan_no, position LIMIT 1',
  );
  const occupationCode = occupation.rows[0]?.code;
  const planUnit = plan.rows[0];
  if (!occupationCode || !planUnit) throw new Error('P2: reference data missing');
  const year = Number(shanghai(new Date()).date.slice(0, 4));

  const trainingOrgId = await organisation({
    kind: 'training_institution',
    name: 'P2 压测职业培训学校',
    regionCode: REGION,
  });
  const staffToken = await account('p2-staff', 'training_staff', trainingOrgId);
  const evaluatorName = 'P2 压测技能评价中心';
  const evaluatorId = await organisation({
    kind: 'evaluation_institution',
    name: evaluatorName,
    regionCode: REGION,
    evaluationType: 'S',
    institutionCode: INSTITUTION_CODE,
  });
  const site = await call('POST', `/api/organisations/${evaluatorId}/sites`, {
    token: adminToken,
    ip,
    body: { name: 'P2 压测考点', serialCode: SITE_SERIAL, regionCode: REGION },
    expect: 201,
  });
  const siteId = site.id as string;
  const scope = await call('POST', `/api/organisations/${evaluatorId}/sites/${siteId}/scopes`, {
    token: adminToken,
    ip,
    body: {
      occupationCode,
      skillLevelKey: 'level5',
      validFrom: `${year - 1}-01-01`,
      validTo: `${year + 1}-12-31`,
    },
    expect: 201,
  });
  const examinerToken = await account('p2-examiner', 'evaluation_staff', evaluatorId);

  const window = await sessionWindow();
  const tomorrow = shanghai(new Date(Date.now() + 86_400_000)).date;
  const fileClass = async (name: string): Promise<ClassRef> => {
    const filed = await call('POST', '/api/classes', {
      token: staffToken,
      ip,
      body: {
        name,
        occupationCode,
        skillLevelKey: 'level5',
        planNo: planUnit.plan_no,
        unitId: planUnit.unit_id,
        trainingType: 'pre_job',
        regionCode: REGION,
        address: '睢阳区压测路1号',
        capacity: CLASS_SIZE,
        subsidyStandardFen: STANDARD_FEN,
        // One minute of attendance out of `minutes` meets it (ceil(minutes × % / 100) = 1).
        attendanceThresholdPercent: Math.floor(100 / window.minutes),
        sessions: [
          {
            date: tomorrow,
            startTime: '09:00',
            endTime: `09:${String(window.minutes).padStart(2, '0')}`,
          },
        ],
        submit: true,
      },
      expect: 201,
    });
    const id = filed.id as string;
    await call('POST', `/api/classes/${id}/approve`, { token: adminToken, ip, expect: 200 });
    const session = (filed.sessions as Json[])[0];
    if (!session) throw new Error('P2: the class has no session');
    return { id, sessionId: session.id as string, ...window };
  };
  const perClass = Math.ceil(perLevel / CLASS_SIZE);
  const classes: Setup['classes'] = [];
  for (const level of LEVELS) {
    const api: ClassRef[] = [];
    const sql: ClassRef[] = [];
    for (let k = 0; k < perClass; k++) {
      api.push(await fileClass(`P2 压测培训班 API ${level}-${k + 1}`));
      sql.push(await fileClass(`P2 压测培训班 SQL ${level}-${k + 1}`));
    }
    classes.push({ api, sql });
  }
  const ids = classes.flatMap((c) => [...c.api, ...c.sql].map((x) => x.id));
  await db.query(
    'UPDATE class_sessions SET starts_at = $2, ends_at = $3 WHERE class_id = ANY($1)',
    [ids, window.startsAt, window.endsAt],
  );
  await db.query('UPDATE classes SET starts_at = $2, ends_at = $3 WHERE id = ANY($1)', [
    ids,
    window.startsAt,
    window.endsAt,
  ]);

  const users = await db.query<{ id: string; username: string }>(
    "SELECT id, username FROM users WHERE username IN ('admin', 'p2-staff', 'p2-examiner')",
  );
  const userId = (name: string) => {
    const id = users.rows.find((u) => u.username === name)?.id;
    if (!id) throw new Error(`P2: no user ${name}`);
    return id;
  };
  return {
    adminToken,
    staffToken,
    examinerToken,
    adminUserId: userId('admin'),
    staffUserId: userId('p2-staff'),
    examinerUserId: userId('p2-examiner'),
    trainingOrgId,
    evaluatorId,
    evaluatorName,
    siteId,
    scopeId: scope.id as string,
    occupationCode,
    validTo: `${year + 1}-12-31`,
    classes,
  };
}

/** Milliseconds per API step, summed over the persons of the 1-in-flight level (stderr only). */
type Steps = Map<string, number>;

async function timed<T>(steps: Steps | undefined, name: string, run: () => Promise<T>) {
  const t0 = performance.now();
  const result = await run();
  steps?.set(name, (steps.get(name) ?? 0) + performance.now() - t0);
  return result;
}

/**
 * The first half of a person's loop through the API, as the institution works through a roster
 * on the first day: the administrator issues the voucher, the institution binds it with the QR
 * the holder shows, and checks the trainee in to the running session.
 */
async function apiEnrol(
  call: Call,
  s: Setup,
  cls: ClassRef,
  qrKey: string,
  personId: string,
  ip: string,
  steps?: Steps,
): Promise<{ voucherId: string; checkedInAt: number }> {
  const voucher = await timed(steps, 'issue', () =>
    call('POST', '/api/vouchers', {
      token: s.adminToken,
      ip,
      idempotent: true,
      body: { personId, occupationCode: s.occupationCode, valueFen: VALUE_FEN, validTo: s.validTo },
      expect: 201,
    }),
  );
  const voucherId = voucher.id as string;
  // What the holder's phone shows (GET /api/me/vouchers/{id}/qr), signed with the server's key.
  const token = signQrToken(qrKey, { v: voucherId, p: personId, e: Date.now() + 60_000 });
  await timed(steps, 'bind', () =>
    call('POST', `/api/vouchers/${voucherId}/bind`, {
      token: s.staffToken,
      ip,
      idempotent: true,
      body: { classId: cls.id, token },
      expect: 200,
    }),
  );
  await timed(steps, 'check-in', () =>
    call('POST', `/api/classes/${cls.id}/sessions/${cls.sessionId}/checkins`, {
      token: s.staffToken,
      ip,
      body: { method: 'manual', personId, reason: '压测：人工签到' },
      expect: 201,
    }),
  );
  return { voucherId, checkedInAt: Date.now() };
}

/**
 * The second half, after the training: check-out, the institution records the pass (结业考核),
 * the evaluation institution schedules a session for the person, adds them as a voucher
 * candidate, enters the scores and submits (the certificate is issued and the voucher certified),
 * and the institution redeems the voucher for its training-subsidy claim.
 */
async function apiCertify(
  call: Call,
  s: Setup,
  cls: ClassRef,
  personId: string,
  voucherId: string,
  ip: string,
  steps?: Steps,
): Promise<void> {
  await timed(steps, 'check-out', () =>
    call('POST', `/api/classes/${cls.id}/sessions/${cls.sessionId}/checkouts`, {
      token: s.staffToken,
      ip,
      body: { method: 'manual', personId, reason: '压测：人工签退' },
      expect: 200,
    }),
  );
  await timed(steps, 'completion', () =>
    call('POST', `/api/classes/${cls.id}/completions`, {
      token: s.staffToken,
      ip,
      body: { results: [{ personId, result: 'passed', score: 88 }] },
      expect: 200,
    }),
  );
  const session = await timed(steps, 'evaluation session', () =>
    call('POST', '/api/evaluation-sessions', {
      token: s.examinerToken,
      ip,
      idempotent: true,
      body: {
        siteId: s.siteId,
        occupationCode: s.occupationCode,
        skillLevelKey: 'level5',
        heldOn: shanghai(new Date()).date,
      },
      expect: 201,
    }),
  );
  const evaluation = `/api/evaluation-sessions/${session.id as string}`;
  const candidate = await timed(steps, 'candidate', () =>
    call('POST', `${evaluation}/candidates`, {
      token: s.examinerToken,
      ip,
      idempotent: true,
      body: { personId, source: 'voucher', voucherId },
      expect: 201,
    }),
  );
  await timed(steps, 'scores', () =>
    call('PUT', `${evaluation}/candidates/${candidate.id as string}/scores`, {
      token: s.examinerToken,
      ip,
      body: { theoryScore: 82, practicalScore: 90 },
      expect: 200,
    }),
  );
  const submitted = await timed(steps, 'submit', () =>
    call('POST', `${evaluation}/submit`, {
      token: s.examinerToken,
      ip,
      idempotent: true,
      expect: 200,
    }),
  );
  if ((submitted.issued as unknown[]).length !== 1) {
    throw new Error(`P2: no certificate issued: ${JSON.stringify(submitted).slice(0, 300)}`);
  }
  const redeemed = await timed(steps, 'redeem', () =>
    call('POST', `/api/vouchers/${voucherId}/redeem`, {
      token: s.staffToken,
      ip,
      idempotent: true,
      expect: 201,
    }),
  );
  const claim = redeemed.claim as Json;
  if (claim.amountFen !== STANDARD_FEN) throw new Error(`P2: claim of ${String(claim.amountFen)}`);
}

interface Actor {
  userId: string;
  username: string;
  role: string;
}

/**
 * The same rows written by hand, transaction for transaction as the API commits them: every
 * insert and update, the row locks the API takes before writing (voucher, class, trainee,
 * evaluation session, certificate serial), the sequences, and an audit row with its sealing-queue
 * entry (one statement, as the API) for each audited change — without the reads, checks,
 * encryption, views and HTTP around them.
 */
async function sqlLoop(db: pg.Client, s: Setup, cls: ClassRef, personId: string, index: number) {
  const now = () => new Date();
  const admin: Actor = { userId: s.adminUserId, username: 'admin', role: 'city_admin' };
  const staff: Actor = { userId: s.staffUserId, username: 'p2-staff', role: 'training_staff' };
  const examiner: Actor = {
    userId: s.examinerUserId,
    username: 'p2-examiner',
    role: 'evaluation_staff',
  };
  const audit = async (
    actor: Actor,
    action: string,
    entityType: string,
    entityId: string,
    after: Json,
    details: Json | null = null,
  ) => {
    await db.query(
      `WITH event AS (
         INSERT INTO audit_events (id, occurred_at, actor_user_id, actor_username, actor_role,
           action, entity_type, entity_id, after, details, outcome, request_id, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'success', $11, '127.0.0.1')
         RETURNING id)
       INSERT INTO audit_unsealed (event_id) SELECT id FROM event`,
      [
        crypto.randomUUID(),
        now(),
        actor.userId,
        actor.username,
        actor.role,
        action,
        entityType,
        entityId,
        JSON.stringify(after),
        details === null ? null : JSON.stringify(details),
        `p2-${index}`,
      ],
    );
  };
  const event = async (
    voucherId: string,
    from: string | null,
    to: string,
    action: string,
    actor: Actor,
    details: Json | null,
  ) => {
    await db.query(
      `INSERT INTO voucher_events (id, voucher_id, from_state, to_state, action, actor_user_id, at, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        crypto.randomUUID(),
        voucherId,
        from,
        to,
        action,
        actor.userId,
        now(),
        details === null ? null : JSON.stringify(details),
      ],
    );
  };
  /** A submitted subsidy claim with its first claim event and audit row, as the API writes it. */
  const claim = async (c: {
    kind: 'training' | 'evaluation';
    payee: string;
    amountFen: number;
    voucherId: string | null;
    classId: string | null;
    certificateId: string;
    actor: Actor;
    columns: { occupationCode?: string; skillLevelKey?: string };
    evidence: Json;
  }) => {
    const serial = await db.query<{ n: string }>("SELECT nextval('subsidy_claim_serial_seq') AS n");
    const at = now();
    const number = `BT${String(at.getUTCFullYear() % 100).padStart(2, '0')}${String(serial.rows[0]?.n ?? 0).padStart(8, '0')}`;
    const claimId = crypto.randomUUID();
    await db.query(
      `INSERT INTO subsidy_claims (id, number, kind, payee_organisation_id, person_id, amount_fen,
         voucher_id, class_id, certificate_id, occupation_code, skill_level_key, evidence, status,
         region_code, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'submitted', $13, $14, $15, $15)`,
      [
        claimId,
        number,
        c.kind,
        c.payee,
        personId,
        c.amountFen,
        c.voucherId,
        c.classId,
        c.certificateId,
        c.columns.occupationCode ?? null,
        c.columns.skillLevelKey ?? null,
        JSON.stringify(c.evidence),
        REGION,
        c.actor.userId,
        at,
      ],
    );
    await db.query(
      `INSERT INTO claim_events (id, claim_id, from_status, to_status, action, actor_user_id, at,
         details)
       VALUES ($1, $2, NULL, 'submitted', 'submit', $3, $4, $5)`,
      [
        crypto.randomUUID(),
        claimId,
        c.actor.userId,
        at,
        JSON.stringify({ certificateId: c.certificateId }),
      ],
    );
    await audit(c.actor, 'subsidy_claim.submitted', 'subsidy_claim', claimId, {
      number,
      kind: c.kind,
      amountFen: c.amountFen,
    });
    return { claimId, number };
  };
  const lockVoucher = (voucherId: string) =>
    db.query('SELECT id FROM vouchers WHERE id = $1 FOR UPDATE', [voucherId]);
  const setVoucherState = (voucherId: string, state: string) =>
    db.query('UPDATE vouchers SET state = $2, updated_at = $3 WHERE id = $1', [
      voucherId,
      state,
      now(),
    ]);
  const tx = async (work: () => Promise<void>) => {
    await db.query('BEGIN');
    try {
      await work();
      await db.query('COMMIT');
    } catch (error) {
      await db.query('ROLLBACK');
      throw error;
    }
  };

  // Issue.
  const voucherId = crypto.randomUUID();
  await tx(async () => {
    const serial = await db.query<{ n: string }>("SELECT nextval('voucher_serial_seq') AS n");
    const number = `SQ99${String(serial.rows[0]?.n ?? index).padStart(7, '0')}0`;
    await db.query(
      `INSERT INTO vouchers (id, number, person_id, occupation_code, occupation_level, value_fen,
         valid_from, valid_to, state, issued_by, region_code, source, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 4, $5, current_date, $6, 'issued', $7, $8, 'issued', $9, $9)`,
      [
        voucherId,
        number,
        personId,
        s.occupationCode,
        VALUE_FEN,
        s.validTo,
        s.adminUserId,
        REGION,
        now(),
      ],
    );
    await event(voucherId, null, 'issued', 'issue', admin, null);
    await audit(admin, 'voucher.issued', 'voucher', voucherId, { id: voucherId, number, personId });
  });

  // Bind: voucher and class locked, trainee enrolled, person linked to the institution.
  await tx(async () => {
    await lockVoucher(voucherId);
    await db.query('SELECT id FROM classes WHERE id = $1 FOR UPDATE', [cls.id]);
    await db.query(
      `INSERT INTO class_trainees (id, class_id, person_id, voucher_id, enrolled_at, enrolled_by)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [crypto.randomUUID(), cls.id, personId, voucherId, now(), s.staffUserId],
    );
    await db.query(
      `INSERT INTO person_links (person_id, scope_kind, scope_id, created_at)
       VALUES ($1, 'organisation', $2, $3) ON CONFLICT DO NOTHING`,
      [personId, s.trainingOrgId, now()],
    );
    await audit(staff, 'class.trainee.enrolled', 'class', cls.id, { personId, voucherId });
    await db.query(
      `UPDATE vouchers SET state = 'bound', class_id = $2, organisation_id = $3,
         subsidy_standard_fen = $4, bound_at = $5, updated_at = $5
       WHERE id = $1`,
      [voucherId, cls.id, s.trainingOrgId, STANDARD_FEN, now()],
    );
    await event(voucherId, 'issued', 'bound', 'bind', staff, { classId: cls.id, method: 'qr' });
    await audit(staff, 'voucher.bound', 'voucher', voucherId, { state: 'bound', classId: cls.id });
  });

  // Check-in: the trainee row locked, attendance, and the voucher starts training.
  const attendanceId = crypto.randomUUID();
  await tx(async () => {
    await db.query(
      'SELECT id FROM class_trainees WHERE class_id = $1 AND person_id = $2 FOR UPDATE',
      [cls.id, personId],
    );
    await db.query(
      `INSERT INTO class_attendance (id, class_id, session_id, person_id, session_range,
         checked_in_at, check_in_method, check_in_reason, check_in_by)
       VALUES ($1, $2, $3, $4, tstzrange($5, $6), $7, 'manual', '压测：人工签到', $8)`,
      [
        attendanceId,
        cls.id,
        cls.sessionId,
        personId,
        cls.startsAt,
        cls.endsAt,
        now(),
        s.staffUserId,
      ],
    );
    await audit(staff, 'attendance.checked_in', 'class', cls.id, { id: attendanceId, personId });
    await lockVoucher(voucherId);
    await event(voucherId, 'bound', 'in_training', 'start_training', staff, {
      classId: cls.id,
      event: 'started',
    });
    await audit(staff, 'voucher.training_started', 'voucher', voucherId, { state: 'in_training' });
    await setVoucherState(voucherId, 'in_training');
  });

  // Check-out.
  await tx(async () => {
    await db.query(
      `UPDATE class_attendance SET checked_out_at = $2, check_out_method = 'manual',
         check_out_reason = '压测：人工签退', check_out_by = $3
       WHERE id = $1`,
      [attendanceId, now(), s.staffUserId],
    );
    await audit(staff, 'attendance.checked_out', 'class', cls.id, { id: attendanceId, personId });
  });

  // Completion: the class and the trainee row locked, the pass, and the voucher completed.
  await tx(async () => {
    await db.query('SELECT id FROM classes WHERE id = $1 FOR UPDATE', [cls.id]);
    await db.query(
      `UPDATE class_trainees SET completion_result = 'passed', completion_score = 88,
         attended_minutes = 1, completed_at = $3, completed_by = $4
       WHERE id = (SELECT id FROM class_trainees WHERE class_id = $1 AND person_id = $2 FOR UPDATE)`,
      [cls.id, personId, now(), s.staffUserId],
    );
    await audit(staff, 'class.completion.recorded', 'class', cls.id, {
      personId,
      result: 'passed',
    });
    await lockVoucher(voucherId);
    await event(voucherId, 'in_training', 'completed', 'complete', staff, {
      classId: cls.id,
      event: 'passed',
    });
    await audit(staff, 'voucher.completed', 'voucher', voucherId, { state: 'completed' });
    await setVoucherState(voucherId, 'completed');
  });

  // Evaluation session, candidate, scores.
  const sessionId = crypto.randomUUID();
  await tx(async () => {
    await db.query(
      `INSERT INTO evaluation_sessions (id, organisation_id, site_id, scope_id, occupation_code,
         occupation_level, skill_level_key, held_on, theory_pass_mark, practical_pass_mark, state,
         region_code, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 4, 'level5', $6, 60, 60, 'scheduled', $7, $8, $9, $9)`,
      [
        sessionId,
        s.evaluatorId,
        s.siteId,
        s.scopeId,
        s.occupationCode,
        shanghai(new Date()).date,
        REGION,
        s.examinerUserId,
        now(),
      ],
    );
    await audit(examiner, 'evaluation.session.scheduled', 'evaluation_session', sessionId, {
      id: sessionId,
    });
  });
  const lockSession = () =>
    db.query('SELECT id FROM evaluation_sessions WHERE id = $1 FOR UPDATE', [sessionId]);
  const candidateId = crypto.randomUUID();
  await tx(async () => {
    await lockSession();
    await db.query(
      `INSERT INTO evaluation_candidates (id, session_id, person_id, source, voucher_id,
         created_by, created_at, updated_at)
       VALUES ($1, $2, $3, 'voucher', $4, $5, $6, $6)`,
      [candidateId, sessionId, personId, voucherId, s.examinerUserId, now()],
    );
    await audit(examiner, 'evaluation.candidate.added', 'evaluation_candidate', candidateId, {
      personId,
      voucherId,
    });
    await db.query('UPDATE evaluation_sessions SET updated_at = $2 WHERE id = $1', [
      sessionId,
      now(),
    ]);
  });
  await tx(async () => {
    await lockSession();
    await db.query(
      `UPDATE evaluation_candidates SET theory_score = 82, practical_score = 90, result = 'pass',
         updated_at = $2 WHERE id = $1`,
      [candidateId, now()],
    );
    await audit(examiner, 'evaluation.scores.recorded', 'evaluation_candidate', candidateId, {
      theoryScore: 82,
      practicalScore: 90,
      result: 'pass',
    });
  });

  // Submit: the session locked and submitted, the next gapless serial, the certificate, and
  // the voucher certified.
  const certificateId = crypto.randomUUID();
  let certificateNumber = '';
  await tx(async () => {
    await lockSession();
    await db.query(
      `UPDATE evaluation_sessions SET state = 'submitted', submitted_by = $2, submitted_at = $3,
         updated_at = $3 WHERE id = $1`,
      [sessionId, s.examinerUserId, now()],
    );
    const issuedOn = shanghai(new Date()).date;
    const year = Number(issuedOn.slice(0, 4));
    const serial = await db.query<{ last_serial: number }>(
      `INSERT INTO certificate_serials (site_id, year, level_digit, last_serial)
       VALUES ($1, $2, 5, 1)
       ON CONFLICT (site_id, year, level_digit) DO UPDATE
         SET last_serial = certificate_serials.last_serial + 1
         WHERE certificate_serials.last_serial < 999999
       RETURNING last_serial`,
      [s.siteId, year],
    );
    const n = String(serial.rows[0]?.last_serial ?? 0).padStart(6, '0');
    certificateNumber = `S${INSTITUTION_CODE}41${SITE_SERIAL}${String(year % 100).padStart(2, '0')}5${n}`;
    await db.query(
      `INSERT INTO certificates (id, number, kind, person_id, occupation_code, occupation_level,
         skill_level_key, holder_name, holder_id_number_masked, organisation_id, site_id,
         issuer_name, issuing_province_code, session_id, candidate_id, issued_on, status,
         region_code, created_at, updated_at)
       SELECT $1, $2, 'skill_level', p.id, $3, 4, 'level5', p.name, p.id_number_masked, $4, $5,
         $6, '41', $7, $8, $9, 'valid', p.region_code, $10, $10
       FROM persons p WHERE p.id = $11`,
      [
        certificateId,
        certificateNumber,
        s.occupationCode,
        s.evaluatorId,
        s.siteId,
        s.evaluatorName,
        sessionId,
        candidateId,
        issuedOn,
        now(),
        personId,
      ],
    );
    await audit(examiner, 'certificate.issued', 'certificate', certificateId, {
      number: certificateNumber,
      personId,
      issuedOn,
    });
    await lockVoucher(voucherId);
    await db.query(
      `UPDATE vouchers SET state = 'certified', certificate_id = $2, certified_at = $3,
         updated_at = $3 WHERE id = $1`,
      [voucherId, certificateId, now()],
    );
    await event(voucherId, 'completed', 'certified', 'certify', examiner, { certificateId });
    await audit(examiner, 'voucher.certified', 'voucher', voucherId, {
      state: 'certified',
      certificateId,
    });
    // The evaluation subsidy (R-SUB-2): the worker paid nothing, so the institution claims
    // ¥200 for a 五级 certificate, with its first claim event.
    await claim({
      kind: 'evaluation',
      payee: s.evaluatorId,
      amountFen: EVALUATION_SUBSIDY_FEN,
      voucherId: null,
      classId: null,
      certificateId,
      actor: examiner,
      columns: { occupationCode: s.occupationCode, skillLevelKey: 'level5' },
      evidence: { certificateNumber, sessionId, candidateId, skillLevelKey: 'level5' },
    });
    await audit(examiner, 'evaluation.session.submitted', 'evaluation_session', sessionId, {
      state: 'submitted',
    });
  });

  // Redeem: the claim for min(value, standard), and the voucher redeemed.
  await tx(async () => {
    await lockVoucher(voucherId);
    const { claimId, number } = await claim({
      kind: 'training',
      payee: s.trainingOrgId,
      amountFen: STANDARD_FEN,
      voucherId,
      classId: cls.id,
      certificateId,
      actor: staff,
      columns: {},
      evidence: {
        valueFen: VALUE_FEN,
        subsidyStandardFen: STANDARD_FEN,
        rule: 'min(valueFen, subsidyStandardFen)',
        classId: cls.id,
        certificateId,
        certificateNumber,
      },
    });
    await setVoucherState(voucherId, 'redeemed');
    await event(voucherId, 'certified', 'redeemed', 'redeem', staff, {
      claimId,
      claimNumber: number,
      amountFen: STANDARD_FEN,
    });
    await audit(staff, 'voucher.redeemed', 'voucher', voucherId, {
      state: 'redeemed',
      claimId,
      amountFen: STANDARD_FEN,
    });
  });
}

/**
 * P2: a person's whole way through the voucher loop via the real HTTP API of the running server,
 * at 1, 8 and 32 persons in flight, against bare SQL doing the same writes on as many
 * connections. Per person: issue → QR bind → check-in | training | check-out → completion pass →
 * evaluation session → candidate → scores → submit (certificate; voucher certified) → redeem
 * (training-subsidy claim) — ten requests by three accounts (administrator, institution staff,
 * examiner).
 *
 * The clock is real. A pass needs attended minutes, and the server credits whole minutes between
 * check-in and check-out, so no trainee can complete less than a minute after checking in. The
 * loop therefore runs in two timed halves around an untimed minute of "training": every level
 * enrols and checks in its persons, then — while the trainees sit in class — the SQL baseline
 * and `whileTraining` (P3) run, then each level, once a minute has passed since its last
 * check-in, finishes its persons. A person's latency is the sum of their two halves; a level's
 * rate is its persons over the two halves' wall time. The SQL baseline has no such wait: it
 * writes the check-out right after the check-in.
 */
export async function benchLoop(options: {
  scale: number;
  port: number;
  dataDir: string;
  adminUrl: string;
  /** Runs while the trainees are in class (no P2 requests in flight). */
  whileTraining?: () => Promise<void>;
}): Promise<BenchResult[]> {
  const perLevel = Math.max(32, Math.min(Math.floor(options.scale / 20), 200));
  const call = client(`http://127.0.0.1:${options.port}`);
  const qrKey = await readOrCreateSecret(keysDirOf(options.dataDir), 'voucher-qr.key');
  const db = new pg.Client({ connectionString: options.adminUrl });
  await db.connect();
  const pool: pg.Client[] = [];
  try {
    const s = await setup(call, db, perLevel);
    const need = perLevel * LEVELS.length * 2;
    // The newest persons: P1's roster imports, with no history. The synthetic city's persons
    // (bench/city.ts) are older (UUIDv7 ids of 2022–2026) and hold vouchers and certificates.
    const newest = 'SELECT id FROM persons ORDER BY id DESC LIMIT $1';
    const persons = (await db.query<{ id: string }>(newest, [need])).rows.map((r) => r.id);
    if (persons.length < need) throw new Error(`P2 needs ${need} persons, found ${persons.length}`);
    for (let i = 0; i < Math.max(...LEVELS); i++) {
      const c = new pg.Client({ connectionString: options.adminUrl });
      await c.connect();
      pool.push(c);
    }
    // Persons of a level are spread over its classes in turn, as many institutions work at once.
    const classOf = (classes: ClassRef[], i: number) => {
      const cls = classes[i % classes.length];
      if (!cls) throw new Error('P2: no class');
      return cls;
    };
    const ipOf = (level: number, i: number) => `10.${level}.${(i >> 8) & 255}.${i & 255}`;
    const steps: Steps = new Map();

    const runs = LEVELS.map((concurrency, l) => ({
      concurrency,
      classes: s.classes[l] ?? { api: [], sql: [] },
      apiPersons: persons.slice(2 * l * perLevel, (2 * l + 1) * perLevel),
      sqlPersons: persons.slice((2 * l + 1) * perLevel, (2 * l + 2) * perLevel),
      vouchers: new Array<string>(perLevel).fill(''),
      lastCheckIn: 0,
      enrol: { seconds: 0, latencies: [] as number[] },
      certify: { seconds: 0, latencies: [] as number[] },
      sql: { seconds: 0, latencies: [] as number[] },
    }));
    for (const run of runs) {
      run.enrol = await runPool(perLevel, run.concurrency, async (i) => {
        const done = await apiEnrol(
          call,
          s,
          classOf(run.classes.api, i),
          qrKey,
          run.apiPersons[i] ?? '',
          ipOf(run.concurrency, i),
          run.concurrency === 1 ? steps : undefined,
        );
        run.vouchers[i] = done.voucherId;
        run.lastCheckIn = Math.max(run.lastCheckIn, done.checkedInAt);
      });
      process.stderr.write(`P2: ${run.concurrency} in flight enrolled and checked in\n`);
    }
    for (const run of runs) {
      run.sql = await runPool(perLevel, run.concurrency, async (i, worker) => {
        const c = pool[worker];
        if (!c) throw new Error('P2: no connection for the worker');
        await sqlLoop(c, s, classOf(run.classes.sql, i), run.sqlPersons[i] ?? '', i);
      });
    }
    process.stderr.write('P2: bare SQL baseline done\n');
    await options.whileTraining?.();
    for (const run of runs) {
      // A whole minute in class after the level's last check-in, then check-out.
      const waitMs = run.lastCheckIn + 61_000 - Date.now();
      if (waitMs > 0) {
        process.stderr.write(`P2: trainees in class for ${Math.ceil(waitMs / 1000)} s more…\n`);
        await sleep(waitMs);
      }
      run.certify = await runPool(perLevel, run.concurrency, async (i) => {
        await apiCertify(
          call,
          s,
          classOf(run.classes.api, i),
          run.apiPersons[i] ?? '',
          run.vouchers[i] ?? '',
          ipOf(run.concurrency, i),
          run.concurrency === 1 ? steps : undefined,
        );
      });
      process.stderr.write(`P2: ${run.concurrency} in flight completed, certified, redeemed\n`);
    }
    const breakdown = [...steps].map(([name, ms]) => `${name} ${(ms / perLevel).toFixed(1)}`);
    process.stderr.write(`P2: ms per request at 1 in flight: ${breakdown.join(', ')}\n`);

    const results: BenchResult[] = [];
    for (const run of runs) {
      const api = run.enrol.latencies.map((a, i) => a + (run.certify.latencies[i] ?? 0));
      api.sort((a, b) => a - b);
      const sql = [...run.sql.latencies].sort((a, b) => a - b);
      const apiRate = perLevel / (run.enrol.seconds + run.certify.seconds);
      const sqlRate = perLevel / run.sql.seconds;
      const label = `${perLevel} persons, ${run.concurrency} in flight`;
      const p50 = [percentile(api, 50), percentile(sql, 50)] as const;
      const p99 = [percentile(api, 99), percentile(sql, 99)] as const;
      results.push(
        {
          id: 'P2',
          metric: `full voucher loop (issue → bind → check-in/out → completion → evaluation → certificate → redeem) persons/s via API (${label}) vs bare SQL (goal ratio ≥ 0.25)`,
          value: apiRate,
          baseline: sqlRate,
          ratio: apiRate / sqlRate,
          unit: 'persons/s',
        },
        {
          id: 'P2',
          metric: `p50 latency of one person's 10-request loop via API vs bare SQL (${label})`,
          value: p50[0],
          baseline: p50[1],
          ratio: p50[0] / Math.max(0.001, p50[1]),
          unit: 'ms',
        },
        {
          id: 'P2',
          metric: `p99 latency of one person's 10-request loop via API vs bare SQL (${label})`,
          value: p99[0],
          baseline: p99[1],
          ratio: p99[0] / Math.max(0.001, p99[1]),
          unit: 'ms',
        },
      );
    }
    return results;
  } finally {
    await Promise.all(pool.map((c) => c.end()));
    await db.end();
  }
}
