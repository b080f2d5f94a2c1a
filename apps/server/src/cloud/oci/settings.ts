/** How the OCI adapter authenticates and where it points (from config.ts's `cloud` section). */
export interface OciSettings {
  auth: 'config' | 'instance' | 'resource';
  /** Config file path (`config` auth); null = the SDK default `~/.oci/config`. */
  configFile: string | null;
  profile: string;
  /** Overrides the region of the auth provider. */
  region: string | null;
  /** Compartment used when a call names none; null = the tenancy (root compartment). */
  compartmentId: string | null;
}

/** Adapter options beyond the settings: tests point every client at a local stand-in. */
export interface OciAdapterOptions {
  /** Every SDK client's endpoint (e.g. `http://127.0.0.1:port`) instead of the regional one. */
  endpoint?: string;
  /** SDK retries: `default` (3 attempts for retryable errors) or `none`. */
  retries?: 'default' | 'none';
}
