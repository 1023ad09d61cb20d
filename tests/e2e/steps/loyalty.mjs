// Loyalty: a group manager adds a reward to the catalogue, then spends a customer's points on it
// from the customer's Points tab; the balance drops by its price. Every view passes axe-core.
import assert from 'node:assert/strict';

import { findings, signInAs } from './accessibility.mjs';
import { api, login } from './api.mjs';

export default async function ({ page, base, step }) {
  await step('a reward is added to the catalogue and a customer spends points on it', async () => {
    await signInAs(page, 'e2e.head', 'a-long-enough-password');
    await page.getByRole('link', { name: 'Rewards' }).click();
    await page.getByRole('heading', { name: 'Rewards catalogue', level: 1 }).waitFor();
    await page.getByTestId('reward-new').click();
    const form = page.getByRole('dialog');
    await form.getByLabel(/^Name/).fill('E2E 保温杯');
    await form.getByLabel('Price (points)').fill('500');
    await form.getByLabel('Stock').fill('3');
    assert.deepEqual(await findings(page, 'reward form'), []);
    await form.getByTestId('reward-save').click();
    await page.getByTestId('rewards').getByRole('row', { name: /E2E 保温杯/ }).getByText('Available').waitFor();
    assert.deepEqual(await findings(page, 'rewards catalogue'), []);

    // 李四 earned points for the purchase made in the tiers step.
    const token = await login(base, 'e2e.head', 'a-long-enough-password');
    const li = (await api(base, 'GET', `/customers?name=${encodeURIComponent('李四')}`, token)).items[0].id;
    const before = (await api(base, 'GET', `/customers/${li}/points`, token)).balance;
    assert.ok(before >= 500, `李四 has ${before} points`);
    await page.goto(`${base}/customers/${li}`);
    await page.getByRole('tab', { name: 'Points' }).click();
    await page.getByTestId('points-balance').filter({ hasText: before.toLocaleString('en') }).waitFor();
    await page.getByRole('combobox', { name: 'Reward' }).click();
    await page.getByRole('option', { name: /E2E 保温杯/ }).click();
    await page.getByRole('button', { name: 'Redeem' }).click();
    await page.getByTestId('points-balance').filter({ hasText: (before - 500).toLocaleString('en') }).waitFor();
    await page.getByTestId('points-ledger').getByText('Redeemed').waitFor();
    assert.deepEqual(await findings(page, 'points tab'), []);
  });
}
