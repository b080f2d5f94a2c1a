import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeSetupViaApi, launchBrowser, screenshot, signIn, startPortal, type BrowserSession, type Portal } from './harness.ts';

/** How long the sandbox keeps a stopping instance in STOPPING (apps/server/src/cloud/sandbox/context.ts). */
const STOP_TRANSITION_MS = 30_000;

/**
 * Journey 2: ask Charlie to list instances → a table; ask it to stop a running one → an approval
 * card → approve → the tool result says STOPPING; once the sandbox transition is over, listing
 * again shows it STOPPED.
 */
describe('Charlie lists and stops an instance with an approval', () => {
  let portal: Portal;
  let browser: BrowserSession;
  beforeAll(async () => {
    // A journey checks behaviour, not load: the shared CI box can stall the event loop for
    // seconds (PGlite boot), which would otherwise answer 503 under pressure.
    portal = await startPortal({ PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' });
    await completeSetupViaApi(portal);
    browser = await launchBrowser(portal.url);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  it('shows the instances as a table, asks approval to stop one, and the instance ends STOPPED', { timeout: 150_000 }, async () => {
    const { page } = browser;
    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Charlie' }).click();
    await page.waitForURL('**/chat');

    // The model picker offers the built-in model, labelled offline.
    await expect(page.getByLabel('Model').locator('option').first().textContent()).resolves.toMatch(/offline/);

    const composer = page.getByLabel('Message Charlie');
    await composer.fill('list my instances');
    await composer.press('Enter');

    // The list_instances result is a table with state badges.
    const listCard = page.getByRole('article', { name: 'Tool list_instances' }).first();
    const table = listCard.locator('.result-table table');
    await table.waitFor();
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    const threadUrl = page.url();
    const running = table.locator('tbody tr', { has: page.locator('.badge', { hasText: /^RUNNING$/ }) });
    expect(await running.count()).toBeGreaterThan(1);
    const name = (await running.first().locator('td').first().textContent())!.trim();
    expect(name).toMatch(/^[\w.-]+$/);
    await screenshot(page, 'chat-instances-table');

    // Stop it by name: the gate wants an approval, shown as a card.
    await composer.fill(`stop instance ${name}`);
    await composer.press('Enter');
    const stopCard = page.getByRole('article', { name: 'Tool stop_instance' }).last();
    const approve = stopCard.getByRole('button', { name: 'Approve' });
    await approve.waitFor();
    await expect(stopCard.textContent()).resolves.toContain('needs approval');
    await stopCard.getByLabel('Reason').fill('end-to-end test');
    await screenshot(page, 'chat-approval-card');
    await approve.click();

    // The conversation continues on its own: the tool runs and reports STOPPING.
    const result = stopCard.locator('.result-view');
    await result.waitFor({ timeout: 30_000 });
    await expect(result.locator('.badge').first().textContent()).resolves.toMatch(/STOPPING|STOPPED/);
    await expect(stopCard.locator('.tool-card-head').textContent()).resolves.toContain('done');
    const stoppedAt = Date.now();
    await screenshot(page, 'chat-stop-approved');

    // The audit trail (written in batches, so polled): the stop ran once, under the chat's approval.
    const approvedStops = async () => {
      const activity = (await page.evaluate(async () => (await fetch('/api/activity')).json())) as {
        items: { tool: string; status: string; approvalId: string | null }[];
      };
      return activity.items.filter((x) => x.tool === 'stop_instance' && x.status === 'ok' && x.approvalId).length;
    };
    await expect.poll(approvedStops, { timeout: 15_000, interval: 500 }).toBe(1);

    // After the sandbox transition, listing again shows it STOPPED.
    await page.waitForTimeout(Math.max(0, STOP_TRANSITION_MS + 1_000 - (Date.now() - stoppedAt)));
    await composer.fill('list my instances');
    await composer.press('Enter');
    const again = page.getByRole('article', { name: 'Tool list_instances' }).last();
    const row = again.locator('.result-table tbody tr', { has: page.getByRole('cell', { name, exact: true }) });
    await row.locator('.badge', { hasText: /^STOPPED$/ }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('article', { name: 'Tool list_instances' }).count()).toBe(2);
    await screenshot(page, 'chat-instance-stopped');

    // The conversation was saved: reopening it shows the three turns and the thread in the sidebar.
    await page.goto(threadUrl);
    await page.getByRole('article', { name: 'Tool stop_instance' }).waitFor();
    expect(await page.getByRole('article', { name: /^Tool / }).count()).toBe(3);
    await expect(page.getByRole('complementary', { name: 'Conversations' }).locator('.thread-item').count()).resolves.toBeGreaterThan(0);

    expect(browser.consoleErrors).toEqual([]);
  });
});
