import { describe, expect, it } from 'vitest';
import { StatusCache } from './status-cache.ts';

const entry = (runId: string, status: 'running' | 'completed' | 'failed' = 'running') => ({
  runId,
  orgId: 'o1',
  status,
  at: '2026-12-03T00:00:00Z',
});

describe('StatusCache', () => {
  it('keeps the latest status per run', () => {
    const c = new StatusCache();
    c.set(entry('r1'));
    c.set({ ...entry('r1'), status: 'suspended' });
    expect(c.get('o1', 'r1')?.status).toBe('suspended');
    expect(c.size).toBe(1);
  });

  it('never holds more than max runs, evicting the least recently used', () => {
    const c = new StatusCache({ max: 100 });
    for (let i = 0; i < 1000; i++) c.set(entry(`r${i}`));
    expect(c.size).toBe(100);
    expect(c.get('o1', 'r0')).toBeUndefined();
    expect(c.get('o1', 'r999')).toBeDefined();
  });

  it('expires live runs after the TTL and terminal runs much sooner', () => {
    let t = 1_000_000;
    const c = new StatusCache({ ttlMs: 3_600_000, terminalTtlMs: 60_000, now: () => t });
    c.set(entry('live'));
    c.set(entry('done', 'completed'));
    t += 61_000;
    expect(c.get('o1', 'done')).toBeUndefined();
    expect(c.get('o1', 'live')).toBeDefined();
    t += 3_600_000;
    expect(c.get('o1', 'live')).toBeUndefined();
  });

  it("treats another org's run as a miss", () => {
    const c = new StatusCache();
    c.set(entry('r1'));
    expect(c.get('o2', 'r1')).toBeUndefined();
  });
});
