// When the app cannot start, or stops on an internal error, the clerk reads why, that
// the data is safe and how to reload, never a blank or dead page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, Profile, setUpUnit, unlock } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('a panic shows that the data is safe and reloads into the app as it was', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await setUpUnit(page, { name: '城关镇信访办' });
    assert.equal(await page.locator('#boot-status').count(), 0, 'the starting notice is gone once the app runs');
    // Dual-core browsers are asked for their fast engine.
    assert.equal(await page.getAttribute('meta[name=renderer]', 'content'), 'webkit');

    await page.evaluate(async () => {
      const glue = await import(document.querySelector('script[data-js]').dataset.js);
      try { glue.panic_drill(); } catch { /* the module stops here: the notice is what counts */ }
    });
    await page.waitForSelector('#crash[role=alert] h1:has-text("程序出现内部错误")');
    const text = await page.textContent('#crash');
    assert.match(text, /已保存的案件和草稿都在本浏览器中，没有丢失/);
    assert.match(text, /按 F5/);
    assert.match(text, /panic_drill/, 'the technical detail for a report');
    assert.ok(profile.errors.some((e) => e.includes('程序内部错误')), 'the console has it too');

    await Promise.all([page.waitForEvent('load'), page.click('#crash button:has-text("重新载入")')]);
    // A reload opens locked, as always: the operator types the passphrase again.
    await unlock(page);
    await page.waitForSelector('.topbar .who:has-text("城关镇信访办")');
    assert.equal(await page.locator('#crash').count(), 0);
  } finally {
    await profile.dispose();
  }
});

test('a failed load and an engine without WebAssembly each say so in plain words', async () => {
  const profile = new Profile();
  try {
    // Blocked before the first load, so no service worker holds a copy yet.
    const page = await profile.start('about:blank');
    await profile.context.route('**/*.wasm', (r) => r.abort());
    await page.goto(server.url);
    await page.waitForSelector('#crash h1:has-text("程序未能启动")');
    assert.match(await page.textContent('#crash'), /没有载入成功/);
    assert.equal(await page.locator('#boot-status').count(), 0);
    await profile.context.unroute('**/*.wasm');

    const old = await profile.context.newPage();
    await old.addInitScript(() => { delete window.WebAssembly; });
    await old.goto(server.url);
    await old.waitForSelector('#crash h1:has-text("此浏览器无法运行本程序")');
    assert.match(await old.textContent('#crash'), /极速模式/);
  } finally {
    await profile.dispose();
  }
});
