// Browser test of text input on a touch screen against `onramp-edge serve --demo`.
//
//   node tests/browser/touch.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// A phone (390×844, devicePixelRatio 3, touch): a tap on a text field must
// focus the page's hidden <input> (that is what raises a phone's on-screen
// keyboard) and make the field ImGui's active one; what the keyboard sends
// must reach the field. On-screen keyboards send text as input events
// without key codes, Android's a deletion too (the sentinel in the hidden
// input turns it into a Backspace), and Gboard composes a word before it
// commits it. A tablet's hardware keyboard sends keys as well. Then the
// password, Sign in, and a tap outside any field puts the keyboard away.
// Asserts on the test hook and the DOM, never on pixels.
import path from 'node:path';
import {
  Checks, expectEqual, openBrowser, runTest, startEdge, testArgs, waitForState, waitFrames,
} from './harness.mjs';

const DEMO_EMAIL = 'demo@onramp.local';
const DEMO_PASSWORD = 'onramp-demo';

const args = testArgs();
const checks = new Checks();
let edge = null;
let browser = null;
let problems = [];

const watchdog = setTimeout(() => {
  console.log('FAIL the test took longer than 80 s');
  process.exit(1);
}, 80000);

// The rect of widget `id` once two frames in a row drew it at the same place
// (a card re-centres itself a frame after its content changes). For a text
// field, also waits until the page holds its hit region: a tap that lands
// before that frame was published would not raise the keyboard.
async function settled(page, id) {
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
  const near = (a, b) => Math.abs(a - b) < 0.01;
  return !!g && g.regions.some((q) => q.id === id && q.kind === 'text' && near(q.x0, w.x) && near(q.y0, w.y)
    && near(q.x1, w.x + w.w) && near(q.y1, w.y + w.h));
}

const middle = (w) => ({ x: w.x + w.w / 2, y: w.y + w.h / 2 });

async function tap(page, id) {
  const { x, y } = middle(await settled(page, id));
  await page.touchscreen.tap(x, y);
}

// The hidden input: whether it has the focus (a phone's keyboard is up), and
// its value (the sentinel alone, between keystrokes).
function keyboard(page) {
  return page.evaluate(() => {
    const text = window.onrampGestures.text;
    return { up: document.activeElement === text, value: text.value };
  });
}

const SENTINEL = '\u200b';

async function expectKeyboard(page, up, what) {
  const k = await keyboard(page);
  expectEqual(k.up, up, `${what}: the hidden input has the focus`);
  if (up) expectEqual(k.value, SENTINEL, `${what}: the hidden input holds the sentinel alone`);
}

const fieldReads = (page, id, text) =>
  waitForState(page, (s) => s.widgets[id]?.text === text, `the ${id} field to read "${text}"`);

async function main() {
  edge = await startEdge({ ...args, extraArgs: ['--demo'] });
  const opened = await openBrowser({ width: 390, height: 844, scale: 3, touch: true });
  ({ browser, problems } = opened);
  const { page, context } = opened;
  const cdp = await context.newCDPSession(page);
  // Composes `word` letter by letter, as Gboard does, without committing it.
  const compose = async (word) => {
    for (let i = 1; i <= word.length; i++) {
      await cdp.send('Input.imeSetComposition', { text: word.slice(0, i), selectionStart: i, selectionEnd: i });
      await waitFrames(page, 1);
    }
  };
  // The input events the hidden input received, as the keyboard sent them.
  await page.addInitScript(() => {
    window.inputTypes = [];
    document.addEventListener('input', (e) => window.inputTypes.push(e.inputType), true);
  });

  await checks.run('the sign-in screen on a phone', async () => {
    await page.goto(`${edge.url}/`);
    const s = await waitForState(page, (st) => st.screen === 'sign_in' && st.widgets.email, 'the sign-in screen', 20000);
    expectEqual(s.dpr, 3, 'dpr seen by the module');
    await expectKeyboard(page, false, 'before any tap');
  });

  await checks.run('a tap on the e-mail field raises the keyboard and makes it the active field', async () => {
    await tap(page, 'email');
    await waitForState(page, (s) => s.focused === 'email', 'the email field to be active');
    await expectKeyboard(page, true, 'after the tap');
  });

  await checks.run('text from the on-screen keyboard reaches the field, deletions too', async () => {
    await page.keyboard.insertText('demo@');
    await fieldReads(page, 'email', 'demo@');
    await page.keyboard.insertText('onramp.xy');
    await fieldReads(page, 'email', 'demo@onramp.xy');
    // Android keyboards delete without a key code: the sentinel goes. Two
    // before a frame runs, as a held key repeats on a slow frame.
    await page.evaluate(() => { document.execCommand('delete'); document.execCommand('delete'); });
    await fieldReads(page, 'email', 'demo@onramp.');
    expectEqual((await page.evaluate(() => window.inputTypes)).join(),
      'insertText,insertText,deleteContentBackward,deleteContentBackward', 'input events sent');
    await expectKeyboard(page, true, 'after typing');
  });

  await checks.run('a word the keyboard composes reaches the field once, when committed', async () => {
    await compose('local');
    expectEqual((await waitFrames(page, 2)).widgets.email.text, 'demo@onramp.', 'email field while composing');
    await cdp.send('Input.insertText', { text: 'local' }); // the keyboard commits the word
    await fieldReads(page, 'email', DEMO_EMAIL);
    await expectKeyboard(page, true, 'after the composed word');
  });

  await checks.run('a hardware keyboard types each key once while the keyboard is up', async () => {
    await page.keyboard.type('ab');
    await fieldReads(page, 'email', `${DEMO_EMAIL}ab`);
    await page.keyboard.press('Backspace');
    await waitFrames(page, 2);
    await page.keyboard.press('Backspace');
    await fieldReads(page, 'email', DEMO_EMAIL);
    const s = await waitFrames(page, 3); // a doubled key would have landed by now
    expectEqual(s.widgets.email.text, DEMO_EMAIL, 'email field');
    expectEqual(s.focused, 'email', 'active field');
    await expectKeyboard(page, true, 'after the hardware keys');
  });

  await checks.run('a finger held down for a few frames taps where it lands, not where the last tap was', async () => {
    await tap(page, 'password.reveal');
    await waitForState(page, (s) => s.widgets['password.reveal'].text === 'Hide', 'the Hide label');
    const { x, y } = middle(await settled(page, 'password'));
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    await waitFrames(page, 3);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await waitForState(page, (st) => st.focused === 'password', 'the password field to be active');
    const s = await waitFrames(page, 3); // a press where the last tap was would show by now
    expectEqual(s.widgets['password.reveal'].text, 'Hide', 'the reveal toggle');
    expectEqual(s.widgets.email.text, DEMO_EMAIL, 'email field, untouched');
    await expectKeyboard(page, true, 'after the held tap');
  });

  await checks.run('a tap outside any field while a word is composed keeps the word and puts the keyboard away', async () => {
    await page.keyboard.insertText('onramp-');
    await fieldReads(page, 'password', 'onramp-');
    await compose('demo');
    const s = await waitForState(page, (st) => st.widgets.email, 'the sign-in screen');
    const spot = { x: 195, y: 4 };
    const under = Object.entries(s.widgets).find(([, w]) =>
      spot.x >= w.x && spot.x <= w.x + w.w && spot.y >= w.y && spot.y <= w.y + w.h);
    if (under) throw new Error(`(${spot.x}, ${spot.y}) is on widget "${under[0]}"`);
    await page.touchscreen.tap(spot.x, spot.y);
    const after = await waitForState(page, (st) => st.focused === null, 'no active field');
    await page.waitForFunction(() => document.activeElement !== window.onrampGestures.text, null, { polling: 'raf' });
    await expectKeyboard(page, false, 'after the tap outside');
    expectEqual(after.widgets.password.text, DEMO_PASSWORD, 'password field');
  });

  await checks.run('a tap on Sign in signs in and the keyboard stays away', async () => {
    await tap(page, 'password');
    await waitForState(page, (s) => s.focused === 'password', 'the password field to be active');
    await expectKeyboard(page, true, 'back in the password field');
    await tap(page, 'sign_in');
    // The demo user is an operator too: the console.
    const s = await waitForState(page, (st) => st.screen === 'console' && st.widgets.sign_out,
      'the console, signed in', 15000);
    await page.waitForFunction(() => document.activeElement !== window.onrampGestures.text, null, { polling: 'raf' });
    await page.screenshot({ path: path.join(args.out, 'touch-signed-in.png') });
    return `screen ${s.screen}`;
  });

  await checks.run('no errors in the page', async () => {
    if (problems.length) throw new Error(problems.join('\n'));
  });
}

await runTest('touch', checks, main, () => ({ edge, browsers: [browser], problems }), watchdog);
