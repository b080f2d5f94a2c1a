import type { Page } from 'playwright-core';
import { ADMIN, launchBrowser, startPortal, type BrowserSession, type Portal } from './harness.ts';

/**
 * A journey's starting point: a fresh portal with setup done (admin + offline model) and a browser
 * whose context holds the admin's session cookie, signed in through the auth API so the journey
 * does not depend on the sign-in page. Calls made while the freshly booted server still answers
 * 503 (under pressure on a busy machine) are retried for up to a minute.
 */
export async function signedInPortal(env: Record<string, string> = {}): Promise<{ portal: Portal; browser: BrowserSession }> {
  const portal = await startPortal(env);
  // On a busy machine the token's log line may come a little after /readyz.
  for (let i = 0; i < 300 && !portal.setupToken; i++) await new Promise((r) => setTimeout(r, 100));
  const token = portal.setupToken;
  if (!token) throw new Error('no setup token in the server log');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  await retry503(
    () => fetch(`${portal.url}/api/setup/admin`, { method: 'POST', headers, body: JSON.stringify(ADMIN) }),
    '/api/setup/admin',
  );
  await retry503(
    () => fetch(`${portal.url}/api/setup/ai-provider`, { method: 'POST', headers, body: JSON.stringify({ kind: 'offline' }) }),
    '/api/setup/ai-provider',
  );
  await retry503(() => fetch(`${portal.url}/api/setup/complete`, { method: 'POST', headers, body: '{}' }), '/api/setup/complete');
  const browser = await launchBrowser(portal.url);
  await signInViaApi(browser.page);
  return { portal, browser };
}

async function retry503(call: () => Promise<Response>, what: string): Promise<Response> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await call();
    if (res.ok) return res;
    if (res.status !== 503 || Date.now() > deadline) throw new Error(`${what}: ${res.status} ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Signs the page's browser context in through Better Auth's email endpoint (sets the session cookie). */
export async function signInViaApi(page: Page, admin = ADMIN): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await page.request.post('/api/auth/sign-in/email', { data: { email: admin.email, password: admin.password } });
    if (res.ok()) return;
    if (res.status() !== 503 || Date.now() > deadline) throw new Error(`sign-in: ${res.status()} ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Collects every HTTP answer ≥ 400 the page receives (`"400 POST /api/v1/workflows"`). */
export function failedResponses(page: Page): string[] {
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return failed;
}
