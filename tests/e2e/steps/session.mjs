// The session: language, reload, sign-out, four eyes, what an agent may see.
import assert from 'node:assert/strict';
import { join } from 'node:path';

export default async function ({ page, base, password, results, step, context }) {
  await step('the UI switches to Chinese', async () => {
    await page.getByText('中文').first().click();
    await page.getByRole('link', { name: '工作台' }).waitFor();
    await page.getByRole('link', { name: '组织机构' }).waitFor();
    await page.getByText('English').first().click();
    await page.getByRole('link', { name: 'Dashboard' }).waitFor();
  });

  await step('a reload keeps the session (refresh token)', async () => {
    await page.reload();
    await page.getByRole('cell', { name: 'e2e.agent' }).waitFor();
  });

  await step('signing out returns to the sign-in page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
  });

  await step('a second person approves what the admin asked (four eyes)', async () => {
    await page.getByLabel('Username').fill('e2e.approver');
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByText("Waiting for a second person's approval").waitFor();
    for (const name of ['e2e.manager', 'e2e.compliance']) {
      await page.getByRole('button', { name: `Approve ${name}` }).click();
      await page.getByRole('button', { name: `Approve ${name}` }).waitFor({ state: 'detached' });
    }
    await page.screenshot({ path: join(results, 'approvals.png'), fullPage: true });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
  });

  await step('the new user signs in and sees only what an agent may', async () => {
    await page.getByLabel('Username').fill('e2e.agent');
    await page.getByLabel(/^Password/).fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('current-user').filter({ hasText: 'Service agent' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Audit log' }).count(), 0);
  });
}
