// One language at a time: the page, its title and the server's errors follow the switch.
import assert from 'node:assert/strict';

const HAN = /[\u4e00-\u9fff]/;
// Words the server used to send to everyone, whatever the UI's language.
const ENGLISH_ERRORS = /Invalid request|Not allowed|Too many requests|is invalid|characters|password/i;

export default async function ({ page, step }) {
  await step('in Chinese the page, its title and a server error are Chinese', async () => {
    await page.getByText('中文', { exact: true }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.getByRole('link', { name: '用户', exact: true }).click();
    await page.waitForFunction(() => document.title.startsWith('用户'));
    await page.getByRole('button', { name: '新建用户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('e2e.lang');
    await dialog.getByLabel('显示名称').fill('语言测试');
    await dialog.getByLabel(/^密码/).fill('short');
    await dialog.getByLabel('所属单位').click();
    await page.getByRole('option', { name: /E2E Subsidiary/ }).click();
    await dialog.getByRole('button', { name: '保存' }).click();
    const message = dialog.getByText(/密码应为/);
    await message.waitFor();
    const text = await dialog.innerText();
    assert.ok(!ENGLISH_ERRORS.test(text), `no English in the Chinese form: ${text}`);
    await page.keyboard.press('Escape');
  });

  await step('back in English, the same error is English', async () => {
    await page.getByText('English', { exact: true }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en' && document.title.startsWith('Users'));
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Username').fill('e2e.lang');
    await dialog.getByLabel('Display name').fill('Language test');
    await dialog.getByLabel(/^Password/).fill('short');
    await dialog.getByLabel('Unit').click();
    await page.getByRole('option', { name: /E2E Subsidiary/ }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    const message = dialog.getByText(/a password has \d+ to \d+ characters/);
    await message.waitFor();
    assert.ok(!HAN.test(await message.innerText()), 'the English message has no Chinese');
    await page.keyboard.press('Escape');
  });
}
