// Organisation: units and users, field errors from the API.

export default async function ({ page, base, password, results, step, context }) {
  await step('the admin creates a subsidiary', async () => {
    await page.getByRole('link', { name: 'Units' }).click();
    await page.getByRole('button', { name: 'New unit' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Parent unit').click();
    await page.getByRole('option', { name: /Group/ }).click();
    await dialog.getByLabel('Code').fill('E2E-SUB');
    await dialog.getByLabel('Name').fill('E2E Subsidiary');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'E2E Subsidiary' }).waitFor();
  });

  await step('the admin creates a user; field errors come from the API', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Username').fill('e2e.agent');
    await dialog.getByLabel('Display name').fill('E2E Agent');
    await dialog.getByLabel(/^Password/).fill('short');
    await dialog.getByLabel('Unit').click();
    await page.getByRole('option', { name: /E2E Subsidiary/ }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/password/i).nth(1).waitFor();
    await dialog.getByLabel(/^Password/).fill('a-long-enough-password');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'e2e.agent' }).waitFor();
  });

  await step('the admin creates a manager in the same subsidiary', async () => {
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Username').fill('e2e.manager');
    await dialog.getByLabel('Display name').fill('E2E Manager');
    await dialog.getByLabel(/^Password/).fill('a-long-enough-password');
    await dialog.getByLabel('Role').click();
    await page.getByRole('option', { name: 'Manager' }).click();
    await dialog.getByLabel('Unit').click();
    await page.getByRole('option', { name: /E2E Subsidiary/ }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'e2e.manager' }).first().waitFor();
  });

  await step('the admin creates a compliance officer there too', async () => {
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Username').fill('e2e.compliance');
    await dialog.getByLabel('Display name').fill('E2E Compliance');
    await dialog.getByLabel(/^Password/).fill('a-long-enough-password');
    await dialog.getByLabel('Role').click();
    await page.getByRole('option', { name: 'Compliance', exact: true }).click();
    await dialog.getByLabel('Unit').click();
    await page.getByRole('option', { name: /E2E Subsidiary/ }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'e2e.compliance' }).first().waitFor();
  });
}
