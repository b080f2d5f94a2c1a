import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import createError from '@fastify/error';
import ipaddr from 'ipaddr.js';

/**
 * SSRF guard for every URL an admin or user hands us that the server will fetch (IdP discovery,
 * webhooks, MCP servers, AI provider base URLs). `assertPublicUrl` allows only https, refuses IP
 * literals and names that are — or resolve to — anything but public unicast addresses, and
 * returns the addresses it checked so the caller connects to exactly those (`pinnedLookup`),
 * closing the DNS-rebinding gap between check and connect.
 */

/** 400 UNSAFE_URL: the message says why, never echoing more than the host. */
export const UnsafeUrl = createError<[string]>('UNSAFE_URL', '%s', 400);

/** 502 UPSTREAM_FAILED: the remote end timed out, refused, or sent too much. */
export const UpstreamFailed = createError<[string]>('UPSTREAM_FAILED', '%s', 502);

/** One resolved address. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves every A and AAAA record of a host (node:dns/promises `lookup` with `all: true` by default). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export interface AssertPublicUrlOptions {
  /**
   * Hosts (exact, lower-case, no port) trusted despite the rules: http is allowed and their
   * addresses are not checked. For tests and explicitly configured internal services only —
   * never fill it from user input.
   */
  allowHttpHosts?: readonly string[];
  /** The resolver (tests inject a fake; default node:dns/promises lookup, all families). */
  resolve?: ResolveHost;
  /** Field name used in error messages (default "url"). */
  field?: string;
}

/** A URL that passed the guard, with the addresses it may be connected to. */
export interface PublicUrl {
  url: URL;
  addresses: ResolvedAddress[];
}

const BLOCKED_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);
const BLOCKED_SUFFIXES = ['.localhost', '.internal', '.local', '.localdomain', '.home.arpa'];

const defaultResolve: ResolveHost = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/**
 * Whether an IP address is public unicast. Everything ipaddr.js does not classify as `unicast` is
 * refused: private (10/8, 172.16/12, 192.168/16), loopback, link-local (169.254/16 incl. the cloud
 * metadata endpoint, fe80::/10), unique-local (fc00::/7), multicast, unspecified, broadcast,
 * CGNAT (100.64/10), reserved, and the IPv6 ranges that embed IPv4 (NAT64, 6to4, Teredo).
 * IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is judged by its IPv4 address.
 */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  let addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  return addr.range() === 'unicast';
}

/**
 * Validates `input` and resolves its host. Throws UNSAFE_URL (400) when the URL is malformed, not
 * https (unless the host is allowlisted), carries credentials, names a blocked host, is an IP
 * literal, resolves to nothing, or resolves to ANY non-public address.
 */
export async function assertPublicUrl(input: string | URL, options: AssertPublicUrlOptions = {}): Promise<PublicUrl> {
  const field = options.field ?? 'url';
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : new URL(input.href);
  } catch {
    throw new UnsafeUrl(`${field}: not a valid URL`);
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  const allowlisted = (options.allowHttpHosts ?? []).map((h) => h.toLowerCase()).includes(bare);
  const resolve = options.resolve ?? defaultResolve;

  if (url.protocol !== 'https:' && !(allowlisted && url.protocol === 'http:')) {
    throw new UnsafeUrl(`${field}: only https URLs are allowed`);
  }
  if (url.username || url.password) throw new UnsafeUrl(`${field}: credentials in the URL are not allowed`);
  if (allowlisted) {
    const addresses = ipaddr.isValid(bare) ? [literal(bare)] : await resolveOrThrow(resolve, bare, field);
    return { url, addresses };
  }
  if (!bare || BLOCKED_NAMES.has(bare) || BLOCKED_SUFFIXES.some((s) => bare.endsWith(s))) {
    throw new UnsafeUrl(`${field}: host ${bare || '(empty)'} is not allowed`);
  }
  if (ipaddr.isValid(bare) || /^[\d.]+$/.test(bare) || /^0x/i.test(bare)) {
    throw new UnsafeUrl(`${field}: IP addresses are not allowed; use a public host name`);
  }
  const addresses = await resolveOrThrow(resolve, bare, field);
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  if (bad) throw new UnsafeUrl(`${field}: ${bare} resolves to a private or reserved address`);
  return { url, addresses };
}

function literal(ip: string): ResolvedAddress {
  return { address: ip, family: ipaddr.parse(ip).kind() === 'ipv6' ? 6 : 4 };
}

async function resolveOrThrow(resolve: ResolveHost, host: string, field: string): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    throw new UnsafeUrl(`${field}: ${host} does not resolve`);
  }
  if (addresses.length === 0) throw new UnsafeUrl(`${field}: ${host} does not resolve`);
  return addresses;
}

/**
 * A `lookup` for node:http(s) / net that answers only with the addresses `assertPublicUrl`
 * checked, so the socket cannot be steered elsewhere by a second DNS answer.
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = typeof options === 'object' && options ? options.family : undefined;
    const pool = addresses.filter((a) => !family || a.family === family);
    const list = pool.length ? pool : [...addresses];
    if (typeof options === 'object' && options?.all) {
      (callback as (e: null, a: ResolvedAddress[]) => void)(null, list);
      return;
    }
    const first = list[0]!;
    callback(null, first.address, first.family);
  };
}

/** Options of `safeFetch`: the guard's options plus the request and its bounds. */
export interface SafeFetchOptions extends AssertPublicUrlOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Whole-request deadline (default 5000 ms). */
  timeoutMs?: number;
  /** Largest body read (default 1 MiB); larger responses fail. */
  maxBytes?: number;
}

/** What `safeFetch` returns. Redirects are not followed: a 3xx comes back as is. */
export interface SafeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Fetches a URL through the guard: `assertPublicUrl`, then one request whose socket is pinned to
 * the checked addresses, with a deadline and a body cap. Throws UNSAFE_URL for a refused URL and
 * UPSTREAM_FAILED (502) for timeouts, connection errors and oversized bodies.
 */
export async function safeFetch(input: string | URL, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const { url, addresses } = await assertPublicUrl(input, options);
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SafeResponse>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err instanceof UpstreamFailed ? err : new UpstreamFailed(`${url.host}: ${err.message}`));
    };
    const req = send(url, {
      method: options.method ?? 'GET',
      headers: { 'user-agent': 'CloudNow', ...(options.headers ?? {}) },
      lookup: pinnedLookup(addresses),
    });
    const timer = setTimeout(() => fail(new UpstreamFailed(`${url.host} did not answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) fail(new UpstreamFailed(`${url.host}: response larger than ${maxBytes} bytes`));
        else chunks.push(c);
      });
      res.on('error', fail);
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(options.body);
  });
}
