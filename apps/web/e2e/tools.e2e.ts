import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeSetupViaApi, launchBrowser, screenshot, signIn, startPortal, type BrowserSession, type Portal } from './harness.ts';

/** The tools playground through the gate, the approvals inbox and the activity list. */
describe('tools playground, approvals inbox and activity', () => {
  let portal: Portal;
  let browser: BrowserSession;
  beforeAll(async () => {
    portal = await startPortal({ PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' });
    await completeSetupViaApi(portal);
    browser = await launchBrowser(portal.url);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  it('runs a read tool, waits for approval of a risky one, approves it in the inbox and runs it under that approval', async () => {
    const { page } = browser;
    await signIn(page);
    await page.goto('/tools');
    await page.getByLabel('Search tools').fill('instance');
    await page.getByRole('link', { name: /list_instances/ }).click();
    await page.getByRole('button', { name: 'Run tool' }).click();
    const result = page.getByRole('region', { name: 'Result' });
    await result.locator('.result-table').waitFor();
    const name = (await result.locator('tbody tr', { hasText: 'RUNNING' }).first().locator('td').first().textContent())!.trim();
    const id = await page.evaluate(async (n) => {
      const r = (await (
        await fetch('/api/v1/tools/list_instances/execute', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"args":{}}',
        })
      ).json()) as {
        output: { items: { id: string; name: string }[] };
      };
      return r.output.items.find((i) => i.name === n)!.id;
    }, name);

    await page.goto('/tools/stop_instance');
    await page.getByLabel(/Instance Id/).fill(id);
    await page.getByRole('button', { name: 'Run tool' }).click();
    await result.getByText('Waiting for approval').waitFor();
    await screenshot(page, 'tools-pending-approval');

    // An approver decides in the inbox (another tab); the playground sees it and runs under it.
    const inbox = await browser.context.newPage();
    inbox.on('console', (m) => m.type() === 'error' && browser.consoleErrors.push(m.text()));
    await inbox.goto('/approvals');
    const row = inbox.getByRole('article', { name: 'Approval for stop_instance' });
    await row.getByLabel('Reason for stop_instance').fill('maintenance window');
    await screenshot(inbox, 'approvals-inbox');
    await row.getByRole('button', { name: 'Approve' }).click();
    await row.getByText('approved').waitFor();
    await inbox.close();

    await result.getByRole('button', { name: 'Run with this approval' }).click();
    await result.locator('.badge', { hasText: /^STOPPING$/ }).waitFor();
    await screenshot(page, 'tools-ran-with-approval');

    await page.goto('/activity');
    await page.locator('tbody tr').first().waitFor();
    await screenshot(page, 'activity');
    expect(browser.consoleErrors).toEqual([]);
  });
});
