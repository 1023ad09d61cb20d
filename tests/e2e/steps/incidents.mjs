// Incidents: the register, affected customers, notifications, the report.
import { join } from 'node:path';

export default async function ({ page, base, password, results, step, context }) {
  await step('compliance records an incident, its affected customer and notification, and prints the report', async () => {
    const customerId = new URL(page.url()).pathname.split('/').pop();
    await page.getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('button', { name: 'Record an incident' }).click();
    await page.getByLabel(/^Title/).fill('E2E misdirected export');
    // Mantine's MultiSelect keeps its input hidden behind the pills box: click the box.
    await page.locator('.mantine-MultiSelect-input').first().click();
    await page.getByRole('option', { name: 'Mobile' }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel('Occurred').fill('2026-11-20T09:00');
    await page.getByLabel('Detected').fill('2026-11-21T10:00');
    await page.getByLabel('Description').fill('An export went to the wrong address.');
    await page.getByLabel('Contact').fill('dpo@example.com');
    await page.getByTestId('incident-create').click();
    await page.getByTestId('incident-status').filter({ hasText: 'Open' }).waitFor();
    await page.getByLabel('Customer ids').fill(customerId);
    await page.getByTestId('affected-add').click();
    await page.getByTestId('incident-affected').filter({ hasText: '1' }).waitFor();
    await page.getByTestId('incident-notify').click();
    await page.getByText('1 notifications recorded, 0 without an address.').waitFor();
    await page.getByTestId('incident-timeline').getByText('Notification', { exact: true }).waitFor();
    await page.getByTestId('incident-report-link').click();
    const report = page.getByTestId('incident-report');
    await report.getByText('E2E misdirected export').waitFor();
    await report.getByText('An export went to the wrong address.').waitFor();
    await page.screenshot({ path: join(results, 'incident-report.png'), fullPage: true });
  });
}
