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
  RESOURCE_LOCK chromium)
