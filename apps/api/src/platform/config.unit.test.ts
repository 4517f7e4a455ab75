import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, assertSafeDatabaseUrl, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to port 3000, ./data and the embedded database', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.runJobs).toBe(true);
  });

  it('reads PORT, JINENG_DATA_DIR and DATABASE_URL', () => {
    const config = loadConfig({
      PORT: '8080',
      JINENG_DATA_DIR: '/srv/jineng',
      DATABASE_URL: 'postgres://app@db.example/jineng',
      JINENG_JOBS: '0',
    });
    expect(config).toMatchObject({
      port: 8080,
      dataDir: '/srv/jineng',
      databaseUrl: 'postgres://app@db.example/jineng',
      migrationDatabaseUrl: 'postgres://app@db.example/jineng',
      runJobs: false,
    });
  });

  it('reads the public URL and the verification rate limit with its exemptions', () => {
    const config = loadConfig({
      JINENG_PUBLIC_URL: 'https://jineng.example.gov.cn/',
      JINENG_VERIFY_RATE_LIMIT: '0',
      JINENG_VERIFY_RATE_LIMIT_ALLOW: '127.0.0.1, 10.0.0.0/8,',
    });
    expect(config.publicUrl).toBe('https://jineng.example.gov.cn');
    expect(config.verifyRateLimit).toBe(0);
    expect(config.verifyRateLimitAllow).toEqual(['127.0.0.1', '10.0.0.0/8']);
    const defaults = loadConfig({ PORT: '8080' });
    expect(defaults.publicUrl).toBe('http://localhost:8080');
    expect(defaults.verifyRateLimit).toBe(120);
    expect(defaults.verifyRateLimitAllow).toEqual([]);
    expect(() => loadConfig({ JINENG_PUBLIC_URL: 'ftp://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ JINENG_VERIFY_RATE_LIMIT: '-1' })).toThrow(ConfigError);
  });

  it('refuses a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'http' })).toThrow(ConfigError);
  });
});

describe('assertSafeDatabaseUrl', () => {
  it('refuses sslmode=disable to another machine', () => {
    expect(() =>
      assertSafeDatabaseUrl('postgres://u:p@10.1.2.3/jineng?sslmode=disable', false),
    ).toThrow(/sslmode=disable/);
  });

  it('allows it when told the network is trusted, and always on loopback', () => {
    expect(() =>
      assertSafeDatabaseUrl('postgres://u:p@10.1.2.3/jineng?sslmode=disable', true),
    ).not.toThrow();
    expect(() =>
      assertSafeDatabaseUrl('postgres://u:p@127.0.0.1:5432/jineng?sslmode=disable', false),
    ).not.toThrow();
  });

  it('refuses what is not a postgres URL', () => {
    expect(() => assertSafeDatabaseUrl('mysql://x@y/z', false)).toThrow(ConfigError);
    expect(() => assertSafeDatabaseUrl('not a url', false)).toThrow(ConfigError);
  });
});
