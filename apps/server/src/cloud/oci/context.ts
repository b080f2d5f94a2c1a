import { clampLimit, type ListOptions } from '../types.ts';
import { createClients, type OciClients } from './clients.ts';
import { translateOciError } from './errors.ts';
import type { OciAdapterOptions, OciSettings } from './settings.ts';

/**
 * What every OCI operation uses: the lazily built SDK clients (one auth provider, built on first
 * use and reused) and `call`, which runs one SDK request and translates its failure.
 */
export class OciContext {
  private readonly settings: OciSettings;
  private readonly options: OciAdapterOptions;
  private built: Promise<OciClients> | null = null;

  constructor(settings: OciSettings, options: OciAdapterOptions) {
    this.settings = settings;
    this.options = options;
  }

  clients(): Promise<OciClients> {
    this.built ??= createClients(this.settings, this.options).catch((err) => {
      this.built = null;
      throw err;
    });
    return this.built;
  }

  /** Runs one SDK call; an OCI error becomes a CloudApiError naming service, operation and resource. */
  async call<T>(service: string, operation: string, what: string, fn: (c: OciClients) => Promise<T>): Promise<T> {
    const c = await this.clients();
    try {
      return await fn(c);
    } catch (err) {
      throw translateOciError(err, service, operation, what);
    }
  }

  /** The compartment a list targets: the named one, else the configured default (or the tenancy). */
  compartment(c: OciClients, o?: ListOptions): string {
    return o?.compartmentId ?? c.compartmentId;
  }

  limit(o?: { limit?: number }): number {
    return clampLimit(o?.limit);
  }
}

/** A page of SDK items mapped to slim shapes (OCI pages by token: `count` is what this page holds). */
export function pageOf<S, T>(items: S[] | undefined, map: (s: S) => T, limit: number) {
  const out = (items ?? []).slice(0, limit).map(map);
  return { items: out, count: out.length };
}
