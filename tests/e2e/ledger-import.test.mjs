// An office brings its old Excel ledger in: a messy 200-row workbook (a merged title,
// a note, dates as Excel dates and as text in three forms, full-width digits, several
// petitioners in a cell, a blank and a 小计 row), previewed with the column mapping
// corrected, imported; the refused rows downloaded, fixed in "Excel" and imported too;
// the same file again adds nothing; a GB18030 CSV as Chinese Excel saves it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist, Profile, setUpUnit, download, readWorkbook, search, listCount } from './harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const XLSX = createRequire(join(root, '.tools/package.json'))('xlsx');

const TOWNS = ['城关镇', '东岭乡', '西河镇'];
const wide = (s) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

/** The messy ledger: 200 rows of which 19 are refused; returns its path and counts. */
function messyLedger(dir) {
  const head = ['序号', '编号', '来信日期', '信访形式', '姓名', '身份证号码', '联系电话', '反映问题', '诉求', '所属乡镇', '办理情况'];
  const aoa = [['某某县信访局2026年信访事项登记台账'], ['填报单位：某某县信访局（盖章）', '', '', '', '', '', '', '', '填报日期：2026年11月30日'], [], head];
  let settled = 0;
  let refused = 0;
  for (let i = 1; i <= 200; i++) {
    const month = (i % 11) + 1;
    const day = (i % 27) + 1;
    const date = [new Date(Date.UTC(2026, month - 1, day)), `2026/${month}/${day}`, `2026.${month}.${day}`, wide(`2026年${month}月${day}日`)][i % 4];
    const badId = i % 20 === 7;
    const noMatter = i % 50 === 13;
    const badDate = i % 40 === 31;
    const done = i % 3 === 0;
    if (badId || noMatter || badDate) refused++;
    else if (done) settled++;
    aoa.push([
      i,
      `XF2026-${String(i).padStart(3, '0')}`,
      badDate ? '去年秋天' : date,
      ['来信', '来访', '网上', '电话'][i % 4],
      i % 25 === 0 ? `甲${i}、乙${i}` : `信访人${i}`,
      badId ? '110105194912310021' : '',
      i % 5 === 0 ? wide(`138${String(i).padStart(8, '0')}`) : `139${String(i).padStart(8, '0')}`,
      noMatter ? '' : `反映事项${i}`,
      noMatter ? '' : `请求解决问题${i}`,
      TOWNS[i % 3],
      done ? '已办结' : '办理中',
    ]);
    if (i === 100) aoa.push([], ['小计', '100件']);
  }
  const sheet = XLSX.utils.aoa_to_sheet(aoa);
  sheet['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 10 } }];
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, '2026年台账');
  const path = join(dir, '2026年信访台账.xlsx');
  XLSX.writeFile(book, path, { bookSST: true, compression: true });
  return { path, fresh: 200 - refused, refused, settled };
}

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

const summary = '[data-testid=ledger-summary]';

test('a messy ledger is previewed, imported, its refused rows fixed and imported, and a second import adds nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  const ledger = messyLedger(dir);
  assert.equal(ledger.refused, 19);
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await setUpUnit(page);
    await page.goto(server.url + '#/cases');
    await page.click('[data-testid=ledger-import]');
    await page.setInputFiles('[data-testid=ledger-file]', ledger.path);
    await page.waitForSelector(`${summary}:has-text("将新建 ${ledger.fresh} 件案件")`);
    const text = await page.textContent(summary);
    assert.match(text, new RegExp(`其中 ${ledger.settled} 件原台账记载已办结`));
    assert.match(text, /19 行未通过检查/);
    assert.match(text, /跳过 2 行/, 'the blank row and the 小计');
    const reasons = await page.textContent('[data-testid=ledger-refused]');
    assert.match(reasons, /第 11 行：.*身份证号/);
    assert.match(reasons, /缺少信访事项/);
    assert.match(reasons, /“去年秋天”无法识别/);
    const sample = await page.textContent('[data-testid=ledger-sample]');
    assert.match(sample, /XF2026-001/);
    assert.match(sample, /2026-02-02/, 'a date written as text with full-width digits');

    // The clerk corrects the mapping: 办理情况 not read, then read again.
    await page.click('[data-testid=ledger-mapping] summary');
    await page.selectOption('[data-testid=map-10]', '');
    await page.waitForSelector(`${summary}:not(:has-text("原台账记载已办结"))`);
    await page.selectOption('[data-testid=map-10]', 'Handling');
    await page.waitForSelector(`${summary}:has-text("原台账记载已办结")`);

    // The refused rows go back as a workbook under the ledger's own header.
    const back = readWorkbook(await download(page, '[data-testid=refused-xlsx]'));
    const rows = back.rows(back.names[0]);
    assert.equal(rows.length, 20);
    assert.equal(rows[0].at(-1), '未导入原因');

    await page.click('[data-testid=ledger-import-go]');
    await page.waitForSelector(`.msg.ok:has-text("已导入 ${ledger.fresh} 件案件")`, { timeout: 60_000 });
    await page.waitForSelector(`${summary}:has-text("将新建 0 件案件")`);
    assert.match(await page.textContent(summary), new RegExp(`${ledger.fresh} 行以前已导入`));

    // The same file again: nothing to add.
    await page.setInputFiles('[data-testid=ledger-file]', ledger.path);
    await page.waitForSelector(`${summary}:has-text("${ledger.fresh} 行以前已导入")`);
    assert.match(await page.textContent(summary), /将新建 0 件案件/);
    assert.equal(await page.isDisabled('[data-testid=ledger-import-go]'), true);

    // Fixed "in Excel": a valid number, a matter, a date; the reason column stays.
    const head = rows[0];
    const col = (h) => head.indexOf(h);
    for (const r of rows.slice(1)) {
      r[col('身份证号码')] = '11010519491231002X';
      r[col('反映问题')] ||= '补登的信访事项';
      r[col('来信日期')] = '2026-01-05';
    }
    const fixedBook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(fixedBook, XLSX.utils.aoa_to_sheet(rows), '改正');
    const fixed = join(dir, '改正后.xlsx');
    XLSX.writeFile(fixedBook, fixed, { compression: true });
    await page.setInputFiles('[data-testid=ledger-file]', fixed);
    await page.waitForSelector(`${summary}:has-text("将新建 19 件案件")`);
    assert.match(await page.textContent(summary), /0 行未通过检查/);
    await page.click('[data-testid=ledger-import-go]');
    await page.waitForSelector('.msg.ok:has-text("已导入 19 件案件")');

    // All 200 are cases now, each with its origin; the settled ones are not in the workbench's open work.
    await page.goto(server.url + '#/cases');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 200 件")');
    await search(page, 'XF2026-002');
    assert.equal(await listCount(page), 1, 'found by its number in the old ledger');
    await page.click('table.cases tbody tr:first-child a');
    await page.waitForSelector('[data-testid=ledger-origin]');
    assert.match(await page.textContent('[data-testid=ledger-origin]'), /从台账“2026年信访台账\.xlsx”导入，原编号 XF2026-002/);
    assert.equal(await page.textContent('[data-testid=original-no]'), 'XF2026-002');

    // A GB18030 CSV, as Chinese Excel saves one.
    await page.goto(server.url + '#/import-ledger');
    await page.setInputFiles('[data-testid=ledger-file]', join(root, 'tests/fixtures/ledger-messy-gb18030.csv'));
    await page.waitForSelector(`${summary}:has-text("将新建 5 件案件")`);
    assert.match(await page.textContent('[data-testid=ledger-sample]'), /拖欠工资/);
    assert.deepEqual(profile.errors, []);
  } finally {
    await profile.dispose();
  }
});
