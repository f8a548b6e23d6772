// The test hook: browser tests read the app's state through an exported
// function, onramp_test_state(), then act with real mouse and keyboard
// events at the coordinates it reports; onramp_test_missing_glyphs(text)
// names the characters of a text the fonts would draw as the fallback.
#pragma once

struct App;

// Points the hook at the app. Called once by main.
void test_hook_attach(const App* app);
