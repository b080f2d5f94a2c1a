import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startPortal, type BrowserSession, type Portal } from './harness.ts';

describe('the portal in a browser', () => {
  let portal: Portal;
  let browser: BrowserSession;
  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchBrowser(portal.url);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  it('serves the built app shell for a client-side route, and prints a setup token on first run', async () => {
    const res = await browser.page.goto('/sign-in');
    expect(res?.status()).toBe(200);
    await expect(browser.page.title()).resolves.toBe('CloudNow');
    expect(portal.setupToken).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });
});
