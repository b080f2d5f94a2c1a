import type { Kysely } from 'kysely';
import type { Actor } from '@cloudnow/shared';
import type { Cache } from '../../plugins/cache.ts';
import type { DB } from '../../db/schema.ts';
import { withTenant, type Executor } from '../../db/tenant.ts';
import { recordAdminChange } from '../admin-audit/admin-audit.service.ts';
import { selectAllSettings, upsertSettings } from './settings.repository.ts';
import { SETTING_DEFAULTS, type SettingKey, type Settings } from './settings.schemas.ts';

/** Reads and writes portal settings through the cache (one query on a miss, invalidated on write on every replica). */
export interface SettingsService {
  /** All settings (defaults filled in); 0 queries when warm. */
  all(): Promise<Settings>;
  get<K extends SettingKey>(key: K): Promise<Settings[K]>;
  /** Admin update: validated upstream; one upsert + one audit row in one transaction, then invalidation. */
  update(actor: Actor, patch: Partial<Settings>): Promise<Settings>;
  /** System write (setup wizard); `exec` lets the caller put it in its own transaction. */
  write(patch: Partial<Settings>, updatedBy: string | null, exec?: Executor): Promise<void>;
  /** Drops the cached copy on every replica. */
  invalidate(): Promise<void>;
}

const NS = 'settings';
const KEY = 'all';

/** Builds the settings service over a lazily-available database (`db()` throws 503 until ready). */
export function createSettingsService(deps: { db: () => Kysely<DB>; cache: Pick<Cache, 'getOrFetch' | 'del'> }): SettingsService {
  const load = async (): Promise<Settings> => {
    const rows = await selectAllSettings(deps.db());
    const out: Record<string, unknown> = { ...SETTING_DEFAULTS };
    for (const r of rows) if (r.key in SETTING_DEFAULTS) out[r.key] = r.value;
    return out as unknown as Settings;
  };
  const service: SettingsService = {
    all: () => deps.cache.getOrFetch(NS, KEY, load),
    async get(key) {
      return (await service.all())[key];
    },
    async update(actor, patch) {
      const before = await load();
      const changed = Object.fromEntries(
        Object.entries(patch).filter(([k, v]) => JSON.stringify(before[k as SettingKey]) !== JSON.stringify(v)),
      );
      if (Object.keys(changed).length > 0) {
        await withTenant(deps.db(), actor.orgId, async (tx) => {
          await upsertSettings(tx, changed, actor.userId);
          const from = Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as SettingKey]]));
          await recordAdminChange(tx, actor, {
            action: 'settings.update',
            targetType: 'settings',
            targetId: null,
            before: from,
            after: changed,
          });
        });
        await service.invalidate();
      }
      return { ...before, ...changed } as Settings;
    },
    async write(patch, updatedBy, exec) {
      await upsertSettings(exec ?? deps.db(), patch, updatedBy);
      if (!exec) await service.invalidate();
    },
    invalidate: () => deps.cache.del(NS, KEY),
  };
  return service;
}
