// Shared pieces of the browser tests: start the real edge on a free loopback
// port, drive Debian's headless Chromium with playwright-core, read the WASM
// module's test hook, and report checks.
//
// The canvas is pixels, not DOM: tests find widgets through the hook
// (onramp_test_state, see web/test_hook.cpp) and act with real mouse and
// keyboard events at the coordinates it reports.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

// --edge BINARY --web DIR --out DIR, all required.
export function testArgs() {
  const { values } = parseArgs({
    options: { edge: { type: 'string' }, web: { type: 'string' }, out: { type: 'string' } },
  });
  for (const name of ['edge', 'web', 'out']) {
    if (!values[name]) fail(`missing --${name} (usage: --edge BINARY --web DIR --out DIR)`);
  }
  if (!fs.existsSync(values.edge)) fail(`no edge binary at ${values.edge}`);
  if (!fs.existsSync(path.join(values.web, 'onramp.wasm'))) fail(`no web build in ${values.web}`);
  fs.mkdirSync(values.out, { recursive: true });
  return values;
}

export function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

// A port that was free a moment ago. The edge binds it right after; another
// process taking it in between makes startEdge fail loudly, not hang.
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs `onramp-edge ARGS...` to completion; returns its stdout.
export async function runEdge(edge, args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(edge, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => { err += d; });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`onramp-edge ${args.join(' ')} exited ${code}: ${err.trim()}`));
    });
  });
}

// Starts `onramp-edge serve` on a free loopback port with a fresh data
// directory and waits (up to 15 s) until GET /healthz answers ok.
// `extraArgs` go after the usual ones (e.g. ['--demo']).
// Returns { url, dataDir, output(), stop() }; stop() is safe to call twice.
export async function startEdge({ edge, web, dataDir, extraArgs = [] }) {
  const port = await freePort();
  const data = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'onramp-browser-'));
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--data', data, '--web-root', web, ...extraArgs];
  const proc = spawn(edge, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  let exited = null;
  proc.on('exit', (code, signal) => { exited = signal ?? code; });

  const stop = () => {
    if (exited === null) proc.kill('SIGTERM');
    fs.rmSync(data, { recursive: true, force: true });
  };
  // Never leave an edge behind, whatever ends this process.
  process.once('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { stop(); process.exit(1); });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    if (exited !== null) {
      stop();
      throw new Error(`the edge exited (${exited}) before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      const body = await res.json();
      if (res.ok && body.status === 'ok') return { url, dataDir: data, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  stop();
  throw new Error(`the edge did not answer /healthz within 15 s:\n${output}`);
}

// Headless Chromium with a fresh profile. Every console.error and uncaught
// page error is collected in `problems`; `expectConsoleError(re)` lets a
// test announce one it provokes on purpose (an HTTP 401, say). With
// { touch: true } the page is a phone's: a touch screen, mobile viewport.
// `locale` ("de-DE") is the browser's language: navigator.languages and
// Accept-Language. `problems` lets several browsers collect into one list.
export async function openBrowser({
  width = 1280, height = 800, scale = 2, touch = false, locale, problems = [],
} = {}) {
  const args = locale ? [...CHROMIUM_ARGS, `--lang=${locale}`] : CHROMIUM_ARGS;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
  const context = await browser.newContext({
    viewport: { width, height }, deviceScaleFactor: scale, colorScheme: 'light', hasTouch: touch, isMobile: touch,
    ...(locale ? { locale } : {}),
  });
  const page = await context.newPage();
  const expected = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const i = expected.findIndex((re) => re.test(msg.text()));
    if (i >= 0) expected.splice(i, 1);
    else problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return { browser, context, page, problems, expectConsoleError: (re) => expected.push(re) };
}

// The module's test hook, parsed; null until the runtime is up.
export async function hookState(page) {
  return page.evaluate(() => {
    if (!window.Module || !Module.calledRun) return null;
    const state = JSON.parse(Module.ccall('onramp_test_state', 'string', [], []));
    // The hook measures from the canvas; a page may place it below a bar
    // of its own (the static demo on a phone). Rects here are the page's.
    const r = Module.canvas.getBoundingClientRect();
    for (const w of Object.values(state.widgets ?? {})) {
      w.x += r.left;
      w.y += r.top;
    }
    return state;
  });
}

// Polls the hook until `predicate(state)` holds; throws after `timeout` ms
// naming `what`, with the last state seen.
export async function waitForState(page, predicate, what, timeout = 10000) {
  const deadline = Date.now() + timeout;
  let state = null;
  while (Date.now() < deadline) {
    state = await hookState(page);
    if (state && predicate(state)) return state;
    await sleep(30);
  }
  throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(state)}`);
}

// Waits until the module has run `n` more frames: lets input sink in.
export async function waitFrames(page, n = 2) {
  const start = (await hookState(page)).frame;
  return waitForState(page, (s) => s.frame >= start + n, `${n} frames`);
}

// Clicks the middle of a widget the last frame drew.
export async function clickWidget(page, id) {
  const state = await waitForState(page, (s) => s.widgets[id], `widget "${id}"`);
  const w = state.widgets[id];
  await page.mouse.click(w.x + w.w / 2, w.y + w.h / 2);
}

// Clicks a widget once it stands still (a card re-centres itself a frame
// after its content changes), first scrolling the card with the mouse wheel
// until the widget is inside the viewport: long steps scroll on short screens.
export async function clickInView(page, id) {
  const { height } = page.viewportSize();
  let last = null;
  for (let i = 0; i < 40; i++) {
    const s = await waitForState(page, (st) => st.widgets[id], `widget "${id}"`);
    const w = s.widgets[id];
    if (w.y < 0 || w.y + w.h > height - 24) {
      await page.mouse.move(w.x + w.w / 2, height / 2);
      await page.mouse.wheel(0, w.y < 0 ? -120 : 120);
    } else if (last && last.x === w.x && last.y === w.y) {
      await page.mouse.click(w.x + w.w / 2, w.y + w.h / 2);
      return;
    }
    last = w;
    await waitFrames(page, 2);
  }
  throw new Error(`widget "${id}" never settled inside the viewport`);
}

// Pastes `text` the way a browser does: a paste event carrying the text,
// dispatched at the focused element. The page's listener hands it to the
// module, which types it into the field being edited.
export async function pasteText(page, text) {
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    (document.activeElement || document.body).dispatchEvent(event);
  }, text);
}

// Replaces the text of input `id`: click, select all, paste. With
// { scroll: true } the field is first scrolled into view (clickInView).
// A click in the page's first frames, while fonts merge and the layout
// settles, can miss the field; it is clicked again, up to three times.
export async function fillField(page, id, text, { scroll = false } = {}) {
  for (let attempt = 1; ; ++attempt) {
    await (scroll ? clickInView(page, id) : clickWidget(page, id));
    try {
      await waitForState(page, (s) => s.focused === id, `the ${id} field to be focused`, attempt < 3 ? 3000 : 10000);
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
  await page.keyboard.press('Control+A');
  await waitFrames(page);
  await pasteText(page, text);
  await waitForState(page, (s) => s.widgets[id]?.text === text, `the ${id} field to read "${text}"`);
}

// Colour statistics of a PNG (a screenshot), decoded by the browser:
// { width, height, distinct, share(pred) } where share gives the fraction of
// pixels whose (r, g, b) satisfy pred. Only the histogram crosses over.
export async function pngStats(page, png) {
  const data = await page.evaluate(async (src) => {
    const img = new Image();
    img.src = `data:image/png;base64,${src}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    const counts = new Map();
    for (let i = 0; i < px.length; i += 4) {
      const rgb = (px[i] << 16) | (px[i + 1] << 8) | px[i + 2];
      counts.set(rgb, (counts.get(rgb) || 0) + 1);
    }
    return { width: c.width, height: c.height, histogram: [...counts] };
  }, png.toString('base64'));
  const total = data.width * data.height;
  const share = (pred) => {
    let n = 0;
    for (const [rgb, count] of data.histogram) {
      if (pred((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255)) n += count;
    }
    return n / total;
  };
  return { width: data.width, height: data.height, distinct: data.histogram.length, share };
}

// Runs named checks in order, printing one line each. The first failure
// stops the run (later checks depend on earlier ones).
export class Checks {
  constructor() { this.passed = 0; }

  async run(name, fn) {
    const started = Date.now();
    try {
      const note = await fn();
      this.passed++;
      console.log(`ok   ${name}${note ? ` (${note})` : ''} [${Date.now() - started} ms]`);
    } catch (err) {
      console.log(`FAIL ${name}: ${err.message}`);
      err.reported = true;
      throw err;
    }
  }
}

export function expectEqual(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// Guards against a hang: ctest's own timeout would kill the script without
// closing the browser or stopping the edge. runTest clears it.
export function startWatchdog(seconds) {
  return setTimeout(() => {
    console.log(`FAIL the test took longer than ${seconds} s`);
    process.exit(1);
  }, seconds * 1000);
}

// A screenshot taker: `shot(page, name)` writes DIR/PREFIXname.png and
// returns its path. The mouse goes to a corner first so that no widget
// shows a hover highlight in the picture.
export function screenshots(dir, prefix = '') {
  return async (page, name) => {
    await page.mouse.move(1, 1);
    await waitFrames(page);
    const file = path.join(dir, `${prefix}${name}.png`);
    await page.screenshot({ path: file });
    return file;
  };
}

// The user `serve --demo` seeds (edge/demo.cpp); the static demo's fake edge
// knows it too.
export const DEMO_USER = { email: 'demo@onramp.local', password: 'onramp-demo' };

// Waits for the sign-in screen, types the user's e-mail and password, and
// clicks Sign in. Where that leads is the caller's to check.
export async function signIn(page, { email, password } = DEMO_USER) {
  await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.email, 'the sign-in screen', 20000);
  await fillField(page, 'email', email);
  await fillField(page, 'password', password);
  await clickWidget(page, 'sign_in');
}

// Predicates on the hook's state: the wizard at step `step` with its card
// drawn; the console showing view `name`.
export const onStep = (step) => (s) => s.screen === 'wizard' && s.step === step && s.widgets['step.title'];
export const viewIs = (name) => (s) => s.screen === 'console' && s.widgets['console.view']?.text === name;

// Rows and table headers are ImGui "overlap" items: they take a click only
// when the mouse already hovered them in the frame before, as a person's
// pointer does. So move there, let a frame pass, then click.
export async function clickRow(page, id) {
  const state = await waitForState(page, (s) => s.widgets[id], `widget "${id}"`);
  const w = state.widgets[id];
  await page.mouse.move(w.x + w.w / 2, w.y + w.h / 2);
  await waitFrames(page, 2);
  await page.mouse.click(w.x + w.w / 2, w.y + w.h / 2);
}

// Runs a browser test's `main` and exits with its verdict. On failure it
// prints the error, the page's errors and the tail of the edge's output;
// whatever happened it closes the browsers and stops the edge. `state()`
// gives what main has opened so far: { edge, browsers, problems }.
export async function runTest(name, checks, main, state, watchdog) {
  let failed = false;
  try {
    await main();
  } catch (err) {
    failed = true;
    const { edge, problems } = state();
    if (!err.reported) console.log(`FAIL ${err.stack ?? err}`);
    if (problems.length) console.log(`page errors:\n  ${problems.join('\n  ')}`);
    if (edge) console.log(`edge output (tail):\n${edge.output().slice(-4000)}`);
  } finally {
    const { edge, browsers } = state();
    for (const b of browsers) if (b) await b.close();
    if (edge) edge.stop();
    clearTimeout(watchdog);
  }
  console.log(failed ? `browser ${name}: FAILED` : `browser ${name}: all ${checks.passed} checks passed`);
  process.exit(failed ? 1 : 0);
}

// One browser test's run: its checks, a watchdog, and what it opens (the
// edge or other server in `edge`, browsers, the page errors they collect)
// so that finish() can report and close them whatever happens.
export class BrowserTest {
  constructor(seconds) {
    this.checks = new Checks();
    this.edge = null;
    this.browsers = [];
    this.problems = [];
    this.watchdog = startWatchdog(seconds);
  }

  // harness startEdge, the edge recorded for finish() to stop.
  async startEdge(options) {
    this.edge = await startEdge(options);
    return this.edge;
  }

  // harness openBrowser, its page errors collected in `problems`.
  async openBrowser(options) {
    const opened = await openBrowser({ ...options, problems: this.problems });
    this.browsers.push(opened.browser);
    return opened;
  }

  // The last check of every test: no page logged an error or threw.
  checkNoPageErrors() {
    return this.checks.run('no errors in the page', async () => {
      if (this.problems.length) throw new Error(this.problems.join('\n'));
    });
  }

  // Runs `main` and exits with the verdict (runTest).
  finish(name, main) {
    return runTest(name, this.checks, main, () => this, this.watchdog);
  }
}

// A JSON call to the edge's API, as a script sets things up: the parsed
// answer, or an Error naming the status and body. `org` is sent as X-Org-Id
// (an operator names the organization of /api/v1/onboarding calls so).
export async function apiCall(edge, method, url, { token, body, org } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (org) headers['X-Org-Id'] = org;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${edge.url}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// The demo user saves the Demo Company's basics through the API, so the
// wizard opens at the platforms step; returns the user's access token.
export async function saveDemoBasics(edge) {
  const { access_token: token } = await apiCall(edge, 'POST', '/api/v1/auth/login', { body: DEMO_USER });
  await apiCall(edge, 'POST', '/api/v1/onboarding/company-basics', {
    token,
    body: { company_name: 'Demo Company', company_phone: '+1-555-123-4567', industry: 'e-commerce', timezone: 'America/New_York' },
  });
  return token;
}

// The demo user connects the Demo Company's BigCommerce store through the
// API with an initial sync and waits (up to 20 s) for that sync to end.
// Returns { token, org, conn, run }, run being the sync's finished run.
export async function connectDemoStore(edge) {
  const { access_token: token } = await apiCall(edge, 'POST', '/api/v1/auth/login', { body: DEMO_USER });
  const orgs = await apiCall(edge, 'GET', '/api/v1/orgs', { token });
  const org = orgs.items.find((o) => o.name === 'Demo Company');
  if (!org) throw new Error(`no Demo Company in ${JSON.stringify(orgs)}`);
  const creds = await apiCall(edge, 'GET', '/api/v1/demo/credentials');
  const conn = await apiCall(edge, 'POST', `/api/v1/orgs/${org.id}/connections`, {
    token,
    body: { platform: 'bigcommerce', name: 'Demo store', credentials: creds.bigcommerce, perform_initial_sync: true },
  });
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    const s = await apiCall(edge, 'GET', `/api/v1/orgs/${org.id}/connections/${conn.id}/sync`, { token });
    if (s.current && !['queued', 'running'].includes(s.current.state)) return { token, org, conn, run: s.current };
    await sleep(150);
  }
  throw new Error('the sync did not finish within 20 s');
}

// Uploads a text document to `org` through the API as the agency would,
// and returns once its text is extracted: verification counts only
// ingested documents, and ingestion runs in the background.
export async function uploadIngested(edge, token, org, name, text) {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/plain' }), name);
  form.append('category', 'sop');
  form.append('role_target', 'sales_rep');
  const up = await fetch(`${edge.url}/api/v1/onboarding/documents/upload`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'X-Org-Id': org }, body: form,
  });
  if (up.status !== 201) throw new Error(`upload: HTTP ${up.status} ${await up.text()}`);
  const { document_id: doc } = (await up.json()).data;
  for (let waited = 0; ; waited += 200) {
    const st = await apiCall(edge, 'GET', `/api/v1/onboarding/documents/status/${doc}`, { token, org });
    if (st.data.ingestion_status === 'done') return doc;
    if (st.data.ingestion_status === 'failed' || waited > 30000) {
      throw new Error(`document ingestion: ${JSON.stringify(st.data)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// --- touch screens ---------------------------------------------------------

// The rect of widget `id` once two frames in a row drew it at the same place
// (a card re-centres itself a frame after its content changes). For a text
// field, also waits until the page holds its hit region: a tap that lands
// before that frame was published would not raise the keyboard.
export async function settled(page, id) {
  let last = null;
  for (let i = 0; i < 40; i++) {
    const s = await waitForState(page, (st) => st.widgets[id], `widget "${id}"`);
    const w = s.widgets[id];
    if (last && last.x === w.x && last.y === w.y && last.w === w.w && last.h === w.h) {
      if (w.kind === 'input') await page.waitForFunction(regionAt, { id, w }, { polling: 'raf' });
      return w;
    }
    last = w;
    await waitFrames(page, 1);
  }
  throw new Error(`widget "${id}" never stood still`);
}

// In the page: whether the published hit regions hold text field `id` at `w`.
function regionAt({ id, w }) {
  const g = window.onrampGestures;
  const r = Module.canvas.getBoundingClientRect();  // regions are the canvas's
  const near = (a, b) => Math.abs(a - b) < 0.01;
  const x = w.x - r.left, y = w.y - r.top;
  return !!g && g.regions.some((q) => q.id === id && q.kind === 'text' && near(q.x0, x) && near(q.y0, y)
    && near(q.x1, x + w.w) && near(q.y1, y + w.h));
}

export const middle = (w) => ({ x: w.x + w.w / 2, y: w.y + w.h / 2 });

// A finger's tap on widget `id`, once it stands still.
export async function tapWidget(page, id) {
  const { x, y } = middle(await settled(page, id));
  await page.touchscreen.tap(x, y);
}

// The hidden input's kind of keyboard.
export function keyboardKind(page) {
  return page.evaluate(() => {
    const text = window.onrampGestures.text;
    return { type: text.type, inputMode: text.inputMode, autocomplete: text.getAttribute('autocomplete') };
  });
}

export async function expectKeyboardKind(page, want, what) {
  const k = await keyboardKind(page);
  for (const key of Object.keys(want)) expectEqual(k[key], want[key], `${what}: the hidden input's ${key}`);
}
