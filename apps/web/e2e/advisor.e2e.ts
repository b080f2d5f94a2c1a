import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, type BrowserSession, type Portal } from './harness.ts';
import { failedResponses, signedInPortal } from './journey.ts';

describe('journey 5: the advisor runs and a finding links to Charlie', () => {
  let portal: Portal;
  let browser: BrowserSession;
  beforeAll(async () => {
    ({ portal, browser } = await signedInPortal());
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  it('runs a scan with "Run now", lists findings with savings, changes one’s status with a note, and asks Charlie about it', async () => {
    const { page } = browser;
    const started = Date.now();
    const failed = failedResponses(page);
    await page.goto('/advisor');
    await page.getByText('No findings yet').waitFor();

    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByText('Analysis finished.').waitFor({ timeout: 60_000 });
    const rows = page.getByRole('table', { name: 'Findings' }).locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(0);
    await expect.poll(async () => page.getByTestId('total-saving').textContent()).toMatch(/[1-9]/);
    await screenshot(page, 'advisor-findings');

    // The detail: evidence and resources, a status change with a note.
    const title = (await rows.first().locator('td').nth(1).getByRole('link').textContent())!;
    await rows.first().getByRole('link', { name: title, exact: true }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Evidence' }).waitFor();
    await page.getByRole('heading', { name: /Affected resources/ }).waitFor();
    await page.getByLabel('Note (optional)').fill('Looked at it in the browser journey');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('Looked at it in the browser journey').waitFor();
    await page.getByRole('button', { name: 'Reopen' }).waitFor();

    // "Ask Charlie" carries the finding's suggested prompt.
    const id = page.url().split('/').pop()!;
    const finding = (await (await page.request.get(`/api/advisor/findings/${id}`)).json()) as { charliePrompt: string; status: string };
    expect(finding.status).toBe('acknowledged');
    await screenshot(page, 'advisor-finding');
    await page.getByRole('link', { name: 'Ask Charlie' }).click();
    await page.waitForURL(/\/chat\?prompt=/);
    expect(new URL(page.url()).searchParams.get('prompt')).toBe(finding.charliePrompt);
    console.info(`advisor journey: ${Date.now() - started} ms`);
    expect(failed).toEqual([]);
    expect(browser.consoleErrors).toEqual([]);
  });
});
