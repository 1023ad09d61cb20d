// Customers: masked records, import, export, search, merge and undo, data quality.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import iconv from 'iconv-lite';

export default async function ({ page, base, password, results, step, context }) {
  await step('the agent records a customer and sees it masked', async () => {
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('button', { name: 'New customer' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('张三丰');
    await dialog.getByLabel('Mobile').fill('12345');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/mainland mobile/).waitFor();
    await dialog.getByLabel('Mobile').fill('138 1234 1234');
    await dialog.getByLabel('National ID').fill('110105199001011232');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('customer-name').filter({ hasText: '张**' }).waitFor();
    const profile = page.getByTestId('customer-profile');
    await profile.getByText('138****1234').waitFor();
    await profile.getByText('110***********1232').waitFor();
    await profile.getByText('1990-**-**').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Reveal' }).count(), 0, 'agents cannot reveal');
    await page.getByRole('tab', { name: 'Purchases' }).click();
    await page.getByLabel('Product').fill('Broadband 1000M');
    await page.getByLabel('Amount (¥)').fill('199.50');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('cell', { name: 'Broadband 1000M' }).waitFor();
    await page.getByRole('cell', { name: 'CNY 199.50' }).waitFor();
    await page.getByText('Spend by month').waitFor();
    await page.screenshot({ path: join(results, 'purchases.png'), fullPage: true });
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('cell', { name: '138****1234' }).waitFor();
    await page.screenshot({ path: join(results, 'customers.png'), fullPage: true });
  });

  await step('a manager imports a CSV: good rows land, the bad one is reported with its line', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').fill('e2e.manager');
    await page.getByLabel(/^Password/).fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('current-user').filter({ hasText: 'Manager' }).waitFor();
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('button', { name: 'Import' }).click();
    const csv = 'name,mobile,email\n李四,13900001111,li4@example.com\n王五,12345,\n张三丰,13812341234,\n';
    await page.locator('input[type=file]').setInputFiles({ name: 'e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-start').click();
    await page.getByTestId('job-status').filter({ hasText: 'Finished' }).waitFor();
    await page.getByTestId('import-created').filter({ hasText: '1' }).waitFor();
    await page.getByTestId('import-existing').filter({ hasText: '1' }).waitFor();
    await page.getByTestId('import-rejected').filter({ hasText: '1' }).waitFor();
    await page.getByTestId('import-errors').getByRole('cell', { name: '3', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Download error report' }).waitFor();
    await page.screenshot({ path: join(results, 'import.png'), fullPage: true });
  });

  await step('a GBK file, as Excel saves it on Chinese Windows, lands with its Chinese intact', async () => {
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByTestId('import-template').waitFor();
    const gbk = iconv.encode('姓名,手机号,性别,来源渠道,备注\n赵六,13900002222,女,销售,老客户\n', 'gbk');
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk), 'the file is not UTF-8');
    await page.locator('input[type=file]').setInputFiles({ name: 'excel-gbk.csv', mimeType: 'text/csv', buffer: gbk });
    // Before anything runs: the encoding found, each Chinese header as the column it will fill,
    // and a column nobody knows waits for the user to say what it is (here: skip it).
    const preview = page.getByTestId('import-preview');
    await preview.getByText('GBK', { exact: true }).waitFor();
    assert.equal(await preview.getByLabel('What the column 姓名 is').inputValue(), 'name');
    await preview.getByRole('cell', { name: '赵六' }).waitFor();
    assert.ok(await page.getByTestId('import-start').isDisabled(), 'not before every column is settled');
    await preview.getByLabel('What the column 备注 is').click();
    await page.getByRole('option', { name: 'Skip this column' }).click();
    await page.getByTestId('import-start').click();
    await page.getByTestId('job-status').filter({ hasText: 'Finished' }).waitFor();
    await page.getByTestId('import-created').filter({ hasText: '1' }).waitFor();
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Search customers').fill('赵六');
    await page.getByRole('cell', { name: '赵六' }).waitFor();
    await page.getByLabel('Search customers').fill('');
  });

  await step('the manager exports the list as a job and downloads it', async () => {
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('button', { name: 'Export' }).click();
    // The dialog states how many people leave before anything does.
    await page.getByTestId('export-count').filter({ hasText: '3 customers will be exported' }).waitFor();
    await page.getByTestId('export-format').getByText('CSV').click();
    await page.getByRole('button', { name: 'Export 3 customers' }).click();
    await page.getByText('3 customers exported').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    assert.equal(download.suggestedFilename(), 'customers.csv');
    await page.keyboard.press('Escape');
  });

  await step('the manager finds customers by part of a name and by a whole mobile', async () => {
    const search = page.getByLabel('Search customers');
    await search.fill('张三丰');
    await page.getByRole('cell', { name: '张三丰' }).waitFor();
    await page.getByTestId('customer-count').filter({ hasText: /^1 customer$/ }).waitFor();
    await page.getByRole('cell', { name: '李四' }).waitFor({ state: 'detached' });
    await search.fill('+86 139 0000 1111');
    await page.getByRole('cell', { name: '李四' }).waitFor();
    await page.getByRole('cell', { name: '张三丰' }).waitFor({ state: 'detached' });
    // The customer page's back link returns to the list with its search.
    await search.fill('张三丰');
    await page.getByRole('link', { name: '张三丰' }).click();
    await page.getByTestId('back-to-list').click();
    await page.waitForURL((u) => u.pathname === '/customers' && u.searchParams.get('q') === '张三丰');
    await page.getByLabel('Search customers').fill('');
    await page.getByRole('cell', { name: '张三丰' }).waitFor();
  });

  await step('Ctrl+K finds a customer by name; selected rows get a tag at once; a column sorts the list', async () => {
    await page.keyboard.press('Control+K');
    const palette = page.getByRole('dialog');
    await palette.getByRole('textbox').fill('赵六');
    await palette.getByRole('option', { name: /赵六/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-name').filter({ hasText: '赵六' }).waitFor();
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    for (const name of ['赵六', '李四']) {
      await page.getByRole('row').filter({ hasText: name }).getByTestId('row-select').check();
    }
    const bar = page.getByTestId('bulk-bar');
    await bar.getByText('2 customers selected').waitFor();
    await bar.getByTestId('bulk-tags').fill('e2e-bulk');
    await page.keyboard.press('Enter');
    await bar.getByRole('button', { name: 'Add to selected' }).click();
    await page.getByText('Changed the selected customers').first().waitFor();
    for (const name of ['赵六', '李四']) {
      await page.getByRole('row').filter({ hasText: name }).getByText('e2e-bulk').waitFor();
    }
    // The same two, exported on their own: a spreadsheet by default.
    for (const name of ['赵六', '李四']) {
      await page.getByRole('row').filter({ hasText: name }).getByTestId('row-select').check();
    }
    await bar.getByTestId('bulk-export').click();
    await page.getByTestId('export-count').filter({ hasText: '2 customers will be exported' }).waitFor();
    await page.getByRole('button', { name: 'Export 2 customers' }).click();
    await page.getByText('2 customers exported').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    assert.equal(download.suggestedFilename(), 'customers.xlsx');
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX is a zip archive');
    await page.keyboard.press('Escape');
    await bar.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('columnheader', { name: /Name/ }).getByRole('button').click();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'name');
    await page.getByRole('columnheader', { name: /Name/ }).and(page.locator('[aria-sort="ascending"]')).waitFor();
  });

  await step('part of a number is explained, not answered with everyone; Back keeps the search', async () => {
    const search = page.getByLabel('Search customers');
    await search.fill('1998');
    await page.getByTestId('partial-number').filter({ hasText: '4 digits are part of a number' }).waitFor();
    await page.getByRole('cell', { name: '张三丰' }).waitFor({ state: 'detached' });
    await search.fill('张三丰');
    await page.getByRole('cell', { name: '张三丰' }).click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/customers' && u.searchParams.get('q') === '张三丰');
    assert.equal(await page.getByLabel('Search customers').inputValue(), '张三丰');
    await page.getByRole('cell', { name: '张三丰' }).waitFor();
    await page.getByRole('cell', { name: '李四' }).waitFor({ state: 'detached' });
  });

  await step('the manager reviews a duplicate, merges it and undoes the merge', async () => {
    await page.getByRole('button', { name: 'New customer' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('张三丰');
    await dialog.getByLabel('Mobile').fill('13812341234');
    await dialog.getByLabel('Email').fill('zsf@example.com');
    // The same mobile is already a customer: the form says so while it is being filled in.
    await dialog.getByTestId('existing-customers').getByRole('link', { name: /^张/ }).waitFor();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('duplicates').waitFor();
    const duplicate = await page.getByTestId('duplicates').getByRole('link').first().getAttribute('href');
    await page.getByTestId('merge-open').first().click();
    const preview = page.getByTestId('merge-preview');
    await preview.getByRole('cell', { name: 'zsf@example.com' }).first().waitFor();
    await page.screenshot({ path: join(results, 'merge.png'), fullPage: true });
    await page.getByTestId('merge-confirm').click();
    await page.getByRole('tab', { name: 'History' }).waitFor();
    const survivor = new URL(page.url()).pathname;
    // The merged record's old address (a bookmark, a privacy request) leads to the survivor.
    await page.goto(`${base}${duplicate}`);
    await page.getByTestId('merged-notice').waitFor();
    await page.waitForURL((u) => u.pathname === survivor);
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByTestId('history').getByText('customer.merge', { exact: true }).waitFor();
    await page.getByTestId('merge-undo').click();
    await page.getByTestId('history').getByText('Merge undone').waitFor();
  });

  await step('the manager runs the data-quality check and sees the accuracy per unit', async () => {
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('button', { name: 'Data quality' }).click();
    await page.getByTestId('quality-run').click();
    await page.getByTestId('job-status').filter({ hasText: 'Finished' }).waitFor();
    await page.getByTestId('quality-table').getByRole('cell', { name: 'E2E Subsidiary' }).waitFor();
    await page.getByText('Information accuracy').first().waitFor();
    await page.screenshot({ path: join(results, 'quality.png'), fullPage: true });
  });
}
