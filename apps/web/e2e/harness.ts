import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Browser-test harness: a real CloudNow server (`cloudnow serve`, the embedded default: PGlite,
 * in-process cache, the sandbox tenancy, the offline model) in a child process with its own data
 * directory, and Debian's Chromium driven by playwright-core. Nothing is mocked.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A running portal. */
export interface Portal {
  url: string;
  /** The one-time setup token the server printed at boot (null once setup is complete). */
  setupToken: string | null;
  logs: string[];
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `cloudnow serve` on a free port with a fresh data directory; resolves once /readyz is 200. */
export async function startPortal(env: Record<string, string> = {}): Promise<Portal> {
  if (!existsSync(join(root, 'apps/web/dist/index.html'))) throw new Error('apps/web is not built: run `npm run build -w apps/web` first');
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'cloudnow-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [join(root, 'apps/server/src/main.ts'), 'serve'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      CLOUDNOW_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      // The shared CI box stalls the event loop for seconds while PGlite boots; shedding load then
      // would fail a journey for a reason no user of a real deployment meets.
      PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let setupToken: string | null = null;
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      if (logs.length < 5000) logs.push(line);
      const m = /setup token: ([A-Za-z0-9_-]+)/.exec(line);
      if (m) setupToken = m[1]!;
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${logs.slice(-30).join('\n')}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready in 90 s:\n${logs.slice(-30).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  // The token is logged once the database is ready; give the log line a moment to arrive.
  for (let i = 0; i < 40 && !setupToken; i++) await new Promise((r) => setTimeout(r, 50));

  return {
    url,
    get setupToken() {
      return setupToken;
    },
    logs,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A browser page with console errors and failed requests collected (a journey asserts there are none). */
export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function launchBrowser(baseURL: string): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({ baseURL, viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const consoleErrors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(err.message));
  return {
    browser,
    context,
    page,
    consoleErrors,
    async close() {
      await browser.close();
    },
  };
}

/** Saves a full-page screenshot as a test artifact: `apps/web/e2e/artifacts/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery-1', name: 'Ada Admin', orgName: 'Acme Ops' };

/**
 * Completes first-run setup through the setup API (for journeys that are not about setup): an
 * admin account, the offline model, done.
 */
export async function completeSetupViaApi(portal: Portal, admin = ADMIN): Promise<void> {
  const token = portal.setupToken;
  if (!token) throw new Error('no setup token in the server log');
  const call = async (path: string, body: unknown) => {
    const res = await fetch(`${portal.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  };
  await call('/api/setup/admin', admin);
  await call('/api/setup/ai-provider', { kind: 'offline' });
  await call('/api/setup/complete', {});
}

/** Signs in through the sign-in page and waits for the home page. */
export async function signIn(page: Page, admin = ADMIN): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
