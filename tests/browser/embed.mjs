// Browser test of the agency's brand and of embedding the client's page,
// against `onramp-edge serve --demo`.
//
//   node tests/browser/embed.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// The agency brands its organization (name, accent, welcome note, one embed
// origin) and mints a link with a note. Two pages of other origins frame
// the link: the listed one shows the wizard in the agency's name and
// receives its onramp:step and onramp:closed messages; the unlisted one
// gets an empty frame, and no message. A client whose phases are done
// finishes inside a listed frame, whose page receives onramp:completed. Screenshot: OUT/embed-listed.png.
import http from 'node:http';

import path from 'node:path';

import {
  apiCall, BrowserTest, DEMO_USER, expectEqual, onStep, settled, testArgs, uploadIngested, waitForState,
} from './harness.mjs';
import { allChecksPass } from './wizard_steps.mjs';

const args = testArgs();
const test = new BrowserTest(90);
const { checks } = test;
const api = (method, url, options) => apiCall(test.edge, method, url, options);
// A 1×1 PNG.
const LOGO = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A page on its own origin (a port of 127.0.0.1) that frames `src` and keeps
// every message it receives in window.received. The frame is tall enough
// for the whole first step, so its sign-out link is in view.
async function parentPage(src) {
  const html = `<!doctype html><title>Agency app</title>
<script>window.received = []; addEventListener('message', (e) => received.push({ origin: e.origin, data: e.data }));</script>
<iframe id="onboarding" src="${src}" style="width:1000px;height:1200px;border:0"></iframe>`;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  process.once('exit', () => server.close());
  return { origin, close: () => server.close() };
}

// The frame showing the edge's page, once the browser made it.
async function onboardingFrame(page, edgeUrl) {
  for (let i = 0; i < 200; i++) {
    const frame = page.frames().find((f) => f !== page.mainFrame() && f.url() !== 'about:blank');
    if (frame) return frame;
    await sleep(50);
  }
  throw new Error(`no frame for ${edgeUrl}`);
}

async function main() {
  const edge = await test.startEdge({ ...args, extraArgs: ['--demo'] });
  const { access_token: token } = await api('POST', '/api/v1/auth/login', { body: DEMO_USER });
  const org = (await api('GET', '/api/v1/orgs', { token })).items[0].id;

  // Two origins: the first is listed, the second is not. Ports are known
  // only once listening, so the frame's src is set after.
  const link = await api('POST', `/api/v1/orgs/${org}/onboarding-links`, { token, body: { note: 'Hello Dana, start here.' } });
  const src = `${edge.url}/?embed=${org}#/onboard/${link.token}`;
  const listed = await parentPage(src);
  const unlisted = await parentPage(src);

  await checks.run('the agency brands its organization and lists its app as an embed origin', async () => {
    await apiCall(edge, 'PUT', `/api/v1/orgs/${org}/branding`, {
      token,
      body: { name: 'Northwind Agency', accent: '#0F766E', logo: LOGO, welcome: 'We set up your store in a day.', embed_origins: [listed.origin] },
    });
  });

  const { page, expectConsoleError } = await test.openBrowser({ width: 1100, height: 1250, scale: 1 });

  await checks.run('an unlisted origin gets an empty frame and no message', async () => {
    expectConsoleError(/^Framing .* violates the following Content Security Policy directive: "frame-ancestors/);
    await page.goto(unlisted.origin);
    const frame = await onboardingFrame(page, edge.url);
    await sleep(1500);
    const loaded = await frame.evaluate(() => !!window.Module).catch(() => false);
    if (loaded) throw new Error('the wizard loaded inside a page of an unlisted origin');
    expectEqual((await page.evaluate(() => window.received.length)), 0, 'messages received');
  });

  let frame;
  await checks.run('a listed origin shows the wizard in the agency\'s name, with its welcome and the link\'s note', async () => {
    await page.goto(listed.origin);
    frame = await onboardingFrame(page, edge.url);
    const s = await waitForState(frame, (st) => st.screen === 'wizard' && st.widgets['brand.note'], 'the branded wizard', 20000);
    expectEqual(s.widgets['brand.name'].text, 'Northwind Agency', 'the name in the header');
    expectEqual(s.widgets['brand.welcome'].text, 'We set up your store in a day.', 'the welcome note');
    expectEqual(s.widgets['brand.note'].text, 'Hello Dana, start here.', "the link's note");
    const logo = await frame.evaluate(() => {
      const img = document.getElementById('brand-logo');
      return img && { src: img.getAttribute('src'), alt: img.alt, loaded: img.complete && img.naturalWidth === 1 };
    });
    expectEqual(JSON.stringify(logo), JSON.stringify({ src: LOGO, alt: 'Northwind Agency', loaded: true }), 'the logo');
    const vendor = Object.entries(s.widgets).filter(([, w]) => /Onramp/.test(w.text ?? '')).map(([id]) => id);
    if (vendor.length) throw new Error(`the vendor's name is still shown in ${vendor.join(', ')}`);
    await page.screenshot({ path: path.join(args.out, 'embed-listed.png') });
  });

  await checks.run('the parent receives onramp:step from the edge\'s origin', async () => {
    const got = await page.waitForFunction(() => window.received.find((m) => m.data?.type === 'onramp:step'),
      null, { timeout: 10000 });
    const m = await got.jsonValue();
    expectEqual(m.origin, edge.url, 'the sender');
    expectEqual(m.data.source, 'onramp', 'the source');
    expectEqual(m.data.step, 'company', 'the step');
  });

  await checks.run('signing out in the frame tells the parent onramp:closed', async () => {
    const s = await waitForState(frame, (st) => st.widgets['wizard.sign_out'], 'the sign-out link');
    const box = await (await page.$('#onboarding')).boundingBox();
    const w = s.widgets['wizard.sign_out'];
    await page.mouse.click(box.x + w.x + w.w / 2, box.y + w.y + w.h / 2);
    await page.waitForFunction(() => window.received.some((m) => m.data?.type === 'onramp:closed'), null, { timeout: 10000 });
  });

  await checks.run('finishing in the frame tells the parent onramp:completed', async () => {
    // A client whose phases are all done (through the API, as the agency
    // could), framed by a page the agency lists: it lands on verify.
    const done = await api('POST', '/api/v1/orgs', { token, body: { name: 'Finished Co' } });
    const creds = await api('GET', '/api/v1/demo/credentials');
    const conn = await api('POST', `/api/v1/orgs/${done.id}/connections`, {
      token, body: { platform: 'bigcommerce', name: 'Store', credentials: creds.bigcommerce, perform_initial_sync: true },
    });
    for (let waited = 0; ; waited += 200) {
      const sync = await api('GET', `/api/v1/orgs/${done.id}/connections/${conn.id}/sync`, { token });
      if (sync.current?.state === 'succeeded') break;
      if (waited > 20000) throw new Error(`the first sync: ${JSON.stringify(sync.current)}`);
      await sleep(200);
    }
    await api('POST', '/api/v1/onboarding/company-basics', {
      token, org: done.id,
      body: { company_name: 'Finished Co', company_phone: '+1-555-010-3000', industry: 'retail',
        timezone: 'America/Chicago', admin_name: 'Fay Finished', admin_email: 'fay@finished.test' },
    });
    await uploadIngested(edge, token, done.id, 'hours.txt', 'Open 9 to 5\n');
    await api('POST', '/api/v1/onboarding/goals', { token, org: done.id, body: { primary_goals: ['More booked jobs'] } });
    await api('POST', '/api/v1/onboarding/invite-user',
      { token, org: done.id, body: { email: 'rep@finished.test', role: 'sales_rep' } });
    const doneLink = await api('POST', `/api/v1/orgs/${done.id}/onboarding-links`, { token, body: {} });
    const parent = await parentPage(`${edge.url}/?embed=${done.id}#/onboard/${doneLink.token}`);
    await api('PUT', `/api/v1/orgs/${done.id}/branding`, { token, body: { embed_origins: [parent.origin] } });
    await page.goto(parent.origin);
    const f = await onboardingFrame(page, edge.url);
    await waitForState(f, onStep('verify'), 'the verify step in the frame', 20000);
    await allChecksPass(f);
    // The card re-centres a frame after the result shows: click Finish
    // where it stands still.
    const w = await settled(f, 'continue');
    const box = await (await page.$('#onboarding')).boundingBox();
    await page.mouse.click(box.x + w.x + w.w / 2, box.y + w.y + w.h / 2);
    const got = await page.waitForFunction(() => window.received.find((m) => m.data?.type === 'onramp:completed'),
      null, { timeout: 10000 });
    const m = await got.jsonValue();
    expectEqual(m.origin, edge.url, 'the sender');
    expectEqual(m.data.org_id, done.id, 'the organization');
    parent.close();
  });

  await checks.run('the page itself carries its security headers', async () => {
    const res = await fetch(`${edge.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    if (!csp.includes("frame-ancestors 'none'")) throw new Error(`CSP: ${csp}`);
    expectEqual(res.headers.get('x-frame-options'), 'DENY', 'X-Frame-Options');
    expectEqual(res.headers.get('referrer-policy'), 'no-referrer', 'Referrer-Policy');
  });

  listed.close();
  unlisted.close();
  await test.checkNoPageErrors();
}

test.finish('embed', main);
