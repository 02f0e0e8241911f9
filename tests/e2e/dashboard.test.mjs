// The dashboard: figures of the period, charts and scorecards, a click (or Enter) on a
// bar or figure opening the cases behind it, a repeat petitioner found by 身份证号,
// sensitive dates, and the one-page monthly report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serveDist, Profile, setUpUnit, fillPetition, submitRegistration, readXlsx, chinaDate } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('figures, charts, click-through and repeat petitioners', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await setUpUnit(page);
    const cases = [
      { title: '拖欠工资', township: '城关镇', id: '11010519491231002X' },
      { title: '再次反映拖欠工资', township: '城关镇', id: '11010519491231002X' },
      { title: '征地补偿', township: '东岭乡', id: '', category: 'LandExpropriation' },
    ];
    const numbers = [];
    for (const [i, c] of cases.entries()) {
      await page.goto(server.url + '#/new');
      await fillPetition(page, { ...c, phone: `1380013800${i}` });
      if (c.township === '东岭乡') await page.fill('input[name=head_count]', '6');
      if (i === 1) {
        // The same 身份证号 as the first case: the app suggests it; confirming links them.
        await page.click('form button[type=submit]');
        await page.waitForSelector(`[data-testid=suggestions]:has-text("${numbers[0]}")`);
        assert.match(await page.textContent('[data-testid=suggestions]'), /同一身份证号，事项相近/);
        await page.check('input[name=confirm_repeat]');
        await page.click('button:has-text("仍然登记")');
      } else {
        await submitRegistration(page);
      }
      await page.waitForSelector(`[data-testid=case-title]:has-text("${c.title}")`);
      if (i === 1) await page.waitForSelector(`[data-testid=links]:has-text("${numbers[0]}")`);
      numbers.push(await page.textContent('[data-testid=case-no]'));
    }
    await page.click('.topbar a:has-text("看板")');
    await page.waitForSelector('[data-figure=total]');
    assert.match(await page.textContent('[data-figure=total]'), /3 件/);
    // It opens on a period with these cases in it, and says which: early in a month
    // (last month empty) the year so far, later the month.
    const note = await page.textContent('[data-testid=period-note]');
    assert.match(note, Number(chinaDate().slice(8, 10)) <= 7 ? /本年至今/ : /显示本月/);
    assert.match(await page.textContent('[data-figure=group]'), /33\.3%（1\/3）/);
    assert.match(await page.textContent('[data-figure=group_heads]'), /6 人/);
    assert.match(await page.textContent('[data-figure=repeat]'), /1\/3/);
    assert.match(await page.textContent('[data-testid=frequent]'), /张三/);
    assert.match(await page.textContent('[data-chart=township]'), /城关镇.*2/s);

    // The table exports as a real .xlsx (read back here) and as CSV with Chinese intact.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("导出 Excel")')]);
    const rows = readXlsx(await xlsx.path());
    assert.equal(rows[0][0], '项目');
    assert.deepEqual(rows[1], ['总量', 3, 0]);
    assert.ok(rows.some((r) => r[0] === '乡镇：城关镇' && r[1] === 2), JSON.stringify(rows));
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("导出 CSV")')]);
    const text = readFileSync(await csv.path(), 'utf8');
    assert.ok(text.startsWith('\ufeff项目,'), text.slice(0, 20));
    assert.match(text, /乡镇：东岭乡,1,0/);

    // The stacked channel chart splits 来访 into other and group petitions.
    assert.ok(await page.$('[data-chart=channel] g.bar.group[data-label="来访（集体访）：1 件"]'));
    // Scorecards per township (属地管理) and per responsible unit.
    assert.match(await page.textContent('[data-testid=scorecard-township] tr:has-text("城关镇")'), /城关镇\s*2\s*0\s*50\.0%/);
    assert.match(await page.textContent('[data-testid=scorecard-unit]'), /某某县信访局\s*3/);

    // A click on the 城关镇 bar opens the list of its two cases.
    await page.click('[data-chart=township] g.bar[data-label="城关镇"]');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 2 件")');
    assert.match(await page.textContent('[data-testid=picked]'), /乡镇：城关镇.*2 件/);
    assert.doesNotMatch(await page.textContent('table.cases'), /征地补偿/);
    await page.click('[data-testid=picked] button:has-text("显示全部案件")');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 3 件")');

    // Enter on a focused bar works like a click; a figure opens the cases it counts.
    await page.click('.topbar a:has-text("看板")');
    await page.focus('[data-chart=township] g.bar[data-label="东岭乡"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 1 件")');
    assert.match(await page.textContent('table.cases'), /征地补偿/);
    await page.click('.topbar a:has-text("看板")');
    await page.click('[data-figure=repeat]');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 1 件")');
    assert.match(await page.textContent('table.cases'), new RegExp(numbers[1]));

    // Sensitive dates: a bad line is refused in Chinese; today's date flags all three.
    await page.click('.topbar a:has-text("设置")');
    await page.fill('textarea[name=sensitive_dates]', '13-40 错误日期');
    await page.click('button:has-text("保存敏感日期")');
    await page.waitForSelector('#sensitive .msg:has-text("第 1 行")');
    const [, mm, dd] = chinaDate().split('-');
    await page.fill('textarea[name=sensitive_dates]', `${mm}-${dd} 测试敏感日`);
    await page.click('button:has-text("保存敏感日期")');
    await page.waitForSelector('#sensitive .msg:has-text("已保存 1 个敏感日期")');
    await page.click('.topbar a:has-text("看板")');
    await page.waitForSelector('[data-testid=warnings]:has-text("测试敏感日")');
    assert.match(await page.textContent('[data-testid=warnings]'), /敏感日期“测试敏感日”.*收件 3 件/);

    // The monthly report fits one A4 page.
    await page.click('a:has-text("打印月报")');
    await page.waitForSelector('[data-testid=report-figures]');
    assert.match(await page.textContent('[data-testid=report] h1'), /某某县信访局 信访工作月报/);
    assert.match(await page.textContent('[data-testid=report-figures] tr:has-text("总量")'), /总量\s*3/);
    await page.emulateMedia({ media: 'print' });
    const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1');
    assert.equal((pdf.match(/\/Type\s*\/Page[^s]/g) || []).length, 1, 'the report prints on one page');
    assert.deepEqual(profile.errors, []);
  } finally {
    await profile.dispose();
  }
});
