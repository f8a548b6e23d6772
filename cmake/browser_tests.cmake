# Browser tests: headless Chromium (playwright-core, /usr/bin/chromium)
# against the real edge serving the page built by cmake/web.cmake.
# Screenshots and other artifacts go to ${CMAKE_BINARY_DIR}/artifacts.
find_program(ONRAMP_NODE node REQUIRED)

add_test(NAME browser.smoke
  COMMAND ${ONRAMP_NODE} ${CMAKE_SOURCE_DIR}/tests/browser/smoke.mjs
          --edge $<TARGET_FILE:onramp-edge>
          --web ${ONRAMP_WEB_DIR}
          --out ${CMAKE_BINARY_DIR}/artifacts)
# The script stops itself after 150 s, cleaning up its edge and browser; the
# ctest timeout is the backstop.
set_tests_properties(browser.smoke PROPERTIES
  TIMEOUT 180
  LABELS browser
  # Two Chromium tests at once would starve each other on small machines.
  RESOURCE_LOCK chromium
  # Alone on the machine: a loaded CPU drops touch taps and stretches frames.
  RUN_SERIAL TRUE)

# The operator console against `serve --demo`: clients, a connection's sync
# history and products, webhook deliveries, audit log, vault key status.
add_test(NAME browser.console
  COMMAND ${ONRAMP_NODE} ${CMAKE_SOURCE_DIR}/tests/browser/console.mjs
          --edge $<TARGET_FILE:onramp-edge>
          --web ${ONRAMP_WEB_DIR}
          --out ${CMAKE_BINARY_DIR}/artifacts)
set_tests_properties(browser.console PROPERTIES
  TIMEOUT 90
  LABELS browser
  RESOURCE_LOCK chromium
  # Alone on the machine: a loaded CPU drops touch taps and stretches frames.
  RUN_SERIAL TRUE)

# The client onboarding wizard against `serve --demo`: every step, BigCommerce
# with the demo credentials, sync progress, an upload, a reload that resumes,
# verify; screenshots at 1280×800 and 390×844.
add_test(NAME browser.wizard
  COMMAND ${ONRAMP_NODE} ${CMAKE_SOURCE_DIR}/tests/browser/wizard.mjs
          --edge $<TARGET_FILE:onramp-edge>
          --web ${ONRAMP_WEB_DIR}
          --out ${CMAKE_BINARY_DIR}/artifacts)
set_tests_properties(browser.wizard PROPERTIES
  TIMEOUT 180
  LABELS browser
  RESOURCE_LOCK chromium
  # Alone on the machine: a loaded CPU drops touch taps and stretches frames.
  RUN_SERIAL TRUE)
