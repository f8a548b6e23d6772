// Browser test of the static demo: the page built into web-static/, served
// as plain files, with no edge at all (the API is answered inside the
// WebAssembly module, web/static_demo/fake_edge.h).
//
//   node tests/browser/static_demo.mjs --static build/web-static --out build/artifacts
//
// Starts a tiny file server on a free loopback port, then in headless
// Chromium, with real mouse and keyboard events: follows the page's
// "onboard a company" link and signs in; walks the wizard from company
// basics to done (BigCommerce refused with a wrong token, then connected
// with the demo credentials; the sync's progress seen moving before it
// succeeds; a document through the file picker; goals; an invitation;
// verify; Finish); signs out, follows the "operator console" link, signs in
// again and finds the company just onboarded, its sync and its products;
// then, on a phone (390×844, touch), the company step fits the screen and
// each field raises its kind of keyboard (tel, email, url, numeric).
// Asserts on what the test hook reports, never on pixels. Screenshots of
// each step go to OUT/static-<step>.png. The steps this test shares with the
// real edge's (wizard.mjs) are in wizard_steps.mjs.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  BrowserTest, clickInView as click, clickWidget, expectKeyboardKind, fail, fillField, onStep, screenshots, settled,
  signIn, tapWidget, waitForState,
} from './harness.mjs';
import {
  allChecksPass, bigCommerceDemoForm, companyBasics, connectVerified, continueTo, finish, goals, invite,
  operatorSeesClient, syncSucceeds, testConnection, uploadDocument,
} from './wizard_steps.mjs';

const COMPANY = 'Static Demo Roofing';
const DOCUMENT = 'price-list.txt';
const INVITEE = 'rep@static-demo.test';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
};

// --static DIR --out DIR, both required.
function staticArgs() {
  const { values } = parseArgs({ options: { static: { type: 'string' }, out: { type: 'string' } } });
  for (const name of ['static', 'out']) {
    if (!values[name]) fail(`missing --${name} (usage: --static DIR --out DIR)`);
  }
  if (!fs.existsSync(path.join(values.static, 'onramp.wasm'))) fail(`no static demo in ${values.static}`);
  fs.mkdirSync(values.out, { recursive: true });
  return values;
}

// GET and HEAD of the folder's files and nothing else, as a static host
// would: any other method is 405, so a request the module should have
// answered itself shows up in the log.
async function serveFolder(dir) {
  const log = [];
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(dir, name === '/' ? 'index.html' : path.normalize(name).replace(/^(\.\.[/\\])+/, ''));
    log.push(`${req.method} ${req.url}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : data);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    output: () => log.join('\n'),
    stop: () => server.close(),
    log,
  };
}

const args = staticArgs();
const test = new BrowserTest(120);
const { checks } = test;

const shot = screenshots(args.out, 'static-');

// The page's note is DOM over the canvas: a real click on its link.
async function followNoteLink(page, id, hash) {
  const box = await page.locator(`#${id}`).boundingBox();
  if (!box) throw new Error(`the page has no #${id} link`);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction((h) => window.location.hash === h, hash, { timeout: 5000 });
}

async function main() {
  const site = await serveFolder(args.static);
  test.edge = site; // stopped and its log shown like an edge's
  const { page } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });

  await checks.run('the page\'s link and the demo sign-in open the wizard', async () => {
    await page.goto(`${site.url}/`);
    await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.email, 'the sign-in screen', 20000);
    await shot(page, 'sign-in');
    await followNoteLink(page, 'demo-onboard', '#/onboard');
    await signIn(page);
    const s = await waitForState(page, onStep('company'), 'the company step', 10000);
    return `step ${s.step}`;
  });

  await checks.run('company basics save', () =>
    companyBasics(page, shot, { name: COMPANY, phone: '+1-555-987-6543' }));

  await checks.run('BigCommerce refuses a wrong token with the platform\'s words', async () => {
    await bigCommerceDemoForm(page, shot);
    await fillField(page, 'access_token', 'not_the_demo_token_0123456789', { scroll: true });
    const s = await testConnection(page);
    if (!s.widgets['test.result'].text.startsWith('BigCommerce did not accept the access token'))
      throw new Error(`result: ${s.widgets['test.result'].text}`);
    await shot(page, 'connect-refused');
    return s.widgets['test.result'].text;
  });

  await checks.run('BigCommerce with the demo credentials: test, then save', async () => {
    await click(page, 'use_demo');
    await waitForState(page, (st) => !st.widgets['test.result'] && st.widgets.access_token.text,
      'the demo credentials again');
    await connectVerified(page, shot);
  });

  await checks.run('the sync\'s progress moves, then it succeeds with the catalogue', async () => {
    const running = await waitForState(page, (st) => st.widgets['sync.state']?.text === 'running',
      'the sync to run', 10000);
    const first = running.widgets['sync.counts'].text;
    await shot(page, 'sync-running');
    const later = await waitForState(page, (st) => st.widgets['sync.counts'] && st.widgets['sync.counts'].text !== first,
      'the counts to move', 10000);
    const done = await syncSucceeds(page, shot, /^450 items/);
    return `${first} → ${later.widgets['sync.counts'].text} → ${done}`;
  });

  await checks.run('webhooks: registered at the platform by Onramp, so the client gets no webhooks step', async () => {
    const s = await waitForState(page, onStep('documents'), 'the documents step');
    if (s.widgets['webhook.url']) throw new Error('the webhooks step was drawn');
  });

  await checks.run('documents: the file picker uploads, ingestion finishes', () =>
    uploadDocument(page, shot, DOCUMENT));

  await checks.run('goals and preferences save', () => goals(page, shot));

  await checks.run('team: an invitation is listed, the invited rep joined', async () => {
    const s = await invite(page, INVITEE);
    await shot(page, 'team');
    await continueTo(page, 'verify');
    return s.widgets['invited.0'].text;
  });

  await checks.run('verify passes and Finish ends the wizard', async () => {
    await allChecksPass(page);
    await shot(page, 'verify');
    await finish(page, shot);
  });

  await checks.run('signed in again for the console, the operator sees the company, its sync and products', async () => {
    await clickWidget(page, 'sign_out');
    await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.email, 'the sign-in screen');
    await followNoteLink(page, 'demo-console', '#/');
    await signIn(page);
    return operatorSeesClient(page, screenshots(args.out, 'static-console-'), { company: COMPANY, products: /300/ });
  });

  await checks.run('on a phone the company step fits, and each field raises its own keyboard', async () => {
    const { page: phone } = await test.openBrowser({ width: 390, height: 844, scale: 3, touch: true });
    await phone.goto(`${site.url}/#/onboard`);
    await signIn(phone);
    await waitForState(phone, onStep('company'), 'the company step on the phone', 10000);
    for (const id of ['company_name', 'company_phone', 'continue']) {
      const w = await settled(phone, id);
      if (w.x < 0 || w.x + w.w > 390) throw new Error(`"${id}" spans ${w.x}..${w.x + w.w} px, off a 390 px screen`);
    }
    await screenshots(args.out, 'static-phone-')(phone, 'company');
    const keyboards = {
      company_name: 'text', company_phone: 'tel', company_email: 'email', company_domain: 'url', team_size: 'numeric',
    };
    for (const [id, inputMode] of Object.entries(keyboards)) {
      await tapWidget(phone, id);
      await waitForState(phone, (st) => st.focused === id, `"${id}" to be the active field`);
      await expectKeyboardKind(phone, { type: 'text', inputMode }, `"${id}"`);
    }
    return Object.values(keyboards).join(', ');
  });

  await checks.run('no request left the page but its own files', async () => {
    const other = site.log.filter((line) => !/^GET \/(index\.html|boot\.js|onramp\.js|onramp\.wasm|inter-more-(regular|semibold)\.otf|favicon\.ico)?(\?|$)/.test(line));
    if (other.length) throw new Error(`the server was asked: ${other.join(', ')}`);
  });

  await test.checkNoPageErrors();
}

await test.finish('static_demo', main);
