// Three browser profiles as three units: a county 信访局, a township whose 上级单位 it
// is, and a county department. A 转送 case is accepted, handled and answered at the
// township and seen at the county, where the 复查 of the township's opinion is taken and
// answered; a department's objection comes back and the county agrees to it; a copy to
// the department relays the township's records with the township's signatures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, Profile, setUpUnit, fillPetition, takeStep, waitStage, submitRegistration, trustEachOther, hand, openCase, download, importFile } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

async function register(page, title) {
  await page.goto(server.url + '#/new');
  await fillPetition(page, { title, id: '' });
  await submitRegistration(page);
  await waitStage(page, '待分流');
  return page.textContent('[data-testid=case-no]');
}

test('a county, a township and a department each do their own part', async () => {
  const profiles = [new Profile(), new Profile(), new Profile()];
  try {
    const [c, t, d] = await Promise.all(profiles.map((p) => p.start(server.url)));
    await setUpUnit(c, { name: '某某县信访局', code: 'XF01', parent: '某某市信访局' });
    await setUpUnit(t, { name: '城关镇人民政府', code: 'CGZ01', operator: '李镇', level: 'Township', parent: '某某县信访局' });
    await setUpUnit(d, { name: '县人社局', code: 'RSJ01', operator: '赵科', level: 'Department', parent: '某某县人民政府' });
    await trustEachOther(c, t);
    await trustEachOther(c, d);
    assert.match(await c.textContent('[data-testid=directory]'), /城关镇人民政府.*CGZ01.*某某县信访局/s);

    // 转送 to the township: the county tracks it; accepting is the township's part.
    const road = await register(c, '道路破损');
    await takeStep(c, '分流', { how: 'forward', target: '城关镇人民政府' });
    await waitStage(c, '已转送');
    assert.equal(await c.locator('[data-testid=steps] button:has-text("受理")').count(), 0);
    assert.match(await c.textContent('[data-testid=next]'), /由城关镇人民政府办理/);
    await hand(c, t, 'CGZ01', 'forward');
    await t.goto(server.url + '#/workbench');
    await t.waitForSelector('[data-bucket=AwaitingAcceptance] .count:has-text("1")');
    await openCase(t, road);
    await waitStage(t, '待受理');
    assert.match(await t.textContent('[data-testid=handler]'), /承办单位：城关镇人民政府，\d{4}-\d\d-\d\d 签收；转送单位：某某县信访局/);
    await takeStep(t, '受理');
    await takeStep(t, '受理告知');
    await t.waitForSelector('[data-testid=due]:has-text("出具处理意见书期限")');
    await takeStep(t, '处理意见书', { kind: 'Explain', facts: '路面破损属实，已列入维修计划', basis: '《公路法》有关规定' });
    await waitStage(t, '已答复');
    // The township's opinion carries its name; a 复查 of it is not the township's to take.
    await t.click('[data-testid=documents] a:has-text("处理意见书")');
    await t.waitForSelector('[data-testid=document]');
    assert.match(await t.textContent('[data-testid=document]'), /城关镇人民政府/);
    await t.goBack();
    await waitStage(t, '已答复');
    assert.match(await t.textContent('[data-testid=next]'), /复查、复核由上级单位受理/);
    await takeStep(t, '复查申请', { text: '不服', reviewer: '' });
    await t.waitForSelector('.msg.bad:has-text("上级单位受理")');

    // Back at the county: the answer is there, in the township's name.
    await c.goto(server.url + '#/workbench');
    await c.waitForSelector('[data-bucket=Elsewhere] .count:has-text("1")');
    await openCase(t, road);
    await hand(t, c, 'XF01', 'report');
    await openCase(c, road);
    await waitStage(c, '已答复');
    assert.match(await c.textContent('[data-testid=history]'), /城关镇人民政府（CGZ01）经办人：李镇处理意见：解释说明/);
    // The county is the level above the township: it registers and answers the 复查.
    await takeStep(c, '复查申请', { text: '信访人对处理意见不服' });
    await waitStage(c, '复查中');
    await c.waitForSelector('[data-testid=due]:has-text("出具复查意见期限")');
    await takeStep(c, '复查意见', { kind: 'Support', text: '责成城关镇限期维修' });
    await waitStage(c, '复查已答复');
    await c.click('[data-testid=documents] a:has-text("复查意见书")');
    await c.waitForSelector('[data-testid=document]');
    assert.match(await c.textContent('[data-testid=document]'), /某某县信访局/);

    // 转送 to the department, which objects; the county checks and agrees.
    const wages = await register(c, '拖欠工资');
    await takeStep(c, '分流', { how: 'forward', target: '县人社局' });
    await waitStage(c, '已转送');
    await hand(c, d, 'RSJ01', 'forward');
    await openCase(d, wages);
    await waitStage(d, '待受理');
    await takeStep(d, '提出异议', { text: '系建设领域欠薪，属住建部门职责' });
    await d.waitForSelector('[data-testid=next]:has-text("由某某县信访局办理")');
    assert.equal(await d.locator('[data-testid=steps] button:has-text("受理")').count(), 0);
    await hand(d, c, 'XF01', 'report');
    await c.goto(server.url + '#/workbench');
    await c.waitForSelector('[data-bucket=ObjectionToCheck] .count:has-text("1")');
    await openCase(c, wages);
    await takeStep(c, '同意异议');
    await waitStage(c, '待分流');
    assert.match(await c.textContent('[data-testid=history]'), /核实同意异议/);

    // The county copies the road case to the department: the county's records and the
    // township's, each signed by its author, relayed unchanged. The department trusts
    // the county, not yet the township: the township's records are shown unverified.
    await openCase(c, road);
    await c.selectOption('select[name=export_to]', 'RSJ01');
    await c.selectOption('select[name=export_purpose]', 'copy');
    const copy = await download(c, 'button:has-text("导出交换文件")');
    await importFile(d, copy);
    await d.waitForSelector('[data-testid=plan]');
    assert.match(await d.textContent('[data-testid=plan-unverified]'), /其中 \d+ 条记录的作者签名未能核验/);
    await d.click('button:has-text("确认导入")');
    await d.waitForSelector('.msg.ok:has-text("已导入")');
    const authors = async (unit) => {
      await openCase(d, road);
      await d.waitForSelector('[data-testid=author]');
      const head = d.locator('.event-head span', { hasText: `${unit}（` });
      return d.locator('[data-testid=history] li', { has: head }).locator('[data-testid=author]').allTextContents();
    };
    const county = await authors('某某县信访局');
    assert.ok(county.length > 0 && county.every((a) => a.startsWith('作者签名已核验')), county.join('|'));
    const township = await authors('城关镇人民政府');
    assert.ok(township.length > 0 && township.every((a) => a.startsWith('作者签名未核验')), township.join('|'));
    // Once the department checks and trusts the township's card, they are proven too.
    await trustEachOther(t, d);
    const trusted = await authors('城关镇人民政府');
    assert.ok(trusted.every((a) => a.startsWith('作者签名已核验')), trusted.join('|'));
    assert.deepEqual(profiles.flatMap((p) => p.errors), []);
  } finally {
    await Promise.all(profiles.map((p) => p.dispose()));
  }
});
