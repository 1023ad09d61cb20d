// Value tiers: a manager of the whole group tries a dry run (distribution and movement, nothing
// changes), applies a run, and the customer page explains the tier.
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { findings, signInAs } from './accessibility.mjs';
import { api, groupManager, login } from './api.mjs';

export default async function ({ page, base, password, results, step }) {
  await step('a group manager dry-runs the value tiers, applies them, and a customer shows why', async () => {
    // The group manager.
    await groupManager(base, password, 'e2e.head', 'E2E Head');
    // A purchase in the window larger than any other here: 李四 ranks first on spend and profit
    // and is A whoever else was scored.
    const manager = await login(base, 'e2e.manager', 'a-long-enough-password');
    const li = (await api(base, 'GET', `/customers?name=${encodeURIComponent('李四')}`, manager)).items[0].id;
    const purchase = { product: '宽带', amount_fen: 99900, channel: 'store', purchased_at: new Date().toISOString() };
    await api(base, 'POST', `/customers/${li}/purchases`, manager, purchase);

    await signInAs(page, 'e2e.head', 'a-long-enough-password');
    await page.getByRole('link', { name: 'Value tiers' }).click();
    await page.getByRole('heading', { name: 'Value tiers', level: 1 }).waitFor();
    await page.getByTestId('tiers-dry-run').click();
    await page.getByTestId('job-status').filter({ hasText: 'Finished' }).waitFor();
    const result = page.getByTestId('tier-run-result');
    await result.getByText('Dry run: what would happen').waitFor();
    await result.getByTestId('tier-movement').waitFor();
    assert.deepEqual(await findings(page, 'tiers'), []);
    await page.screenshot({ path: join(results, 'tiers.png'), fullPage: true });
    await page.getByTestId('tiers-apply').click();
    await result.getByText('Last run').waitFor();

    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('link', { name: '李四', exact: true }).click();
    await page.getByRole('tab', { name: 'Value' }).click();
    await page.getByTestId('customer-tier').filter({ hasText: 'Tier A' }).waitFor();
    await page.getByTestId('tier-score').filter({ hasText: /^Score \d+\.\d%\. A ≥/ }).waitFor();
    // Bought today: active, with the service strategy of tier A (the green channel).
    await page.getByTestId('customer-lifecycle').filter({ hasText: 'Active' }).waitFor();
    await page.getByTestId('customer-strategy').filter({ hasText: 'Green channel' }).waitFor();
    assert.deepEqual(await findings(page, 'value tab'), []);
  });
}
