import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPublicUrl, isPublicAddress, pinnedLookup, safeFetch, type ResolvedAddress } from './ssrf.ts';

/** A fake resolver: the table, or "does not resolve". Never touches the network. */
function fakeDns(table: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve = async (host: string): Promise<ResolvedAddress[]> => {
    calls.push(host);
    const found = table[host];
    if (!found) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, calls };
}

const PUBLIC_V4 = '93.184.216.34';
const PUBLIC_V6 = '2606:2800:220:1:248:1893:25c8:1946';

describe('isPublicAddress', () => {
  it.each([
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '127.0.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:a00:1::',
    'not-an-ip',
  ])('refuses %s', (ip) => expect(isPublicAddress(ip)).toBe(false));

  it.each([PUBLIC_V4, '8.8.8.8', PUBLIC_V6, '::ffff:8.8.8.8'])('admits %s', (ip) => expect(isPublicAddress(ip)).toBe(true));
});

describe('assertPublicUrl', () => {
  const dns = fakeDns({
    'idp.example.com': [PUBLIC_V4, PUBLIC_V6],
    'mixed.example.com': [PUBLIC_V4, '10.1.2.3'],
    'metadata.example.com': ['169.254.169.254'],
    'v6-private.example.com': [PUBLIC_V4, 'fd12::1'],
    'empty.example.com': [],
    'oidc.test': ['127.0.0.1'],
  });

  it('admits an https URL whose every address is public and returns the addresses', async () => {
    const r = await assertPublicUrl('https://idp.example.com/.well-known/openid-configuration', { resolve: dns.resolve });
    expect(r.url.hostname).toBe('idp.example.com');
    expect(r.addresses.map((a) => a.address)).toEqual([PUBLIC_V4, PUBLIC_V6]);
  });

  it.each([
    ['http://idp.example.com/', /only https/],
    ['ftp://idp.example.com/', /only https/],
    ['https://user:pw@idp.example.com/', /credentials/],
    ['https://localhost/', /not allowed/],
    ['https://LOCALHOST./', /not allowed/],
    ['https://db.internal/', /not allowed/],
    ['https://api.svc.cluster.internal/', /not allowed/],
    ['https://127.0.0.1/', /IP addresses/],
    ['https://169.254.169.254/latest/meta-data', /IP addresses/],
    ['https://[::1]/', /IP addresses/],
    ['https://[fd00::1]/', /IP addresses/],
    ['https://8.8.8.8/', /IP addresses/],
    ['https://2130706433/', /IP addresses/],
    ['https://0x7f000001/', /IP addresses/],
    ['https://mixed.example.com/', /private or reserved/],
    ['https://metadata.example.com/', /private or reserved/],
    ['https://v6-private.example.com/', /private or reserved/],
    ['https://empty.example.com/', /does not resolve/],
    ['https://nowhere.example.com/', /does not resolve/],
    ['not a url', /not a valid URL/],
  ])('refuses %s', async (url, message) => {
    await expect(assertPublicUrl(url, { resolve: dns.resolve })).rejects.toMatchObject({ code: 'UNSAFE_URL', statusCode: 400, message });
  });

  it('names the field in the message', async () => {
    await expect(assertPublicUrl('http://x.example.com', { field: 'discoveryUrl', resolve: dns.resolve })).rejects.toThrow(
      /^discoveryUrl: /,
    );
  });

  it('lets an allowlisted host through over http, even on loopback', async () => {
    const r = await assertPublicUrl('http://oidc.test:8080/x', { allowHttpHosts: ['oidc.test'], resolve: dns.resolve });
    expect(r.addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
    const lit = await assertPublicUrl('http://127.0.0.1:9/x', { allowHttpHosts: ['127.0.0.1'], resolve: dns.resolve });
    expect(lit.addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
    await expect(assertPublicUrl('http://127.0.0.2/', { allowHttpHosts: ['127.0.0.1'], resolve: dns.resolve })).rejects.toThrow(
      /only https/,
    );
  });
});

describe('pinnedLookup', () => {
  it('answers only with the checked addresses, by family', () => {
    const lookup = pinnedLookup([
      { address: PUBLIC_V4, family: 4 },
      { address: PUBLIC_V6, family: 6 },
    ]);
    const got: unknown[] = [];
    lookup('evil.example.com', { family: 6 }, (_e, a, f) => got.push([a, f]));
    lookup('evil.example.com', { all: true }, (_e, a) => got.push(a));
    expect(got[0]).toEqual([PUBLIC_V6, 6]);
    expect(got[1]).toHaveLength(2);
  });
});

describe('safeFetch', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return; // never answers
      if (req.url === '/big') return res.end('x'.repeat(5000));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, host: req.headers.host }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://pinned.test:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // pinned.test only exists in the fake resolver: the request reaching the server proves the socket
  // used the checked address rather than a second DNS lookup.
  const opts = { allowHttpHosts: ['pinned.test'], resolve: fakeDns({ 'pinned.test': ['127.0.0.1'] }).resolve };

  it('connects to the pinned address', async () => {
    const r = await safeFetch(`${base}/ok`, opts);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ path: '/ok' });
  });
  it('fails with UPSTREAM_FAILED on timeout and oversized bodies', async () => {
    await expect(safeFetch(`${base}/slow`, { ...opts, timeoutMs: 100 })).rejects.toMatchObject({ code: 'UPSTREAM_FAILED' });
    await expect(safeFetch(`${base}/big`, { ...opts, maxBytes: 1000 })).rejects.toMatchObject({ code: 'UPSTREAM_FAILED' });
  });
  it('refuses before connecting when the guard refuses', async () => {
    await expect(safeFetch(`${base}/ok`, { resolve: opts.resolve })).rejects.toMatchObject({ code: 'UNSAFE_URL' });
  });
});
