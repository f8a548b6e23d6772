#!/usr/bin/env bash
# Sets up, builds and runs every test: unit suites (doctest), integration
# tests against a real edge process, and the browser tests in headless
# Chromium. Ends with ctest's summary. A second run rebuilds nothing that
# has not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh
build=${ONRAMP_BUILD_DIR:-build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
# Two cores: keep the parallelism at the machine's size.
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 600
