import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, type BrowserSession, type Portal } from './harness.ts';
import { failedResponses, signedInPortal } from './journey.ts';
import { startOpenAiStandIn } from '../../server/test/openai-stand-in.ts';

describe('journey 4: an admin adds an AI provider and creates an API key', () => {
  let portal: Portal;
  let browser: BrowserSession;
  // A local OpenAI-compatible endpoint: the "Test connection" button makes a real call to it.
  let llm: Awaited<ReturnType<typeof startOpenAiStandIn>>;
  beforeAll(async () => {
    llm = await startOpenAiStandIn({ key: 'sk-lab-secret', reply: 'OK' });
    ({ portal, browser } = await signedInPortal());
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
    await llm?.close();
  });

  it('adds an OpenAI-compatible provider and sees it with its models; creates a key, sees the secret once, and the key works until revoked', async () => {
    const { page } = browser;
    const started = Date.now();
    const failed = failedResponses(page);

    // AI provider: tested live against the local endpoint, then saved.
    await page.goto('/admin');
    await page.waitForURL(/\/admin\/members$/);
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'AI providers' }).click();
    await page.getByRole('button', { name: 'Add provider' }).click();
    const form = page.getByRole('form', { name: 'New AI provider' });
    await form.getByLabel('Type').selectOption('openai-compatible');
    await form.getByLabel('Provider id').fill('lab-llm');
    await form.getByLabel('Display name').fill('Lab vLLM');
    await form.getByLabel('Base URL').fill(llm.baseUrl);
    await form.getByLabel('API key').fill('sk-lab-secret');
    await form.getByLabel('Models').fill('llama3.1:8b, qwen2.5:7b');
    await form.getByLabel('Default model').selectOption('llama3.1:8b');
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form
      .getByRole('status')
      .getByText(/Connected: llama3\.1:8b answered "OK"/)
      .waitFor();
    expect(llm.requests.at(-1)).toMatchObject({ auth: 'Bearer sk-lab-secret', body: expect.objectContaining({ model: 'llama3.1:8b' }) });
    await form.getByRole('button', { name: 'Add provider' }).click();
    const row = page.getByRole('table', { name: 'AI providers' }).getByRole('row').filter({ hasText: 'Lab vLLM' });
    await row.waitFor();
    await row.getByText('llama3.1:8b (default)').waitFor();
    await row.getByText('qwen2.5:7b').waitFor();
    await expect(row.getByText('stored').count()).resolves.toBe(1);
    await page.getByRole('list', { name: 'Enabled models' }).getByText('lab-llm:qwen2.5:7b').waitFor();
    await row.getByRole('button', { name: 'Test' }).click();
    await row.getByText(/^ok · \d+ ms$/).waitFor();
    await screenshot(page, 'admin-ai-providers');

    // API key: the secret once, then only its prefix.
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'API keys' }).click();
    const keyForm = page.getByRole('form', { name: 'New API key' });
    await keyForm.getByLabel('Key name').fill('CI pipeline');
    await keyForm.getByLabel('workflows:read').check();
    await keyForm.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('secret').textContent())!.trim();
    expect(secret.length).toBeGreaterThan(20);
    await page.getByText('it is shown only once').waitFor();
    await page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'CI pipeline' }).waitFor();
    await screenshot(page, 'admin-api-key');

    const me = await fetch(`${portal.url}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    const actor = (await me.json()) as { via: string; permissions: string[] };
    expect(actor.via).toBe('apiKey');
    expect(actor.permissions).toEqual(expect.arrayContaining(['tools:read', 'workflows:read']));

    await page.getByRole('button', { name: 'I have saved it' }).click();
    await expect(page.getByTestId('secret').count()).resolves.toBe(0);
    const keyRow = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'CI pipeline' });
    await keyRow.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke “CI pipeline”?' }).getByRole('button', { name: 'Revoke' }).click();
    await keyRow.getByText('revoked').waitFor();
    const after = await fetch(`${portal.url}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(after.status).toBe(401);

    console.info(`admin journey: ${Date.now() - started} ms`);
    expect(failed).toEqual([]);
    expect(browser.consoleErrors).toEqual([]);
  });
});
