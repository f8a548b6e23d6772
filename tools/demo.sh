#!/usr/bin/env bash
# Sets up, builds and starts Onramp in offline demo mode: the edge serves
# the web client at http://127.0.0.1:8080 with mock platforms standing in
# for the real ones. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh
build=${ONRAMP_BUILD_DIR:-build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target onramp-edge onramp_web
exec "$build/onramp-edge" serve --demo --listen "${ONRAMP_LISTEN:-127.0.0.1:8080}" \
  --data "${ONRAMP_DATA:-$PWD/data/demo}" --web-root "$build/web"
