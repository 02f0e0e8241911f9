// The dashboard: figures of the period, a bar per township, a click on a bar opening
// the cases behind it, and a repeat petitioner found by 身份证号.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serveDist, Profile, setUpUnit, fillPetition, submitRegistration, readXlsx } from './harness.mjs';

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

    // A click on the 城关镇 bar opens the list of its two cases.
    await page.click('[data-chart=township] g.bar[data-label="城关镇"]');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 2 件")');
    assert.equal(await page.inputValue('.filters select[name=township]'), '城关镇');
    assert.doesNotMatch(await page.textContent('table.cases'), /征地补偿/);
    assert.deepEqual(profile.errors, []);
  } finally {
    await profile.dispose();
  }
});
