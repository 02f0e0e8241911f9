// Two tabs of the app in one browser: what one registers, the other finds at its next
// search (its rows in memory were told over a BroadcastChannel); and when a newer
// version opens the database in another tab, the older tab says so and stops writing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, Profile, setUpUnit, fillPetition, submitRegistration, search, listCount, appReady } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('two tabs: a write in one reaches the other; an upgrade in one stops the other', async () => {
  const profile = new Profile();
  try {
    const first = await profile.start(server.url);
    await setUpUnit(first);
    // The first tab has every row in memory before the second tab writes.
    await search(first, '污水');
    assert.equal(await listCount(first), 0);
    await first.waitForTimeout(1500);

    const second = await profile.context.newPage();
    await second.goto(server.url + '#/new');
    await appReady(second);
    await fillPetition(second, { title: '小区污水外溢', id: '' });
    await submitRegistration(second);

    // Another query than the first, so the answer waited for cannot be the one before.
    await search(first, '小区污水');
    assert.equal(await listCount(first), 1);

    // A newer schema opened in the second tab (as a newer build would): the first tab
    // closes its connection, so the upgrade is not blocked, and asks for a reload.
    const upgraded = await second.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('xinfang', 99);
      open.onsuccess = () => { open.result.close(); resolve('opened'); };
      open.onblocked = () => resolve('blocked');
      open.onerror = () => resolve(String(open.error));
    }));
    assert.equal(upgraded, 'opened');
    await first.waitForSelector('[data-testid=outdated]:has-text("已在另一个标签页中更新")');
    assert.ok(await first.isVisible('[data-testid=outdated] button:has-text("重新加载本页")'));
  } finally {
    await profile.dispose();
  }
});
