// A screening item handed down and reported back as signed files, by two browser
// profiles as two units: the county filters its register by township and hands the
// township its items; the township imports them (who wrote each record verified), may
// not change the county's record, follows the item up to 已化解 and reports back; the
// county's register shows the township's follow-up, and importing twice changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serveDist, Profile, setUpUnit, chinaDate, download, importFile, trustEachOther } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

async function recordItem(page, { township, parties, matter }) {
  await page.goto(server.url + '#/screening/new');
  await page.waitForSelector('h1:has-text("登记排查事项")');
  await page.fill('input[name=FoundOn]', chinaDate(-5));
  await page.selectOption('select[name=Township]', township);
  await page.fill('input[name=Village]', '东村');
  await page.selectOption('select[name=Category]', 'LandExpropriation');
  await page.fill('input[name=Parties]', parties);
  await page.fill('input[name=HeadCount]', '12');
  await page.fill('textarea[name=Matter]', matter);
  await page.selectOption('select[name=Risk]', 'High');
  await page.fill('input[name=Responsible]', `${township}人民政府`);
  await page.fill('input[name=Leader]', '李副县长');
  await page.fill('textarea[name=Measures]', '镇村干部逐户走访，公开补偿明细');
  await page.fill('input[name=Deadline]', chinaDate(20));
  await page.click('form button[type=submit]');
  await page.waitForSelector('[data-testid=item-status]');
}

test('the county hands a township its screening items and the follow-up comes back', async () => {
  const county = new Profile();
  const town = new Profile();
  try {
    const c = await county.start(server.url);
    await setUpUnit(c, { name: '某某县信访局', code: 'XF01' });
    const t = await town.start(server.url);
    await setUpUnit(t, { name: '城关镇人民政府', code: 'CGZ01', operator: '李镇', level: 'Township', parent: '某某县信访局' });
    await trustEachOther(c, t);

    await recordItem(c, { township: '城关镇', parties: '张三、李四等', matter: '东村征地补偿款分配不均，村民拟集体上访' });
    await recordItem(c, { township: '东岭乡', parties: '王五', matter: '两户宅基地边界纠纷' });

    // The register filtered to 城关镇: only its item goes into the file, encrypted.
    await c.goto(server.url + '#/screening');
    await c.waitForSelector('[data-testid=items]');
    await c.selectOption('select[name=item_township]', '城关镇');
    await c.waitForSelector('[data-testid=item-count]:has-text("显示 1 条")');
    await c.click('[data-testid=hand-items] summary');
    await c.selectOption('[data-testid=hand-items] select[name=export_to]', 'CGZ01');
    const down = await download(c, '[data-testid=hand-items] button:has-text("导出交换文件")');
    const sent = readFileSync(down, 'utf8');
    for (const text of ['张三', '东村征地补偿款']) assert.ok(!sent.includes(text), `${text} is readable in the file`);

    // The township sees what it is before anything is stored, then imports it.
    await importFile(t, down);
    await t.waitForSelector('[data-testid=preview]');
    assert.match(await t.textContent('[data-testid=preview] h2'), /排查事项交换文件：交办/);
    assert.match(await t.textContent('[data-testid=signer]'), /某某县信访局（已信任）/);
    assert.match(await t.textContent('[data-testid=plan]'), /新排查事项 1 条/);
    assert.match(await t.textContent('[data-testid=plan-items]'), /东村征地补偿款/);
    await t.click('button:has-text("确认导入")');
    await t.waitForSelector('.msg.ok:has-text("已导入 1 条记录")');

    await t.goto(server.url + '#/screening');
    await t.waitForSelector('[data-testid=items]');
    assert.match(await t.textContent('[data-testid=item-count]'), /共 1 条/);
    await t.click('[data-testid=items] a:has-text("东村征地补偿款")');
    await t.waitForSelector('[data-testid=handed-here]');
    assert.match(await t.textContent('[data-testid=handed-here]'), /由某某县信访局登记后交本单位/);
    assert.equal(await t.locator('button:text-is("修改")').count(), 0, 'the township does not change the county’s record');
    assert.match(await t.textContent('[data-testid=item-history] [data-testid=author]'), /作者签名已核验/);

    // The township resolves it and reports back: the county is offered as addressee.
    await t.fill('input[name=follow_on]', chinaDate(0));
    await t.fill('textarea[name=follow_text]', '镇里公开补偿明细，村民认可分配方案');
    await t.selectOption('select[name=outcome]', 'Resolved');
    await t.click('[data-testid=follow-up] button[type=submit]');
    await t.waitForSelector('[data-testid=item-status]:has-text("已化解")');
    assert.equal(await t.inputValue('select[name=export_purpose]'), 'report');
    assert.equal(await t.inputValue('select[name=export_to]'), 'XF01');
    const report = await download(t, 'button:has-text("导出交换文件")');

    await importFile(c, report);
    await c.waitForSelector('[data-testid=preview]');
    assert.match(await c.textContent('[data-testid=plan]'), /已有事项新增记录 1 条；本机已有的记录 1 条/);
    await c.click('button:has-text("确认导入")');
    await c.waitForSelector('.msg.ok:has-text("已导入 1 条记录")');
    // Again: nothing to import.
    await importFile(c, report);
    await c.waitForSelector('[data-testid=preview]');
    await c.waitForSelector('.msg.ok:has-text("本机已有此文件的全部内容")');
    assert.ok(await c.isDisabled('button:has-text("确认导入")'));

    await c.goto(server.url + '#/screening');
    await c.waitForSelector('[data-testid=items]');
    await c.click('[data-testid=items] a:has-text("东村征地补偿款")');
    await c.waitForSelector('[data-testid=item-status]:has-text("已化解")');
    const history = await c.textContent('[data-testid=item-history]');
    assert.match(history, /镇里公开补偿明细，村民认可分配方案（已化解）/);
    assert.match(history, /城关镇人民政府（CGZ01）/);
    assert.match(history, /作者签名已核验/);
    // The county still changes its own record.
    assert.equal(await c.locator('button:text-is("修改")').count(), 1);
  } finally {
    await county.dispose();
    await town.dispose();
  }
});
