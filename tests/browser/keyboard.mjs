// Browser test of the onboarding wizard with the keyboard alone, against
// `onramp-edge serve --demo`.
//
//   node tests/browser/keyboard.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// A person without a mouse signs in and walks every step to Finish with
// page.keyboard only: Tab and Shift+Tab reach every widget, fields and
// buttons alike (web/main.cpp), typing goes into the field Tab landed on,
// Enter and Space press the widget Tab reached, and the arrow keys move in
// an open drop-down's list only. Each new page starts with nothing focused,
// so the first Tab reaches its first widget. The document is uploaded
// through the browser's file picker, opened by Enter on "Choose a file"
// inside the keydown (web/platform/gestures_emscripten.cpp). Where Tab
// cannot reach a widget, the check names the widget and the path focus took.
import {
  BrowserTest, expectEqual, hookState, onStep, testArgs, waitForState, waitFrames,
} from './harness.mjs';

const args = testArgs();
const test = new BrowserTest(150);
const { checks } = test;

// Presses `key` and returns the state once the press has sunk in.
async function press(page, key) {
  await page.keyboard.press(key);
  return waitFrames(page, 2);
}

// Where the keyboard stands: the field being edited, or the widget
// keyboard navigation highlights.
const at = (s) => s.focused ?? s.nav;

// Presses Tab (or Shift+Tab) until the keyboard stands on widget `id`;
// fails naming the widgets focus went through when it never gets there.
async function tabTo(page, id, key = 'Tab') {
  const path = [];
  for (let i = 0; i < 40; i++) {
    const s = await press(page, key);
    path.push(at(s));
    if (at(s) === id) return path;
  }
  throw new Error(`${key} never reached "${id}"; focus went ${path.join(' → ')}`);
}

// Tab to button `id`, then `key` presses it, a few frames later as a person
// would: the focus a Tab asks for is taken on the next frame, and a key
// pressed in the very frames after Tab (a script's, 30 ms apart) once
// reached the drop-down before it was focused in a full run.
async function pressWidget(page, id, key = 'Enter') {
  await tabTo(page, id);
  await waitFrames(page, 3);
  await press(page, key);
}

// Continue (or Finish) pressed from the keyboard; waits for step `step`.
async function continueTo(page, step, timeout = 10000) {
  await pressWidget(page, 'continue');
  return waitForState(page, onStep(step), `the ${step} step`, timeout);
}

async function main() {
  const edge = await test.startEdge({ ...args, extraArgs: ['--demo'] });
  const { page } = await test.openBrowser({ width: 1280, height: 800, scale: 1 });

  await checks.run('signing in: Tab to each field and on to the Sign in button, which Enter presses', async () => {
    await page.goto(`${edge.url}/#/onboard`);
    await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.email, 'the sign-in screen', 20000);
    await tabTo(page, 'email');
    await page.keyboard.type('demo@onramp.local');
    await tabTo(page, 'password');
    await page.keyboard.type('onramp-demo');
    await waitForState(page, (s) => s.widgets.email?.text === 'demo@onramp.local' && s.widgets.password?.text,
      'both fields typed');
    const path = await tabTo(page, 'sign_in');
    await press(page, 'Enter');
    await waitForState(page, onStep('company'), 'the company step', 10000);
    return `from the password: ${path.join(' → ')}`;
  });

  await checks.run('company: nothing focused at first, the first Tab reaches the first field', async () => {
    const s = await waitFrames(page, 5);
    expectEqual(at(s), null, 'the widget focused on the new step');
    expectEqual(at(await press(page, 'Tab')), 'company_name', 'the widget the first Tab reaches');
  });

  await checks.run('company: typing after Tab, Shift+Tab back, the industry from the keyboard, saved', async () => {
    await page.keyboard.type('Keyboard Roofing');
    await tabTo(page, 'company_phone');
    await page.keyboard.type('+1-555-123-4567');
    await tabTo(page, 'company_name', 'Shift+Tab');
    await waitForState(page, (s) => s.widgets.company_name?.text === 'Keyboard Roofing' &&
      s.widgets.company_phone?.text === '+1-555-123-4567', 'the typed name and phone');
    await pressWidget(page, 'industry');
    let s = await waitForState(page, (st) => st.widgets['industry.8'], 'the open drop-down');
    // A drop-down's list is where the arrow keys move, as in a <select>.
    for (let i = 0; i < 12 && s.nav !== 'industry.8'; i++) s = await press(page, 'ArrowDown');
    expectEqual(s.nav, 'industry.8', 'the option the arrow keys reached');
    await press(page, 'Enter');
    await waitForState(page, (st) => st.widgets.industry?.text === 'e-commerce' && !st.widgets['industry.8'],
      'the chosen industry');
    await continueTo(page, 'platforms');
  });

  await checks.run('BigCommerce: its tile by Tab, the demo credentials (Space), tested and saved (Enter)', async () => {
    const first = at(await press(page, 'Tab'));
    if (!first?.startsWith('platform.')) throw new Error(`the first Tab reached "${first}", not a platform's tile`);
    await pressWidget(page, 'platform.bigcommerce');
    await waitForState(page, (s) => s.widgets.use_demo && s.widgets.store_hash, 'the BigCommerce form');
    await pressWidget(page, 'use_demo', 'Space');
    await waitForState(page, (s) => s.widgets.store_hash.text && s.widgets.access_token.text, 'the demo credentials');
    await pressWidget(page, 'test');
    const s = await waitForState(page, (st) => st.widgets['test.result'], 'the test result', 15000);
    expectEqual(s.widgets['test.result'].text, 'Connection verified', 'test result');
    await pressWidget(page, 'connect');
    await waitForState(page, onStep('sync'), 'the sync step', 15000);
  });

  await checks.run('the sync succeeds and Continue is pressed', async () => {
    await waitForState(page, (s) => s.widgets['sync.state']?.text === 'succeeded', 'the sync to succeed', 20000);
    await continueTo(page, 'documents');
  });

  // The picker opens only inside the keydown (a user activation; the frame
  // that presses the ImGui button comes after it): no picker, no document.
  // Enter with the page's focus on the button's mirror element, then Space
  // with it on the page itself and only ImGui's on the button. Playwright
  // intercepts pickers once the page has a listener for them, which takes
  // a round trip: the listener is there before Tab starts.
  await checks.run('documents: Enter, and Space, on Choose a file open the file picker; both files upload', async () => {
    const pickers = [];
    page.on('filechooser', (c) => pickers.push(c));
    const files = ['price-list.txt', 'opening-hours.txt'];
    for (const [i, key] of ['Enter', 'Space'].entries()) {
      await tabTo(page, 'choose_file');
      if (key === 'Space') await page.evaluate(() => document.activeElement.blur());
      expectEqual(pickers.length, i, 'file pickers opened before the key');
      await page.keyboard.press(key);
      for (let n = 0; n < 50 && pickers.length === i; n++) await waitFrames(page, 2);
      if (pickers.length !== i + 1) throw new Error(`${key} on Choose a file opened no file picker`);
      await pickers[i].setFiles({ name: files[i], mimeType: 'text/plain', buffer: Buffer.from(`${files[i]}\nRoof inspection: 120 USD\n`) });
      await waitForState(page, (s) => s.widgets[`document.${i}`]?.text.endsWith(': done'), `document ${i} ingested`, 20000);
    }
    expectEqual(pickers.length, 2, 'file pickers opened');
    const s = await hookState(page);
    expectEqual([0, 1].map((i) => s.widgets[`document.${i}`].text).sort().join(', '),
      'opening-hours.txt: done, price-list.txt: done', 'the documents');
    await continueTo(page, 'goals');
  });

  await checks.run('goals: Continue from the keyboard', async () => {
    await continueTo(page, 'team');
  });

  await checks.run('team: the e-mail typed after Tab, Enter sends the invitation', async () => {
    await tabTo(page, 'invite_email');
    await page.keyboard.type('rep@keyboard-roofing.test');
    await page.keyboard.press('Enter');
    await waitForState(page, (s) => s.widgets['invited.0']?.text.startsWith('rep@keyboard-roofing.test'),
      'the invitation listed');
    await continueTo(page, 'verify');
  });

  await checks.run('verify passes and Finish ends the wizard', async () => {
    const s = await waitForState(page, (st) => st.widgets['verify.result']?.text === 'Everything is in place',
      'every check to pass', 10000);
    expectEqual([0, 1, 2, 3].map((i) => s.widgets[`check.${i}`].text).join(', '), 'ok, ok, ok, ok', 'checks');
    await pressWidget(page, 'continue');
    await waitForState(page, (st) => st.screen === 'wizard' && st.step === 'done' && st.widgets.sign_out,
      'the last screen');
  });

  await test.checkNoPageErrors();
}

await test.finish('keyboard', main);
