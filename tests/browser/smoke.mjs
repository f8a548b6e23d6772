// Browser smoke test of the web client against the real edge.
//
//   node tests/browser/smoke.mjs --edge build/onramp-edge --web build/web --out build/artifacts
//
// Creates an operator with `onramp-edge create-admin`, starts the edge on a
// free loopback port, opens the page in headless Chromium at 1280×800 with
// devicePixelRatio 2, and checks that the client draws crisp frames, takes
// pasted and typed text, copies out, signs in and out against the edge, and
// takes a password-reset link from `onramp-edge reset-password`.
// Screenshots go to OUT/smoke.png, OUT/smoke-home.png and OUT/smoke-dark.png.
// Exits non-zero on the first failed check, or if the page logged an error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BrowserTest, clickWidget, expectEqual, fillField, hookState, pasteText, pngStats, runEdge, screenshots, signIn,
  testArgs, waitForState, waitFrames,
} from './harness.mjs';

const WIDTH = 1280;
const HEIGHT = 800;
const DPR = 2;
const PASTED = 'zoë.owner+onboarding@example.com'; // non-ASCII: the bridge is UTF-8
const TYPED = 'correct horse 9!';
const CLIPBOARD = 'tok_live_5f2a9c';
const OPERATOR = 'ops@onramp.test';

const args = testArgs();
const test = new BrowserTest(210);
const { checks } = test;

const shot = screenshots(args.out);

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onramp-smoke-'));
  let admin;
  try {
    admin = JSON.parse(await runEdge(args.edge, ['create-admin', '--data', dataDir, '--email', OPERATOR]));
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const edge = await test.startEdge({ ...args, dataDir }); // removes dataDir when it stops
  const { page, context, expectConsoleError } = await test.openBrowser({ width: WIDTH, height: HEIGHT, scale: DPR });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: edge.url });

  await checks.run('page loads and renders frames', async () => {
    const started = Date.now();
    await page.goto(`${edge.url}/`);
    const s = await waitForState(page, (st) => st.frame > 2, 'frame > 2', 20000);
    return `screen ${s.screen}, ${Date.now() - started} ms to frame ${s.frame}`;
  });

  await checks.run('canvas backbuffer is CSS size × devicePixelRatio', async () => {
    await waitFrames(page);
    const size = await page.evaluate(() => {
      const c = document.getElementById('canvas');
      return { w: c.width, h: c.height };
    });
    expectEqual(size.w, WIDTH * DPR, 'canvas.width');
    expectEqual(size.h, HEIGHT * DPR, 'canvas.height');
    const s = await hookState(page);
    expectEqual(s.dpr, DPR, 'dpr seen by the module');
    return `${size.w}×${size.h}`;
  });

  await checks.run('canvas is not blank', async () => {
    const png = await page.locator('#canvas').screenshot();
    const st = await pngStats(page, png);
    const card = st.share((r, g, b) => r > 250 && g > 250 && b > 250);
    const ink = st.share((r, g, b) => r + g + b < 200);
    const accent = st.share((r, g, b) => b > 180 && r < 110 && g < 100);
    if (st.width !== WIDTH * DPR) throw new Error(`screenshot is ${st.width} px wide, not ${WIDTH * DPR}`);
    if (card < 0.05) throw new Error(`no card: ${(card * 100).toFixed(2)}% white pixels`);
    if (ink < 0.0003) throw new Error(`no text: ${(ink * 100).toFixed(3)}% dark pixels`);
    if (accent < 0.002) throw new Error(`no accent button: ${(accent * 100).toFixed(3)}% accent pixels`);
    if (st.distinct < 40) throw new Error(`only ${st.distinct} colours: no antialiased text`);
    return `${st.distinct} colours, card ${(card * 100).toFixed(1)}%, text ${(ink * 100).toFixed(2)}%`;
  });

  await checks.run('a paste event reaches the focused field', async () => {
    await clickWidget(page, 'email');
    await waitForState(page, (s) => s.focused === 'email', 'the email field to be focused');
    await pasteText(page, PASTED);
    const s = await waitForState(page, (st) => st.widgets.email.text === PASTED, 'the pasted email');
    expectEqual(s.widgets.email.text, PASTED, 'email field');
  });

  await checks.run('keyboard typing reaches the password field', async () => {
    await clickWidget(page, 'password');
    await waitForState(page, (s) => s.focused === 'password', 'the password field to be focused');
    await page.keyboard.type(TYPED);
    const s = await waitForState(page, (st) => st.widgets.password.text === TYPED, 'the typed password');
    expectEqual(s.widgets.email.text, PASTED, 'email field, untouched');
  });

  await checks.run('Ctrl+V pastes the system clipboard once', async () => {
    await page.evaluate((text) => navigator.clipboard.writeText(text), CLIPBOARD);
    await page.keyboard.press('Control+A');
    await waitFrames(page);
    await page.keyboard.press('Control+V');
    await waitForState(page, (st) => st.widgets.password.text === CLIPBOARD, 'the clipboard text');
    const s = await waitFrames(page, 3); // a second paste would land by then
    expectEqual(s.widgets.password.text, CLIPBOARD, 'password field');
  });

  await checks.run('Ctrl+C copies the selection to the system clipboard', async () => {
    await clickWidget(page, 'email');
    await waitForState(page, (s) => s.focused === 'email', 'the email field to be focused');
    await page.keyboard.press('Control+A');
    await waitFrames(page); // the selection is ImGui's, made in a frame
    await page.keyboard.press('Control+C');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expectEqual(copied, PASTED, 'clipboard');
  });

  await checks.run('the reveal toggle shows and hides the password', async () => {
    await clickWidget(page, 'password.reveal');
    await waitForState(page, (s) => s.widgets['password.reveal'].text === 'Hide', 'the Hide label');
    await clickWidget(page, 'password.reveal');
    await waitForState(page, (s) => s.widgets['password.reveal'].text === 'Show', 'the Show label');
  });

  await checks.run('screenshot', () => shot(page, 'smoke'));

  await checks.run('a rejected sign-in shows the server\'s message', async () => {
    expectConsoleError(/status of 4\d\d/); // Chromium logs every failed request
    await clickWidget(page, 'sign_in');
    const s = await waitForState(page, (st) => st.widgets['sign_in.error'], 'an error message', 10000);
    expectEqual(s.widgets.sign_in.text, 'Sign in', 'button, no longer busy');
    expectEqual(s.screen, 'sign_in', 'screen');
    return `"${s.widgets['sign_in.error'].text}"`;
  });

  await checks.run('the arrow keys reach the Sign in button and Enter presses it', async () => {
    await fillField(page, 'email', admin.email);
    await fillField(page, 'password', admin.password);
    let s = await hookState(page);
    for (let i = 0; i < 4 && s.nav !== 'sign_in'; i++) {
      await page.keyboard.press('ArrowDown');
      await waitFrames(page, 3);
      s = await hookState(page);
    }
    expectEqual(s.nav, 'sign_in', 'where navigation stands');
    await page.keyboard.press('Enter');
    await waitForState(page, (st) => st.screen === 'console', 'the console, signed in by Enter');
    await clickWidget(page, 'sign_out');
    await waitForState(page, (st) => st.screen === 'sign_in' && st.widgets.email, 'the sign-in screen');
  });

  await checks.run('an operator signs in, stays signed in across a reload, and signs out for good', async () => {
    await signIn(page, admin);
    // Operators land in the console; other people in their own screens.
    await waitForState(page, (s) => s.screen === 'console' && s.widgets.sign_out, 'the signed-in screen');
    await shot(page, 'smoke-home');
    await page.reload();
    await waitForState(page, (s) => s.screen === 'console' && s.widgets.sign_out, 'the console after a reload', 15000);
    await clickWidget(page, 'sign_out');
    const s = await waitForState(page, (st) => st.screen === 'sign_in' && st.widgets.email, 'the sign-in screen');
    expectEqual(s.widgets.password.text, '', 'password after signing out');
    await page.reload();
    const after = await waitForState(page, (st) => st.screen === 'sign_in' && st.widgets.sign_in,
      'the sign-in screen after a reload', 15000);
    expectEqual(after.widgets.sign_in.text, 'Sign in', 'button, not busy resuming a session');
    await waitFrames(page, 10);
    expectEqual((await hookState(page)).screen, 'sign_in', 'screen a while after the reload');
    return admin.email;
  });

  await checks.run('a reset link sets a new password, and "Forgot password?" answers without telling who exists', async () => {
    const reset = JSON.parse(await runEdge(args.edge,
      ['reset-password', '--data', dataDir, '--email', OPERATOR, '--public-url', edge.url]));
    await page.goto(reset.reset_url);
    await page.reload(); // the client reads the link when it starts
    await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.new_password, 'the reset step', 15000);
    await fillField(page, 'new_password', 'a new password 9!');
    await fillField(page, 'new_password_again', 'a new password 9!');
    await clickWidget(page, 'set_password');
    const back = await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.sign_in, 'the sign-in step');
    expectEqual(back.widgets.email.text, OPERATOR, 'email filled in from the reset');
    await signIn(page, { email: OPERATOR, password: 'a new password 9!' });
    await waitForState(page, (s) => s.screen === 'console' && s.widgets.sign_out, 'the console, new password');
    await clickWidget(page, 'sign_out');
    await waitForState(page, (s) => s.screen === 'sign_in' && s.widgets.forgot_password, 'the sign-in screen');
    await clickWidget(page, 'forgot_password');
    await waitForState(page, (s) => s.widgets.send_reset, 'the forgot-password step');
    await fillField(page, 'email', 'nobody@onramp.test');
    await clickWidget(page, 'send_reset');
    const sent = await waitForState(page, (s) => s.widgets.sign_in && !s.widgets.send_reset, 'back to sign-in');
    expectEqual(sent.widgets['sign_in.error'], undefined, 'no error');
    return reset.reset_url.replace(/[^/]+$/, '…');
  });

  await checks.run('the theme switch turns the page dark', async () => {
    await clickWidget(page, 'theme');
    await waitForState(page, (s) => s.theme === 'dark', 'the dark theme');
    const file = await shot(page, 'smoke-dark');
    const st = await pngStats(page, fs.readFileSync(file));
    const dark = st.share((r, g, b) => r + g + b < 120);
    if (dark < 0.5) throw new Error(`only ${(dark * 100).toFixed(1)}% dark pixels`);
    return file;
  });

  await test.checkNoPageErrors();
}

await test.finish('smoke', main);
