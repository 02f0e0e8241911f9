import { serveDist, Profile, setUpUnit } from './harness.mjs';
const s = await serveDist(); const p = new Profile();
const page = await p.start(s.url);
await page.waitForTimeout(3000);
await page.screenshot({ path: '/tmp/shot1.png' });
try { await setUpUnit(page); } catch (e) { console.log('setup failed', e.message); }
await page.screenshot({ path: '/tmp/shot2.png', fullPage: true });
console.log(p.errors);
await p.dispose(); await s.close();
