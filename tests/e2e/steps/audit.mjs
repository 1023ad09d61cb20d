// The audit trail: who did what to whom, found from the customer's page, by action name.
import { join } from 'node:path';

export default async function ({ page, results, step }) {
  await step('compliance sees who touched a customer, by name, and filters by action in words', async () => {
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('link', { name: '李四', exact: true }).click();
    await page.getByTestId('customer-audit').click();
    await page.getByTestId('audit-customer-filter').waitFor();
    const entries = page.getByTestId('audit-entries');
    const issued = entries.getByRole('row').filter({ hasText: 'Self-service link issued' });
    await issued.getByText('E2E Compliance').waitFor();
    await issued.getByRole('link', { name: /^李/ }).waitFor();
    await page.getByTestId('audit-action').click();
    await page.getByRole('option', { name: 'Privacy request logged' }).click();
    await page.waitForURL((u) => u.searchParams.get('action') === 'privacy_request.create');
    await entries.getByRole('row').filter({ hasText: 'Privacy request logged' }).first().waitFor();
    await entries.getByRole('row').filter({ hasText: 'Self-service link issued' }).waitFor({ state: 'detached' });
    await page.screenshot({ path: join(results, 'audit.png'), fullPage: true });
  });
}
