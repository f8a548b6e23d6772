#!/usr/bin/env bash
# Installs everything Onramp needs to build, run and test, from Debian's
# archive and the npm registry only. Idempotent: when every package is
# already present it installs nothing and returns within a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config ca-certificates xz-utils
  nlohmann-json3-dev libcpp-httplib-dev libboost1.81-dev libsqlite3-dev libssl-dev doctest-dev
  libpoppler-cpp-dev libzip-dev libexpat1-dev libcurl4-openssl-dev python3-aiosmtpd
  emscripten fonts-inter fonttools
  chromium
  wrk sqlite3
  caddy nginx systemd curl jq
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
)

missing=()
# Node and npm: any install that provides the commands will do (Debian's
# nodejs, or an image's own build of it, which conflicts with Debian's npm).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The Dear ImGui *source* (imgui.cpp) only ships in Debian's source package.
src_list=/etc/apt/sources.list.d/onramp-debian-src.sources
need_src=0
[ -f .deps/imgui-1.86/imgui.cpp ] || need_src=1

if [ ${#missing[@]} -gt 0 ] || [ $need_src -eq 1 ]; then
  if [ $need_src -eq 1 ] && [ ! -f "$src_list" ] && ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/; then
    sudo_ tee "$src_list" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  echo "setup: apt-get update" >&2
  sudo_ apt-get update -qq
fi

# nginx is here for tests/deploy/nginx_test.sh, which runs an nginx of its
# own; the package's service would take port 80 from Caddy
# (tools/install.sh). When nginx is installed here, its service is masked
# while the package installs (so that it does not start), then left
# disabled.
new_nginx=0
[[ " ${missing[*]} " == *" nginx "* ]] && new_nginx=1

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  [ $new_nginx -eq 0 ] || sudo_ systemctl mask nginx.service >/dev/null 2>&1 || true
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ $new_nginx -eq 1 ]; then
    sudo_ systemctl disable nginx.service >/dev/null 2>&1 || true
    sudo_ systemctl unmask nginx.service >/dev/null 2>&1 || true
  fi
fi

if [ $need_src -eq 1 ]; then
  echo "setup: fetching the Dear ImGui source package" >&2
  mkdir -p .deps
  (cd .deps && apt-get source --download-only imgui >/dev/null 2>&1 && tar xf imgui_1.86*.orig.tar.xz)
  test -f .deps/imgui-1.86/imgui.cpp
fi

# playwright-core drives Debian's chromium; it never downloads a browser.
# axe-core audits the page's accessibility mirror (tests/browser/a11y.mjs);
# standardwebhooks checks the edge's event signatures independently.
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] || [ ! -d node_modules/standardwebhooks ]; then
  echo "setup: npm install" >&2
  npm install --no-audit --no-fund --silent >/dev/null
fi
