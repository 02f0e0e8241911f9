// The petition office, end to end in headless Chromium: set up, register, find, open,
// correct, reload, restart; bad input is refused and stores nothing; drafts survive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, Profile, appReady, setUpUnit, fillPetition, search, listCount, submitRegistration } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

const year = new Date().getFullYear();

test('register, find, open, correct, and the case survives reload and restart', async () => {
  const profile = new Profile();
  try {
    let page = await profile.start(server.url);
    await setUpUnit(page);
    assert.match(await page.textContent('.topbar .who'), /某某县信访局 · 王五/);

    await page.click('a:has-text("＋ 登记")');
    await fillPetition(page);
    await submitRegistration(page);
    await page.waitForSelector('[data-testid=case-no]');
    assert.equal(await page.textContent('[data-testid=case-no]'), `XF01-${year}-00001`);
    assert.equal(await page.textContent('[data-testid=case-title]'), '拖欠工资');
    assert.match(await page.textContent('[data-testid=history]'), /登记.*某某县信访局（XF01）.*经办人：王五/s);
    const caseUrl = page.url();

    // Found by 身份证号 (typed with a lower-case x), by a run of its text, by phone.
    for (const q of ['11010519491231002x', '资金紧张', '13800138000', `XF01-${year}`]) {
      await search(page, q);
      assert.equal(await listCount(page), 1, `search ${q}`);
    }
    await search(page, '拆迁');
    assert.equal(await listCount(page), 0);

    // Open it from the list and correct the title.
    await search(page, '张三');
    await page.click('table.cases a:has-text("拖欠工资")');
    await page.waitForSelector('[data-testid=case-no]');
    await page.click('a:has-text("更正")');
    await page.waitForSelector('h1:has-text("更正案件")');
    await page.fill('input[name=title]', '拖欠农民工工资');
    await page.fill('textarea[name=reason]', '登记时标题不准确');
    await page.click('button:has-text("保存更正")');
    await page.waitForSelector('[data-testid=case-title]:has-text("拖欠农民工工资")');
    const history = await page.textContent('[data-testid=history]');
    assert.match(history, /更正原因：登记时标题不准确/);
    assert.match(history, /标题\s*拖欠工资\s*拖欠农民工工资/);

    // Reload the page, then restart the browser: the case and its history are still there.
    await page.reload();
    await page.waitForSelector('[data-testid=case-title]:has-text("拖欠农民工工资")');
    await profile.stop();
    page = await profile.start(caseUrl);
    await page.waitForSelector('[data-testid=case-title]:has-text("拖欠农民工工资")');
    assert.match(await page.textContent('[data-testid=history]'), /登记时标题不准确/);
    await search(page, '农民工');
    assert.equal(await listCount(page), 1);

    // The next registration takes the next number.
    await page.goto(server.url + '#/new');
    await fillPetition(page, { name: '李四', id: '', phone: '0571-88886666', title: '噪声扰民' });
    await submitRegistration(page);
    await page.waitForSelector(`[data-testid=case-no]:has-text("XF01-${year}-00002")`);
    assert.deepEqual(profile.errors, []);
  } finally {
    await profile.dispose();
  }
});

test('a wrong 身份证号 or phone shows a message at the field and stores nothing', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await setUpUnit(page);
    await page.goto(server.url + '#/new');
    await fillPetition(page, { id: '110105194912310021', phone: '12345' });
    await submitRegistration(page);
    const idError = page.locator('label:has(input[name="petitioners.0.id_number"]) .error');
    await idError.waitFor();
    assert.match(await idError.textContent(), /校验位不正确.*应为 X/);
    assert.match(await page.locator('label:has(input[name="petitioners.0.phone"]) .error').textContent(), /电话号码格式不正确/);
    assert.match(await page.textContent('.msg.bad'), /未保存任何内容/);

    // An impossible birth date and a missing title are named too.
    await page.fill('input[name="petitioners.0.id_number"]', '110101199002300031');
    await page.fill('input[name=title]', '');
    await submitRegistration(page);
    await page.waitForSelector('label:has(input[name="petitioners.0.id_number"]) .error:has-text("出生日期")');
    await page.waitForSelector('label:has(input[name=title]) .error:has-text("请填写标题")');

    await page.goto(server.url + '#/cases');
    await page.waitForSelector('[data-testid=list-summary]');
    assert.equal(await listCount(page), 0);
  } finally {
    await profile.dispose();
  }
});

test('a half-filled form survives a reload and a browser restart', async () => {
  const profile = new Profile();
  try {
    let page = await profile.start(server.url);
    await setUpUnit(page);
    await page.goto(server.url + '#/new');
    await page.waitForSelector('input[name=title]');
    await page.fill('input[name="petitioners.0.name"]', '王小二');
    await page.fill('input[name=title]', '宅基地纠纷');
    await page.selectOption('select[name=category]', 'Agriculture');
    await page.waitForTimeout(300);
    await page.reload();
    await appReady(page);
    await page.waitForFunction(() => document.querySelector('input[name=title]')?.value === '宅基地纠纷');
    await profile.stop();
    page = await profile.start(server.url + '#/new');
    await page.waitForFunction(() => document.querySelector('input[name=title]')?.value === '宅基地纠纷');
    assert.equal(await page.inputValue('input[name="petitioners.0.name"]'), '王小二');
    assert.equal(await page.inputValue('select[name=category]'), 'Agriculture');
  } finally {
    await profile.dispose();
  }
});

test('filters narrow the list by channel, category and township', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await setUpUnit(page);
    const cases = [
      { channel: 'Visit', category: 'LabourSocialSecurity', township: '城关镇', title: '甲' },
      { channel: 'Letter', category: 'Environment', township: '东岭乡', title: '乙' },
      { channel: 'Letter', category: 'LabourSocialSecurity', township: '东岭乡', title: '丙' },
    ];
    for (const c of cases) {
      await page.goto(server.url + '#/new');
      await page.waitForSelector('input[name=title]');
      await fillPetition(page, { ...c, id: '' });
      await submitRegistration(page);
      await page.waitForSelector(`[data-testid=case-title]:has-text("${c.title}")`);
    }
    await page.goto(server.url + '#/cases');
    await page.waitForSelector('[data-testid=list-summary]');
    assert.equal(await listCount(page), 3);
    // Newest first.
    assert.match(await page.textContent('table.cases tbody tr:first-child'), /丙/);
    await page.selectOption('.filters select[name=channel]', 'Letter');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 2 件")');
    await page.selectOption('.filters select[name=township]', '东岭乡');
    await page.selectOption('.filters select[name=category]', 'Environment');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 1 件")');
    assert.match(await page.textContent('table.cases tbody'), /乙/);
  } finally {
    await profile.dispose();
  }
});

test('settings: the operator change is recorded on later actions; storage persistence is asked for', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    // Setup refuses a bad unit code and names the field.
    await appReady(page);
    await page.fill('input[name=code]', 'XF-01');
    await page.click('button:has-text("保存并开始使用")');
    await page.waitForSelector('label:has(input[name=code]) .error:has-text("单位代码")');
    await page.waitForSelector('label:has(input[name=name]) .error:has-text("请填写单位名称")');
    await setUpUnit(page);

    await page.click('.topbar a:has-text("设置")');
    await page.waitForSelector('h1:has-text("本单位设置")');
    assert.equal(await page.inputValue('input[name=code]'), 'XF01');
    await page.fill('input[name=operator]', '赵六');
    await page.click('button:has-text("保存")');
    await page.waitForSelector('.msg.ok:has-text("已保存")');
    assert.match(await page.textContent('.topbar .who'), /赵六/);

    await page.click('button:has-text("申请持久存储")');
    await page.waitForFunction(() => /浏览器(已同意|尚未同意)/.test(document.querySelector('[data-testid=persist-status]')?.textContent ?? ''));

    await page.goto(server.url + '#/new');
    await fillPetition(page, { id: '' });
    await submitRegistration(page);
    await page.waitForSelector('[data-testid=history]');
    assert.match(await page.textContent('[data-testid=history]'), /经办人：赵六/);
  } finally {
    await profile.dispose();
  }
});
