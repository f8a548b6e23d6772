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
// again and finds the company just onboarded, its sync and its products.
// Asserts on what the test hook reports, never on pixels. Screenshots of
// each step go to OUT/static-<step>.png.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  Checks, clickInView as click, clickWidget, expectEqual, fail, fillField, openBrowser, runTest, waitForState,
  waitFrames,
} from './harness.mjs';

const DEMO_EMAIL = 'demo@onramp.local';
const DEMO_PASSWORD = 'onramp-demo';
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
const checks = new Checks();
let site = null;
let browser = null;
let problems = [];

const watchdog = setTimeout(() => {
  console.log('FAIL the test took longer than 120 s');
  process.exit(1);
}, 120000);

const onStep = (step) => (s) => s.screen === 'wizard' && s.step === step && s.widgets['step.title'];

async function screenshot(page, name) {
  await page.mouse.move(1, 1); // no hover highlight in the picture
  await waitFrames(page);
  await page.screenshot({ path: path.join(args.out, `static-${name}.png`) });
}

// The page's note is DOM over the canvas: a real click on its link.
async function followNoteLink(page, id, hash) {
  const box = await page.locator(`#${id}`).boundingBox();
  if (!box) throw new Error(`the page has no #${id} link`);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction((h) => window.location.hash === h, hash, { timeout: 5000 });
}

async function signIn(page) {
  await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.email, 'the sign-in screen', 20000);
  await fillField(page, 'email', DEMO_EMAIL);
  await fillField(page, 'password', DEMO_PASSWORD);
  await clickWidget(page, 'sign_in');
}

// Rows are ImGui "overlap" items: they take a click only when the mouse
// hovered them in the frame before, as a person's pointer does.
async function clickRow(page, id) {
  const state = await waitForState(page, (s) => s.widgets[id], `widget "${id}"`);
  const w = state.widgets[id];
  await page.mouse.move(w.x + w.w / 2, w.y + w.h / 2);
  await waitFrames(page, 2);
  await page.mouse.click(w.x + w.w / 2, w.y + w.h / 2);
}

async function main() {
  site = await serveFolder(args.static);
  const opened = await openBrowser({ width: 1280, height: 800, scale: 1 });
  ({ browser, problems } = opened);
  const { page } = opened;

  await checks.run('the page\'s link and the demo sign-in open the wizard', async () => {
    await page.goto(`${site.url}/`);
    await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.email, 'the sign-in screen', 20000);
    await screenshot(page, 'sign-in');
    await followNoteLink(page, 'demo-onboard', '#/onboard');
    await signIn(page);
    const s = await waitForState(page, onStep('company'), 'the company step', 10000);
    return `step ${s.step}`;
  });

  await checks.run('company basics save', async () => {
    await fillField(page, 'company_name', COMPANY);
    await page.keyboard.press('Tab');
    await waitForState(page, (s) => s.focused === 'company_phone', 'Tab to reach the phone field');
    await page.keyboard.type('+1-555-987-6543');
    await waitForState(page, (s) => s.widgets.company_phone?.text === '+1-555-987-6543', 'the typed phone');
    await click(page, 'industry');
    await waitForState(page, (s) => s.widgets['industry.8'], 'the open drop-down');
    await waitFrames(page, 3);
    await click(page, 'industry.8');
    await waitForState(page, (s) => s.widgets.industry?.text === 'e-commerce', 'the chosen industry');
    await screenshot(page, 'company');
    await click(page, 'continue');
    await waitForState(page, onStep('platforms'), 'the platforms step');
  });

  await checks.run('BigCommerce refuses a wrong token with the platform\'s words', async () => {
    await screenshot(page, 'platforms');
    await click(page, 'platform.bigcommerce');
    await waitForState(page, (s) => s.widgets.use_demo && s.widgets.store_hash, 'the BigCommerce form');
    await click(page, 'use_demo');
    await waitForState(page, (st) => st.widgets.store_hash.text && st.widgets.access_token.text,
      'the demo credentials in the form');
    await fillField(page, 'access_token', 'not_the_demo_token_0123456789', { scroll: true });
    await click(page, 'test');
    const s = await waitForState(page, (st) => st.widgets['test.result'], 'the test result', 10000);
    if (!s.widgets['test.result'].text.startsWith('BigCommerce did not accept the access token'))
      throw new Error(`result: ${s.widgets['test.result'].text}`);
    await screenshot(page, 'connect-refused');
    return s.widgets['test.result'].text;
  });

  await checks.run('BigCommerce with the demo credentials: test, then save', async () => {
    await click(page, 'use_demo');
    await waitForState(page, (st) => !st.widgets['test.result'] && st.widgets.access_token.text,
      'the demo credentials again');
    await click(page, 'test');
    const s = await waitForState(page, (st) => st.widgets['test.result'], 'the test result', 10000);
    expectEqual(s.widgets['test.result'].text, 'Connection verified', 'test result');
    await screenshot(page, 'connect');
    await click(page, 'connect');
    await waitForState(page, onStep('sync'), 'the sync step', 10000);
  });

  await checks.run('the sync\'s progress moves, then it succeeds with the catalogue', async () => {
    const running = await waitForState(page, (st) => st.widgets['sync.state']?.text === 'running',
      'the sync to run', 10000);
    const first = running.widgets['sync.counts'].text;
    await screenshot(page, 'sync-running');
    const later = await waitForState(page, (st) => st.widgets['sync.counts'] && st.widgets['sync.counts'].text !== first,
      'the counts to move', 10000);
    const done = await waitForState(page, (st) => st.widgets['sync.state']?.text === 'succeeded',
      'the sync to succeed', 15000);
    if (!done.widgets['sync.counts'].text.startsWith('450 items')) throw new Error(`counts: ${done.widgets['sync.counts'].text}`);
    await screenshot(page, 'sync');
    await click(page, 'continue');
    await waitForState(page, onStep('webhooks'), 'the webhooks step');
    return `${first} → ${later.widgets['sync.counts'].text} → ${done.widgets['sync.counts'].text}`;
  });

  await checks.run('webhooks: the URL of this page, registered at the platform', async () => {
    const s = await waitForState(page, (st) => st.widgets['webhook.url']?.text.startsWith(`${site.url}/webhooks/bigcommerce/`) &&
      st.widgets['webhooks.registered'], 'the webhook URL and its registration');
    await screenshot(page, 'webhooks');
    await click(page, 'continue');
    await waitForState(page, onStep('documents'), 'the documents step');
    return s.widgets['webhook.url'].text;
  });

  await checks.run('documents: the file picker uploads, ingestion finishes', async () => {
    await waitForState(page, (s) => s.widgets.choose_file, 'the Choose a file button');
    const chooser = page.waitForEvent('filechooser', { timeout: 5000 });
    await click(page, 'choose_file');
    await (await chooser).setFiles({
      name: DOCUMENT, mimeType: 'text/plain',
      buffer: Buffer.from('Price list\nRoof inspection: 120 USD\nGutter cleaning: 90 USD\n'),
    });
    const s = await waitForState(page, (st) => st.widgets['document.0']?.text === `${DOCUMENT}: done`,
      'the document to be ingested', 10000);
    await screenshot(page, 'documents');
    await click(page, 'continue');
    await waitForState(page, onStep('goals'), 'the goals step');
    return s.widgets['document.0'].text;
  });

  await checks.run('goals and preferences save', async () => {
    await screenshot(page, 'goals');
    await click(page, 'continue');
    await waitForState(page, onStep('team'), 'the team step');
  });

  await checks.run('team: an invitation is listed, the invited rep joined', async () => {
    await fillField(page, 'invite_email', INVITEE);
    await click(page, 'invite');
    const s = await waitForState(page, (st) => st.widgets['invited.0']?.text.startsWith(INVITEE) &&
      st.widgets['invite.link'], 'the invitation and its link');
    await screenshot(page, 'team');
    await click(page, 'continue');
    await waitForState(page, onStep('verify'), 'the verify step');
    return s.widgets['invited.0'].text;
  });

  await checks.run('verify passes and Finish ends the wizard', async () => {
    const s = await waitForState(page, (st) => st.widgets['verify.result']?.text === 'Everything is in place',
      'every check to pass', 10000);
    expectEqual([0, 1, 2, 3].map((i) => s.widgets[`check.${i}`].text).join(', '), 'ok, ok, ok, ok', 'checks');
    await screenshot(page, 'verify');
    await click(page, 'continue'); // "Finish"
    await waitForState(page, (st) => st.screen === 'wizard' && st.step === 'done' && st.widgets.sign_out,
      'the last screen');
    await screenshot(page, 'done');
  });

  await checks.run('signed in again for the console, the operator sees the company, its sync and products', async () => {
    await clickWidget(page, 'sign_out');
    await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.email, 'the sign-in screen');
    await followNoteLink(page, 'demo-console', '#/');
    await signIn(page);
    const viewIs = (name) => (st) => st.screen === 'console' && st.widgets['console.view']?.text === name;
    const rowOf = (st) => [0, 1].find((i) => st.widgets[`clients.row.${i}`]?.text === COMPANY);
    let s = await waitForState(page, (st) => viewIs('clients')(st) && rowOf(st) !== undefined &&
      /connection/.test(st.widgets[`clients.row.${rowOf(st)}.health`]?.text ?? ''), 'the clients list', 10000);
    const row = `clients.row.${rowOf(s)}`;
    const onboarding = s.widgets[`${row}.onboarding`]?.text;
    await screenshot(page, 'console-clients');
    await clickRow(page, row);
    s = await waitForState(page, (st) => viewIs('client')(st) && st.widgets['connections.row.0'], 'its connections');
    expectEqual(s.widgets['connections.row.0'].text, 'bigcommerce', 'its platform');
    await clickRow(page, 'connections.row.0');
    s = await waitForState(page, (st) => viewIs('connection')(st) && st.widgets['sync.row.0'], 'its sync history');
    if (!s.widgets['sync.row.0'].text.startsWith('succeeded')) throw new Error(`run: ${s.widgets['sync.row.0'].text}`);
    await clickWidget(page, 'connection.tab.products');
    s = await waitForState(page, (st) => st.widgets['products.row.0'] && st.widgets['products.count'], 'its products');
    if (!/300/.test(s.widgets['products.count'].text)) throw new Error(`products: ${s.widgets['products.count'].text}`);
    await screenshot(page, 'console-products');
    return `onboarding "${onboarding}", ${s.widgets['products.count'].text}`;
  });

  await checks.run('no request left the page but its own files', async () => {
    const other = site.log.filter((line) => !/^GET \/(index\.html|onramp\.js|onramp\.wasm|favicon\.ico)?(\?|$)/.test(line));
    if (other.length) throw new Error(`the server was asked: ${other.join(', ')}`);
  });

  await checks.run('no errors in the page', async () => {
    if (problems.length) throw new Error(problems.join('\n'));
  });
}

await runTest('static_demo', checks, main, () => ({ edge: site, browsers: [browser], problems }), watchdog);
