import pg from 'pg';
import { keysDirOf, readOrCreateSecret } from '../apps/api/src/platform/keys.js';
import { signQrToken } from '../apps/api/src/modules/vouchers/vouchers.service.js';
import type { BenchResult } from './lib.js';

const ADMIN_PASSWORD = 'Bench-Pass-2026!';
const STAFF_PASSWORD = 'Bench-Staff-Pass-2026!';
const LEVELS = [1, 8, 32] as const;

type Json = Record<string, unknown>;

/**
 * One HTTP client. The API limits every client address to 600 requests a minute; each simulated
 * person gets its own `X-Forwarded-For` address (the server trusts the proxy header), as holders
 * and institutions in the field come from many addresses. Without it P2 would measure the limiter.
 */
function client(base: string) {
  return async function call(
    method: string,
    url: string,
    options: { token?: string; body?: Json; ip?: string; expect: number },
  ): Promise<Json> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
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

/** Shanghai civil date and HH:MM of an instant. */
function shanghai(at: Date): { date: string; time: string } {
  const iso = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/**
 * A session that can still be approved (starts ≥ 5 minutes from now) and is already open for
 * check-in and check-out (both open 30 minutes before the start): 5–6 minutes ahead, 20 minutes
 * long, or from 00:00 when that would cross midnight in Shanghai (then ≤ 25 minutes ahead).
 */
function sessionNow(now: Date) {
  let start = new Date(Math.ceil((now.getTime() + 5 * 60_000) / 60_000) * 60_000);
  let end = new Date(start.getTime() + 20 * 60_000);
  if (shanghai(start).date !== shanghai(end).date) {
    start = new Date(Date.parse(`${shanghai(end).date}T00:00:00+08:00`));
    end = new Date(start.getTime() + 20 * 60_000);
  }
  const s = shanghai(start);
  return { date: s.date, startTime: s.time, endTime: shanghai(end).time };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

/** Runs `count` jobs on `concurrency` workers; returns wall seconds and each job's ms. */
async function runPool(
  count: number,
  concurrency: number,
  job: (index: number, worker: number) => Promise<void>,
): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async (_, worker) => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        await job(i, worker);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return {
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.sort((a, b) => a - b),
  };
}

interface Setup {
  adminToken: string;
  staffToken: string;
  adminUserId: string;
  staffUserId: string;
  classId: string;
  sessionId: string;
  sessionStartsAt: Date;
  sessionEndsAt: Date;
  occupationCode: string;
  validTo: string;
}

async function setup(call: ReturnType<typeof client>, db: pg.Client): Promise<Setup> {
  const login = async (username: string, password: string) =>
    (await call('POST', '/api/auth/login', { body: { username, password }, expect: 200 }))
      .token as string;
  const adminToken = await login('admin', ADMIN_PASSWORD);
  const organisation = await call('POST', '/api/organisations', {
    token: adminToken,
    body: { kind: 'training_institution', name: 'P2 压测职业培训学校', regionCode: '411403' },
    expect: 201,
  });
  const created = await call('POST', '/api/users', {
    token: adminToken,
    body: {
      username: 'p2-staff',
      displayName: 'P2 培训机构工作人员',
      role: 'training_staff',
      organisationId: organisation.id,
    },
    expect: 201,
  });
  const initial = await login('p2-staff', created.initialPassword as string);
  await call('POST', '/api/auth/password', {
    token: initial,
    body: { currentPassword: created.initialPassword, newPassword: STAFF_PASSWORD },
    expect: 204,
  });
  const staffToken = await login('p2-staff', STAFF_PASSWORD);

  const occupation = await db.query<{ code: string }>(
    'SELECT code FROM occupations WHERE level = 4 ORDER BY code LIMIT 1',
  );
  const plan = await db.query<{ plan_no: number; unit_id: string }>(
    'SELECT plan_no, unit_id FROM plan_units ORDER BY plan_no, position LIMIT 1',
  );
  const occupationCode = occupation.rows[0]?.code;
  const planUnit = plan.rows[0];
  if (!occupationCode || !planUnit) throw new Error('P2: reference data missing');
  const filed = await call('POST', '/api/classes', {
    token: staffToken,
    body: {
      name: 'P2 压测岗前培训班',
      occupationCode,
      skillLevelKey: 'level5',
      planNo: planUnit.plan_no,
      unitId: planUnit.unit_id,
      trainingType: 'pre_job',
      regionCode: '411403',
      address: '睢阳区压测路1号',
      capacity: 1000,
      subsidyStandardFen: 120_000,
      sessions: [sessionNow(new Date())],
      submit: true,
    },
    expect: 201,
  });
  const classId = filed.id as string;
  await call('POST', `/api/classes/${classId}/approve`, { token: adminToken, expect: 200 });
  const session = (filed.sessions as Json[])[0];
  if (!session) throw new Error('P2: the class has no session');
  const users = await db.query<{ id: string; username: string }>(
    "SELECT id, username FROM users WHERE username IN ('admin', 'p2-staff')",
  );
  const userId = (name: string) => {
    const id = users.rows.find((u) => u.username === name)?.id;
    if (!id) throw new Error(`P2: no user ${name}`);
    return id;
  };
  return {
    adminToken,
    staffToken,
    adminUserId: userId('admin'),
    staffUserId: userId('p2-staff'),
    classId,
    sessionId: session.id as string,
    sessionStartsAt: new Date(session.startsAt as string),
    sessionEndsAt: new Date(session.endsAt as string),
    occupationCode,
    validTo: `${new Date().getUTCFullYear() + 1}-12-31`,
  };
}

/** The person's loop through the API: four requests, as an institution works through a roster. */
async function apiLoop(
  call: ReturnType<typeof client>,
  s: Setup,
  qrKey: string,
  personId: string,
  ip: string,
) {
  const voucher = await call('POST', '/api/vouchers', {
    token: s.adminToken,
    ip,
    body: { personId, occupationCode: s.occupationCode, valueFen: 150_000, validTo: s.validTo },
    expect: 201,
  });
  const voucherId = voucher.id as string;
  // What the holder's phone shows (GET /api/me/vouchers/{id}/qr), signed with the server's key.
  const token = signQrToken(qrKey, { v: voucherId, p: personId, e: Date.now() + 60_000 });
  await call('POST', `/api/vouchers/${voucherId}/bind`, {
    token: s.staffToken,
    ip,
    body: { classId: s.classId, token },
    expect: 200,
  });
  const attendance = `/api/classes/${s.classId}/sessions/${s.sessionId}`;
  const body = { method: 'manual', personId, reason: '压测：人工签到' };
  await call('POST', `${attendance}/checkins`, { token: s.staffToken, ip, body, expect: 201 });
  await call('POST', `${attendance}/checkouts`, { token: s.staffToken, ip, body, expect: 200 });
}

/**
 * The same rows written by hand: per person four transactions (as the API commits four), each
 * with the inserts and updates the API makes — voucher, voucher events, trainee, person link,
 * attendance, and an audit row plus its sealing-queue entry for each audited change — without
 * the reads, checks, encryption and HTTP around them.
 */
async function sqlLoop(db: pg.Client, s: Setup, personId: string, index: number) {
  const now = () => new Date();
  const audit = async (action: string, entityType: string, entityId: string, after: Json) => {
    const id = crypto.randomUUID();
    await db.query(
      `INSERT INTO audit_events (id, occurred_at, actor_user_id, actor_username, actor_role,
         action, entity_type, entity_id, after, outcome, request_id, ip)
       VALUES ($1, $2, $3, 'p2-staff', 'training_staff', $4, $5, $6, $7, 'success', $8, '127.0.0.1')`,
      [
        id,
        now(),
        s.staffUserId,
        action,
        entityType,
        entityId,
        JSON.stringify(after),
        `p2-${index}`,
      ],
    );
    await db.query('INSERT INTO audit_unsealed (event_id) VALUES ($1)', [id]);
  };
  const voucherId = crypto.randomUUID();
  await db.query('BEGIN');
  const serial = await db.query<{ n: string }>("SELECT nextval('voucher_serial_seq') AS n");
  const number = `SQ99${String(serial.rows[0]?.n ?? index).padStart(7, '0')}0`;
  await db.query(
    `INSERT INTO vouchers (id, number, person_id, occupation_code, occupation_level, value_fen,
       valid_from, valid_to, state, issued_by, region_code, source, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 4, 150000, current_date, $5, 'issued', $6, '411403', 'issued', $7, $7)`,
    [voucherId, number, personId, s.occupationCode, s.validTo, s.adminUserId, now()],
  );
  await db.query(
    `INSERT INTO voucher_events (id, voucher_id, from_state, to_state, action, actor_user_id, at)
     VALUES ($1, $2, NULL, 'issued', 'issue', $3, $4)`,
    [crypto.randomUUID(), voucherId, s.adminUserId, now()],
  );
  await audit('voucher.issued', 'voucher', voucherId, { id: voucherId, number, personId });
  await db.query('COMMIT');

  await db.query('BEGIN');
  await db.query('SELECT id FROM vouchers WHERE id = $1 FOR UPDATE', [voucherId]);
  await db.query(
    `INSERT INTO class_trainees (id, class_id, person_id, voucher_id, enrolled_at, enrolled_by)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [crypto.randomUUID(), s.classId, personId, voucherId, now(), s.staffUserId],
  );
  await db.query(
    `INSERT INTO person_links (person_id, scope_kind, scope_id, created_at)
     VALUES ($1, 'organisation', (SELECT organisation_id FROM classes WHERE id = $2), $3)
     ON CONFLICT DO NOTHING`,
    [personId, s.classId, now()],
  );
  await audit('class.trainee.enrolled', 'class', s.classId, { personId, voucherId });
  await db.query(
    `UPDATE vouchers SET state = 'bound', class_id = $2,
       organisation_id = (SELECT organisation_id FROM classes WHERE id = $2),
       subsidy_standard_fen = 120000, bound_at = $3, updated_at = $3, version = version + 1
     WHERE id = $1`,
    [voucherId, s.classId, now()],
  );
  await db.query(
    `INSERT INTO voucher_events (id, voucher_id, from_state, to_state, action, actor_user_id, at, details)
     VALUES ($1, $2, 'issued', 'bound', 'bind', $3, $4, $5)`,
    [
      crypto.randomUUID(),
      voucherId,
      s.staffUserId,
      now(),
      JSON.stringify({ classId: s.classId, method: 'qr' }),
    ],
  );
  await audit('voucher.bound', 'voucher', voucherId, { state: 'bound', classId: s.classId });
  await db.query('COMMIT');

  const attendanceId = crypto.randomUUID();
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO class_attendance (id, class_id, session_id, person_id, session_range,
       checked_in_at, check_in_method, check_in_reason, check_in_by)
     VALUES ($1, $2, $3, $4, tstzrange($5, $6), $7, 'manual', '压测：人工签到', $8)`,
    [
      attendanceId,
      s.classId,
      s.sessionId,
      personId,
      s.sessionStartsAt,
      s.sessionEndsAt,
      now(),
      s.staffUserId,
    ],
  );
  await audit('attendance.checked_in', 'class', s.classId, { id: attendanceId, personId });
  await db.query('COMMIT');

  await db.query('BEGIN');
  await db.query(
    `UPDATE class_attendance SET checked_out_at = $2, check_out_method = 'manual',
       check_out_reason = '压测：人工签退', check_out_by = $3
     WHERE id = $1`,
    [attendanceId, now(), s.staffUserId],
  );
  await audit('attendance.checked_out', 'class', s.classId, { id: attendanceId, personId });
  await db.query('COMMIT');
}

/**
 * P2: a person's way from voucher to attendance through the real HTTP API of the running server —
 * issue (city administrator), bind with the holder's QR token, manual check-in and check-out by
 * the institution's staff — at 1, 8 and 32 persons in flight, against bare SQL doing the same
 * writes on as many connections. Completion is not in the loop: it is recorded only once the
 * class's last session has begun, and a class is approved only before its first session starts,
 * so a live run cannot reach it without waiting for the clock.
 */
export async function benchLoop(options: {
  scale: number;
  port: number;
  dataDir: string;
  adminUrl: string;
}): Promise<BenchResult[]> {
  const perLevel = Math.max(8, Math.min(Math.floor(options.scale / 10), 200));
  const call = client(`http://127.0.0.1:${options.port}`);
  const qrKey = await readOrCreateSecret(keysDirOf(options.dataDir), 'voucher-qr.key');
  const db = new pg.Client({ connectionString: options.adminUrl });
  await db.connect();
  const pool: pg.Client[] = [];
  try {
    const s = await setup(call, db);
    const need = perLevel * LEVELS.length * 2;
    const persons = (
      await db.query<{ id: string }>('SELECT id FROM persons ORDER BY id LIMIT $1', [need])
    ).rows.map((r) => r.id);
    if (persons.length < need) throw new Error(`P2 needs ${need} persons, found ${persons.length}`);
    for (let i = 0; i < Math.max(...LEVELS); i++) {
      const c = new pg.Client({ connectionString: options.adminUrl });
      await c.connect();
      pool.push(c);
    }
    const results: BenchResult[] = [];
    let taken = 0;
    let clientNo = 0;
    for (const concurrency of LEVELS) {
      const apiPersons = persons.slice(taken, taken + perLevel);
      const sqlPersons = persons.slice(taken + perLevel, taken + 2 * perLevel);
      taken += 2 * perLevel;
      const api = await runPool(perLevel, concurrency, async (i) => {
        const n = ++clientNo;
        const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
        await apiLoop(call, s, qrKey, apiPersons[i] ?? '', ip);
      });
      const sql = await runPool(perLevel, concurrency, async (i, worker) => {
        const c = pool[worker];
        if (!c) throw new Error('P2: no connection for the worker');
        await sqlLoop(c, s, sqlPersons[i] ?? '', i);
      });
      process.stderr.write(`P2: ${concurrency} in flight done\n`);
      const apiRate = perLevel / api.seconds;
      const sqlRate = perLevel / sql.seconds;
      const label = `${perLevel} persons, ${concurrency} in flight`;
      results.push(
        {
          id: 'P2',
          metric: `voucher issue → QR bind → check-in → check-out persons/s via API (${label}) vs bare SQL (goal ratio ≥ 0.25; completion not measured)`,
          value: apiRate,
          baseline: sqlRate,
          ratio: apiRate / sqlRate,
          unit: 'persons/s',
        },
        {
          id: 'P2',
          metric: `p50 latency of one person's 4-request loop via API vs bare SQL (${label})`,
          value: percentile(api.latencies, 50),
          baseline: percentile(sql.latencies, 50),
          ratio: percentile(api.latencies, 50) / Math.max(0.001, percentile(sql.latencies, 50)),
          unit: 'ms',
        },
        {
          id: 'P2',
          metric: `p99 latency of one person's 4-request loop via API vs bare SQL (${label})`,
          value: percentile(api.latencies, 99),
          baseline: percentile(sql.latencies, 99),
          ratio: percentile(api.latencies, 99) / Math.max(0.001, percentile(sql.latencies, 99)),
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
