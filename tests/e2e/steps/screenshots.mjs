// Pictures of the main screens in Chinese, at desktop and phone width (test-results/screens/;
// docs/screenshots/ keeps a set). Each waits for its content, so a broken screen fails here.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export default async function ({ page, base, results, step }) {
  const dir = join(results, 'screens');
  mkdirSync(dir, { recursive: true });
  const shot = (name) => page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });

  async function signIn(username, password) {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel(/^密码/).fill(password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByTestId('dashboard-title').waitFor();
  }

  await step('the main screens, in Chinese, at desktop and phone width', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByText('中文', { exact: true }).click();
    await signIn('e2e.manager', 'a-long-enough-password');
    await page.getByTestId('my-customers').waitFor();
    await shot('desktop-dashboard-manager');
    await page.getByRole('link', { name: '客户信息', exact: true }).click();
    await page.getByTestId('customer-count').waitFor();
    await shot('desktop-customers');
    await page.getByRole('link', { name: '李四', exact: true }).click();
    await page.getByTestId('customer-profile').waitFor();
    await shot('desktop-customer');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('phone-customer');
    await page.goto(`${base}/customers`);
    await page.getByTestId('customer-count').waitFor();
    await shot('phone-customers');
    await page.setViewportSize({ width: 1280, height: 800 });

    await signIn('e2e.compliance', 'a-long-enough-password');
    await page.getByTestId('requests-due').waitFor();
    await shot('desktop-dashboard-compliance');
    await page.getByRole('link', { name: '授权与隐私', exact: true }).click();
    await page.getByTestId('privacy-requests').waitFor();
    await shot('desktop-privacy-requests');
    await page.getByRole('link', { name: '审计日志', exact: true }).click();
    await page.getByTestId('audit-entries').getByRole('row').first().waitFor();
    await shot('desktop-audit');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: '菜单' }).click();
    await shot('phone-menu');
    await page.getByRole('link', { name: '工作台', exact: true }).click();
    await shot('phone-dashboard-compliance');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByText('English', { exact: true }).click();
  });
}
