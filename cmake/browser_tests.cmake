# Browser tests: headless Chromium (playwright-core, /usr/bin/chromium)
# against the real edge serving the page built by cmake/web.cmake, or the
# static demo's files.
# Screenshots and other artifacts go to ${CMAKE_BINARY_DIR}/artifacts.
find_program(ONRAMP_NODE node REQUIRED)

# browser.NAME runs tests/browser/NAME.mjs against what ARGN names (the edge
# and the page it serves, or the static demo's folder). Each script stops
# itself before TIMEOUT, cleaning up its edge and browser; the ctest timeout
# is the backstop.
function(onramp_browser_test name timeout)
  add_test(NAME browser.${name}
    COMMAND ${ONRAMP_NODE} ${CMAKE_SOURCE_DIR}/tests/browser/${name}.mjs ${ARGN}
            --out ${CMAKE_BINARY_DIR}/artifacts)
  set_tests_properties(browser.${name} PROPERTIES
    TIMEOUT ${timeout}
    LABELS browser
    # Two Chromium tests at once would starve each other on small machines.
    RESOURCE_LOCK chromium
    # Alone on the machine: a loaded CPU stretches frames.
    RUN_SERIAL TRUE)
endfunction()
set(_demo_edge --edge $<TARGET_FILE:onramp-edge> --web ${ONRAMP_WEB_DIR})

# The page: crisp frames, paste and copy, sign-in and sign-out.
onramp_browser_test(smoke 240 ${_demo_edge})
# The operator console against `serve --demo`: clients, a connection's sync
# history and products, webhook deliveries, audit log, vault key status.
onramp_browser_test(console 90 ${_demo_edge})
# The console's actions against `serve --demo`: a new client and its link
# (copied), a client's entered data, revoking a link, sync now, products
# paging, an API key created and revoked, the audit log filtered.
onramp_browser_test(console_actions 150 ${_demo_edge})
# The client onboarding wizard against `serve --demo`: every step to done,
# the invited rep joining, the operator's view after; 1280×800 and 390×844.
onramp_browser_test(wizard 180 ${_demo_edge})
# The agency's brand on the wizard, and the page inside an agency's app:
# framed only from a listed origin, which hears onramp:step and :closed.
onramp_browser_test(embed 100 ${_demo_edge})
# An OAuth sign-in from the wizard: the custom CRM through the popup.
onramp_browser_test(oauth 100 ${_demo_edge})
# The channels a client connects from the wizard: Meta through the login
# dialog and the choice of Page, TikTok Shop through its authorize page,
# Telegram and Stripe through the form; all four shown connected.
onramp_browser_test(channels 150 ${_demo_edge})
# Onboarding links: reopened after a reload and on a second device, Shopify
# through the popup from a link session, finished; a revoked link's page.
onramp_browser_test(links 180 ${_demo_edge})
# Page addresses: wizard steps walked with Back, Forward and a reload; a
# console screen's address opened in a new browser after signing in.
onramp_browser_test(history 160 ${_demo_edge})
# A phone's touch screen: a tap raises the on-screen keyboard (the hidden
# input, typed as a password for secrets), its text, deletions and composed
# words reach the field; a finger drag scrolls without tapping, a flick
# coasts and a finger stops it.
onramp_browser_test(touch 100 ${_demo_edge})
# The accessibility mirror: axe-core finds no serious violation on any
# wizard step or console screen, Chromium's accessibility tree names the
# fields, buttons and errors, and signing in and the company step work
# through that tree alone; autofill reaches the fields.
onramp_browser_test(a11y 200 ${_demo_edge})
# The fonts: the first frame drawn before the second subset arrives, then a
# synced product titled in Romanian, Greek, Cyrillic and Vietnamese drawn
# with every glyph; other scripts fall back to a white square.
onramp_browser_test(fonts 90 ${_demo_edge})
# The page's languages: the switch (kept across a reload), a translated edge
# error, the organization's default and a German browser's.
onramp_browser_test(i18n 120 ${_demo_edge})
# The static demo, no server: the wizard from the page's link to done, the
# console showing the company just onboarded, then the company step on a
# phone.
onramp_browser_test(static_demo 150 --static ${ONRAMP_WEB_STATIC_DIR})
# The wizard with the keyboard alone, from signing in to Finish: Tab
# between fields, the arrow keys to buttons and drop-downs, Enter and Space.
onramp_browser_test(keyboard 170 ${_demo_edge})
# The wizard from signing in to the last screen as a screen reader user does
# it: every element found in the accessibility mirror by role and name, and
# acted on through the DOM alone (focus, click, a value set), the document
# uploaded through the picker the mirror's click opens; the Stripe path, with
# its webhooks step.
onramp_browser_test(screen_reader 100 ${_demo_edge})
