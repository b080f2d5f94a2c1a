import { createHash, createPublicKey, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A request the stand-in received, with the outcome of its signature check. */
export interface SeenRequest {
  method: string;
  url: string;
  signed: boolean;
  signedHeaders: string[];
  body: string;
}

type Route = (req: IncomingMessage, url: URL, body: string) => { status: number; body: unknown } | undefined;

/** An RSA key pair, its OCI fingerprint, and a temporary OCI config file using it. */
export interface TestIdentity {
  dir: string;
  configFile: string;
  publicKey: KeyObject;
  tenancy: string;
  user: string;
  fingerprint: string;
  cleanup(): Promise<void>;
}

/** Generates a key pair and writes `key.pem` and an OCI `config` (profile DEFAULT) into a temp dir. */
export async function createTestIdentity(profile = 'DEFAULT'): Promise<TestIdentity> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const fingerprint = createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
  const dir = await mkdtemp(join(tmpdir(), 'cloudnow-oci-'));
  const keyFile = join(dir, 'key.pem');
  await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  const tenancy = 'ocid1.tenancy.oc1..aaaaaaaatesttenancy';
  const user = 'ocid1.user.oc1..aaaaaaaatestuser';
  const configFile = join(dir, 'config');
  await writeFile(
    configFile,
    `[${profile}]\nuser=${user}\nfingerprint=${fingerprint}\ntenancy=${tenancy}\nregion=eu-frankfurt-1\nkey_file=${keyFile}\n`,
  );
  return {
    dir,
    configFile,
    publicKey: createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })),
    tenancy,
    user,
    fingerprint,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Verifies an OCI request signature: parses `Authorization: Signature version="1",keyId=…,
 * algorithm="rsa-sha256",headers="…",signature="…"`, rebuilds the signing string from the listed
 * headers ((request-target) = "<method> <path?query>") and checks it with `publicKey`. Body
 * requests must also carry a matching `x-content-sha256`.
 */
export function verifySignature(
  req: IncomingMessage,
  body: string,
  publicKey: KeyObject,
  keyId: string,
): { ok: boolean; headers: string[] } {
  const auth = req.headers.authorization ?? '';
  if (!auth.startsWith('Signature ')) return { ok: false, headers: [] };
  const params = Object.fromEntries([...auth.slice(10).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const headers = (params.headers ?? '').toLowerCase().split(' ').filter(Boolean);
  if (params.version !== '1' || params.algorithm !== 'rsa-sha256' || params.keyId !== keyId || !params.signature)
    return { ok: false, headers };
  if (!headers.includes('(request-target)') || !headers.includes('host') || !(headers.includes('date') || headers.includes('x-date')))
    return { ok: false, headers };
  const lines: string[] = [];
  for (const h of headers) {
    if (h === '(request-target)') lines.push(`(request-target): ${req.method!.toLowerCase()} ${req.url}`);
    else {
      const v = req.headers[h];
      if (v === undefined) return { ok: false, headers };
      lines.push(`${h}: ${Array.isArray(v) ? v.join(', ') : v}`);
    }
  }
  if (headers.includes('x-content-sha256') && req.headers['x-content-sha256'] !== createHash('sha256').update(body).digest('base64'))
    return { ok: false, headers };
  const ok = createVerify('RSA-SHA256').update(lines.join('\n')).verify(publicKey, params.signature, 'base64');
  return { ok, headers };
}

/** A local OCI API stand-in on 127.0.0.1: verifies every signature (401 otherwise) and answers from `routes`. */
export async function startStandIn(
  identity: TestIdentity,
  routes: Route[],
): Promise<{ url: string; seen: SeenRequest[]; close(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  const keyId = `${identity.tenancy}/${identity.user}/${identity.fingerprint}`;
  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'opc-request-id': `req-${seen.length}`,
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const check = verifySignature(req, body, identity.publicKey, keyId);
      seen.push({ method: req.method!, url: req.url!, signed: check.ok, signedHeaders: check.headers, body });
      if (!check.ok)
        return send(res, 401, {
          code: 'NotAuthenticated',
          message: 'The required information to complete authentication was not provided or was incorrect.',
        });
      const url = new URL(req.url!, 'http://stand-in');
      for (const route of routes) {
        const r = route(req, url, body);
        if (r) return send(res, r.status, r.body);
      }
      send(res, 404, { code: 'NotAuthorizedOrNotFound', message: 'Authorization failed or requested resource not found.' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
