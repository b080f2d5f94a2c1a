import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, launchBrowser, screenshot, signIn, startPortal, type BrowserSession, type Portal } from './harness.ts';

/** Journey 1: first-run setup in the browser → admin account → offline model → done → signed in; then sign out and back in. */
describe('first-run setup in the browser', () => {
  let portal: Portal;
  let browser: BrowserSession;
  beforeAll(async () => {
    // A journey checks behaviour, not load: the shared CI box can stall the event loop for
    // seconds (PGlite boot), which would otherwise answer 503 under pressure.
    portal = await startPortal({ PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' });
    browser = await launchBrowser(portal.url);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  it('walks the wizard with the setup token, lands signed in, and signs in again after signing out', async () => {
    const { page } = browser;
    const token = portal.setupToken;
    expect(token).toBeTruthy();
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });

    // The first visit goes to the wizard while setup is not complete.
    await page.goto('/');
    await page.waitForURL('**/setup');
    await page.getByRole('heading', { name: 'Set up CloudNow' }).waitFor();

    // A wrong token is refused next to the field.
    await page.getByLabel('Setup token').fill('not-the-token');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/not the setup token/i);

    await page.getByLabel('Setup token').fill(token!);
    await page.getByRole('button', { name: 'Continue' }).click();

    // Admin account; a server-side field error shows beside its field first.
    await page.getByLabel('Your name').fill(ADMIN.name);
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByLabel('Organisation name').fill(ADMIN.orgName);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    const emailError = page.locator('.field-invalid', { has: page.getByLabel('Email') }).locator('.field-error');
    await emailError.waitFor();
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByRole('button', { name: 'Create admin account' }).click();

    // AI: the built-in offline model.
    await page.getByRole('radio', { name: /Built-in offline model/ }).check();
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('button', { name: 'Finish setup' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('heading', { name: /Welcome back, Ada/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByText('Nothing waiting').waitFor();
    await screenshot(page, 'setup-done-home');

    // Setup is complete: the wizard now says so.
    const status = (await (await fetch(`${portal.url}/api/setup/status`)).json()) as { setupComplete: boolean };
    expect(status.setupComplete).toBe(true);

    // Sign out, then sign in through the page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('wrong-password-123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.field-error').first().waitFor();
    await signIn(page);
    await page.getByRole('heading', { name: /Welcome back, Ada/ }).waitFor();
    await screenshot(page, 'setup-signed-in-again');

    // Dark theme (remembered), and the narrow layout with its menu.
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).not.toBe('rgb(246, 247, 249)');
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ state: 'attached' });
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByRole('navigation', { name: 'Main' }).isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Charlie' }).click();
    await page.waitForURL('**/chat');
    await screenshot(page, 'setup-dark-narrow-chat');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();

    // The only failed requests are the three mistakes made on purpose (the browser logs each one).
    expect(failed).toEqual(['403 GET /api/setup/detect-env', '400 POST /api/setup/admin', '401 POST /api/auth/sign-in/email']);
    expect(browser.consoleErrors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
    expect(browser.consoleErrors).toHaveLength(failed.length);
  });
});
