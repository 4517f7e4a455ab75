import autocannon from 'autocannon';
import pg from 'pg';
import type { BenchResult } from './lib.js';

const CONNECTIONS = 50;

interface Run {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

function hammer(url: string, seconds: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: seconds }, (error, result) => {
      if (error) return reject(error);
      resolve({
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx + result.errors + result.timeouts,
      });
    });
  });
}

/**
 * A certificate to verify: an existing valid one, else one written straight into the database
 * for a person already there (P1 imports many), issued by a bench evaluation institution.
 */
async function certificateToVerify(adminUrl: string): Promise<{ no: string; name: string }> {
  const db = new pg.Client({ connectionString: adminUrl });
  await db.connect();
  try {
    const existing = await db.query<{ number: string; holder_name: string }>(
      `SELECT number, holder_name FROM certificates WHERE status = 'valid' LIMIT 1`,
    );
    const found = existing.rows[0];
    if (found) return { no: found.number, name: found.holder_name };
    const person = await db.query<{ id: string; name: string; masked: string; region: string }>(
      `SELECT id, name, id_number_masked AS masked, region_code AS region FROM persons LIMIT 1`,
    );
    const holder = person.rows[0];
    if (!holder) throw new Error('P3 needs a person in the database (P1 imports them)');
    const organisation = await db.query<{ id: string }>(
      `INSERT INTO organisations (id, kind, name, region_code, evaluation_type, institution_code)
       VALUES (gen_random_uuid(), 'evaluation_institution', 'P3 压测评价机构', '411403', 'S', '0000')
       RETURNING id`,
    );
    const number = 'S000041000123264000001';
    await db.query(
      `INSERT INTO certificates (id, number, kind, person_id, occupation_code, occupation_level,
         skill_level_key, holder_name, holder_id_number_masked, organisation_id, issuer_name,
         issued_on, status, region_code, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, 'skill_level', $2, '6-01-01-01', 4, 'level4', $3, $4, $5,
         'P3 压测评价机构', current_date, 'valid', $6, now(), now())`,
      [number, holder.id, holder.name, holder.masked, organisation.rows[0]?.id, holder.region],
    );
    return { no: number, name: holder.name };
  } finally {
    await db.end();
  }
}

/**
 * P3: the public verify endpoint under autocannon at 50 connections vs the hello-world route of
 * the same server, each for `seconds`. The server runs with the bench client exempt from the
 * verify rate limit (see run.ts).
 */
export async function benchVerify(options: {
  port: number;
  adminUrl: string;
  seconds: number;
}): Promise<BenchResult[]> {
  const base = `http://127.0.0.1:${options.port}`;
  const { no, name } = await certificateToVerify(options.adminUrl);
  const verifyUrl = `${base}/api/public/certificates/verify?no=${no}&name=${encodeURIComponent(name)}`;
  const check = await fetch(verifyUrl);
  const answer = (await check.json()) as { result?: string };
  if (check.status !== 200 || answer.result !== 'valid') {
    throw new Error(`P3: verify answered ${check.status} ${JSON.stringify(answer)}`);
  }
  await hammer(`${base}/api/ping`, 2); // warm-up
  const hello = await hammer(`${base}/api/ping`, options.seconds);
  await hammer(verifyUrl, 2);
  const verify = await hammer(verifyUrl, options.seconds);
  if (hello.non2xx > 0 || verify.non2xx > 0) {
    throw new Error(`P3: ${hello.non2xx} / ${verify.non2xx} failed requests (rate limit?)`);
  }
  return [
    {
      id: 'P3',
      metric: `verify req/s at ${CONNECTIONS} connections vs hello-world (goal ratio ≥ 0.6)`,
      value: verify.requestsPerSecond,
      baseline: hello.requestsPerSecond,
      ratio: verify.requestsPerSecond / hello.requestsPerSecond,
      unit: 'req/s',
    },
    {
      id: 'P3',
      metric: 'verify latency p50',
      value: verify.p50,
      baseline: hello.p50,
      ratio: null,
      unit: 'ms',
    },
    {
      id: 'P3',
      metric: 'verify latency p99 (goal ≤ 20 ms)',
      value: verify.p99,
      baseline: 20,
      ratio: verify.p99 / 20,
      unit: 'ms',
    },
  ];
}
