import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { screenshot, type BrowserSession, type Portal } from './harness.ts';
import { failedResponses, signedInPortal } from './journey.ts';

/** Drags with the mouse from the centre of one element to the centre of another. */
async function dragBetween(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2 + a.width / 2, (a.y + b.y) / 2 + a.height / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  await page.mouse.up();
}

describe('journey 3: build a three-step workflow in the designer, run it, watch it complete live', () => {
  let portal: Portal;
  let browser: BrowserSession;
  beforeAll(async () => {
    ({ portal, browser } = await signedInPortal());
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  it('designs input → list_instances → output with the palette, the mouse and the properties panel, saves, runs and follows it', async () => {
    const { page } = browser;
    const started = Date.now();
    const failed = failedResponses(page);
    await page.goto('/workflows/new');
    const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
    await node('start').waitFor();

    // Step 2: with the input selected, the palette adds the tool after it, connected.
    await node('start').click();
    await page.getByLabel('Search steps and tools').fill('list instances');
    await page.getByRole('button', { name: 'Add tool list_instances (read risk)' }).click();
    await node('list_instances_1').waitFor();
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1);
    const props = page.getByRole('complementary', { name: 'Step properties' });
    await props.getByLabel('Name', { exact: true }).fill('List instances');
    await props.getByLabel('limit').fill('20');

    // Step 3: an output dropped in unconnected; saving shows the server's validation on that node.
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
    await page.getByLabel('Search steps and tools').fill('output');
    await page.getByRole('button', { name: 'Add Output' }).click();
    await node('output_1').waitFor();
    await page.getByLabel('Workflow name').fill('Instance inventory');
    await page.getByRole('button', { name: 'Save' }).click();
    await node('output_1')
      .getByText(/not reachable from the input node/)
      .waitFor();
    await expect(node('output_1').locator('.wf-node').getAttribute('class')).resolves.toContain('invalid');

    // Connect list_instances → output with the mouse, then map the output in the panel.
    await page.getByRole('button', { name: 'Fit View' }).click();
    await dragBetween(
      page,
      node('list_instances_1').locator('.react-flow__handle.source'),
      node('output_1').locator('.react-flow__handle.target'),
    );
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    await node('output_1').click();
    await props.getByLabel('New key').fill('instances');
    await props.getByRole('button', { name: 'Add key' }).click();
    await props.getByLabel('instances', { exact: true }).fill('{{steps.list_instances_1.output}}');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved version 1.').waitFor();
    expect(page.url()).toMatch(/\/workflows\/[0-9a-f-]{36}$/);
    await expect(node('output_1').locator('.wf-node').getAttribute('class')).resolves.not.toContain('invalid');
    await screenshot(page, 'workflow-designer');

    // Run: the run view follows the stream until the run completes.
    await page.getByRole('button', { name: '▶ Run' }).click();
    await page.waitForURL(/\/workflows\/runs\/[0-9a-f-]{36}$/);
    await expect.poll(async () => page.getByTestId('run-status').textContent(), { timeout: 30_000, interval: 250 }).toBe('completed');
    const timeline = page.getByRole('list', { name: 'Run timeline' }).locator('li');
    await expect(timeline.count()).resolves.toBe(3);
    await expect(timeline.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).resolves.toEqual([
      'completed',
      'completed',
      'completed',
    ]);
    // The stream reported the terminal status (a sandbox run may finish before the page opens it).
    await page.getByRole('list', { name: 'Live events' }).getByText('run → completed').waitFor();
    await expect(page.getByTestId('run-output').textContent()).resolves.toContain('"instances"');
    await screenshot(page, 'workflow-run');
    console.info(`workflow journey: ${Date.now() - started} ms`);
    // The one failed request is the deliberate save of the unconnected graph (Chromium logs it).
    expect(failed).toEqual(['400 POST /api/v1/workflows']);
    expect(browser.consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });
});
