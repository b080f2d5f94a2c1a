import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { ConfigError, envSchema, parseConfig, withOverrides } from '../src/config.ts';

const SECRET = 'x'.repeat(40);

describe('parseConfig', () => {
  it('has working defaults with an empty environment (embedded mode)', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './.cloudnow',
      database: { kind: 'pglite', dataDir: './.cloudnow/pgdata' },
      valkey: null,
      secret: null,
      logLevel: 'info',
      publicUrl: 'http://localhost:3000',
      corsOrigins: ['http://localhost:3000'],
      runWorker: true,
      migrateOnStart: true,
      shutdownTimeoutMs: 30_000,
      shutdownDrainDelayMs: 0,
      metricsToken: null,
      trustProxy: 'loopback,linklocal,uniquelocal',
      apiDocs: true,
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.database)).toBe(true);
    expect(Object.isFrozen(c.corsOrigins)).toBe(true);
  });

  it('treats empty strings as unset, and the container changes the HOST default', () => {
    expect(parseConfig({ PORT: '', LOG_LEVEL: '' }).port).toBe(3000);
    expect(parseConfig({ CLOUDNOW_CONTAINER: 'true' }).host).toBe('0.0.0.0');
    expect(parseConfig({ CLOUDNOW_CONTAINER: 'true', HOST: '10.0.0.1' }).host).toBe('10.0.0.1');
  });

  it('parses the PostgreSQL pool, Valkey, booleans, lists and TRUST_PROXY', () => {
    const c = parseConfig({
      DATABASE_URL: 'postgres://u@db:5432/cn',
      CLOUDNOW_SECRET: SECRET,
      DATABASE_POOL_MAX: '20',
      VALKEY_URL: 'redis://vk:6379',
      CLOUDNOW_RUN_WORKER: 'no',
      CORS_ORIGINS: 'https://a.example, https://b.example ,',
      PUBLIC_URL: 'https://portal.example/',
      TRUST_PROXY: 'false',
    });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/cn', poolMin: 2, poolMax: 20, idleSeconds: 30 });
    expect(c.valkey).toEqual({ url: 'redis://vk:6379', prefix: 'cloudnow:' });
    expect(c.runWorker).toBe(false);
    expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.publicUrl).toBe('https://portal.example');
    expect(c.trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseConfig({ PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' }).pressure.maxEventLoopDelayMs).toBe(0);
  });

  it('requires CLOUDNOW_SECRET with DATABASE_URL', () => {
    expect(() => parseConfig({ DATABASE_URL: 'postgres://u@db/cn' })).toThrow(ConfigError);
    expect(() => parseConfig({ DATABASE_URL: 'postgres://u@db/cn' })).toThrow(/CLOUDNOW_SECRET: required when DATABASE_URL is set/);
    expect(() => parseConfig({ DATABASE_URL: 'postgres://u@db/cn', CLOUDNOW_SECRET: 'short' })).toThrow(
      /CLOUDNOW_SECRET: must be at least 32/,
    );
    expect(parseConfig({ DATABASE_URL: 'postgres://u@db/cn', CLOUDNOW_SECRET: SECRET }).secret).toBe(SECRET);
  });

  it('names every invalid variable', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/^Invalid configuration:\n {2}PORT: /);
    expect(() => parseConfig({ PORT: '70000' })).toThrow(/PORT: /);
    let message = '';
    try {
      parseConfig({ PORT: '-1', LOG_LEVEL: 'loud', CLOUDNOW_RUN_WORKER: 'maybe' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/PORT: /);
    expect(message).toMatch(/LOG_LEVEL: /);
    expect(message).toMatch(/CLOUDNOW_RUN_WORKER: /);
  });

  it('withOverrides returns a frozen copy', () => {
    const c = withOverrides(parseConfig({}), { port: 8080 });
    expect(c.port).toBe(8080);
    expect(Object.isFrozen(c)).toBe(true);
  });
});

describe('README configuration table', () => {
  it('documents every environment variable of the schema, and no others', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
    const documented = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    const keys = Object.keys(envSchema.shape);
    expect(keys.filter((k) => !documented.includes(k))).toEqual([]);
    expect(documented.filter((k) => !keys.includes(k!))).toEqual([]);
  });
});
