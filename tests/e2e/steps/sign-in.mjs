// Signing in: the sign-in page, a wrong password, the first admin.
import { join } from 'node:path';

export default async function ({ page, base, password, results, step, context }) {
  await step('an anonymous visitor is sent to the sign-in page', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL('**/login');
  });

  await step('a wrong password shows the problem', async () => {
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel(/^Password/).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'invalid username or password' }).waitFor();
  });

  await step('the first admin signs in and sees the dashboard', async () => {
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('dashboard-title').filter({ hasText: 'Welcome, admin' }).waitFor();
    await page.getByTestId('current-user').filter({ hasText: 'Administrator' }).waitFor();
    await page.screenshot({ path: join(results, 'dashboard.png'), fullPage: true });
  });
}
