// The case list leaves as the ledger an office keeps in Excel: the filtered list or the
// ticked cases, every recorded field, dates as dates; the dashboard as one workbook with
// rates as percentages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serveDist, Profile, setUpUnit, fillPetition, submitRegistration, readWorkbook, download, chinaDate } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('the filtered list and the ticked cases export as a ledger; the dashboard as one workbook', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await setUpUnit(page);
    const cases = [
      { title: '拖欠工资', township: '城关镇', name: '张三', id: '11010519491231002X', phone: '13800138000' },
      { title: '=HYPERLINK("http://x","点我")', township: '城关镇', name: '李四', id: '', phone: '13900139000' },
      { title: '征地补偿', township: '东岭乡', name: '王五', id: '', phone: '13700137000', category: 'LandExpropriation' },
    ];
    for (const c of cases) {
      await page.goto(server.url + '#/new');
      await fillPetition(page, c);
      await submitRegistration(page);
      await page.waitForSelector('[data-testid=case-no]');
    }

    // Filtered to 城关镇: two cases, every field a clerk records.
    await page.goto(server.url + '#/cases');
    await page.selectOption('select[name=township]', '城关镇');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 2 件")');
    const book = readWorkbook(await download(page, '[data-testid=ledger-xlsx]'));
    await page.waitForSelector('[data-testid=ledger-export] ~ .msg.ok:has-text("已导出 2 件")');
    assert.deepEqual(book.names, ['信访事项台账']);
    const rows = book.rows('信访事项台账');
    assert.equal(rows.length, 3);
    const head = rows[0];
    for (const h of ['案件编号', '收件日期', '信访形式', '信访人', '身份证号', '联系电话', '住址', '信访事项', '诉求', '问题类别', '乡镇', '办理阶段', '承办单位', '期限截止', '处理意见', '评价', '标记']) {
      assert.ok(head.includes(h), `column ${h}`);
    }
    const at = (r, h) => rows[r][head.indexOf(h)];
    assert.equal(at(1, '信访人'), '张三');
    assert.equal(at(1, '身份证号'), '11010519491231002X');
    assert.equal(at(1, '联系电话'), '13800138000');
    assert.equal(at(1, '办理阶段'), '待分流');
    assert.ok(at(1, '收件日期') instanceof Date, 'a real date cell');
    const sheet = book.sheet('信访事项台账');
    assert.equal(sheet.B2.z, 'yyyy-mm-dd');
    assert.equal(sheet.I2.t, 'n', 'the head count is a number');
    assert.ok(sheet['!cols'].length >= 20 && sheet['!cols'][9].wch > 8, 'column widths');
    assert.equal(at(2, '信访事项'), '=HYPERLINK("http://x","点我")', 'kept as text, never a formula');
    assert.equal(sheet.J3.f, undefined);

    // The ticked case alone, as CSV (a petitioner's formula stays text there too).
    await page.click('button:has-text("重置")');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 3 件")');
    await page.check('table.cases tr:has-text("HYPERLINK") input[name=select]');
    const csv = readFileSync(await download(page, '[data-testid=ledger-csv]'), 'utf8');
    const lines = csv.trim().split('\r\n');
    assert.equal(lines.length, 2, 'the header and the ticked case');
    assert.match(lines[1], /,"'=HYPERLINK\(""http:\/\/x"",""点我""\)",/);
    assert.match(lines[1], new RegExp(`^XF01-\\d{4}-\\d{5},${chinaDate().slice(0, 4)}-\\d{2}-\\d{2},`));

    // The dashboard: one workbook, a sheet per table, rates as percentages.
    await page.goto(server.url + '#/dashboard');
    await page.waitForSelector('[data-figure=total]');
    const dash = readWorkbook(await download(page, '[data-testid=workbook]'));
    assert.deepEqual(dash.names, ['看板', '乡镇考核', '单位考核', '超期案件', '重复信访人', '排查化解', '启动的应急预案']);
    const figures = dash.rows('看板');
    const group = figures.findIndex((r) => r[0] === '集体访占比');
    const cell = dash.sheet('看板')[`B${group + 1}`];
    assert.equal(cell.t, 'n');
    assert.equal(cell.v, 0);
    assert.match(cell.z, /%/);
    const town = dash.rows('乡镇考核');
    assert.deepEqual(town[0].slice(0, 3), ['乡镇（属地管理）', '件数', '集体访']);
    assert.ok(town.some((r) => r[0] === '城关镇' && r[1] === 2));
    assert.deepEqual(profile.errors, []);
  } finally {
    await profile.dispose();
  }
});
