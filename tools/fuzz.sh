#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/<name>.cpp, see cmake/fuzz.cmake)
# with clang-14, AddressSanitizer and UndefinedBehaviorSanitizer in a tree of
# their own, and runs each for a while on a scratch copy of its seed corpus
# (tests/fuzz/<name>/), so a run never writes into the repository. Prints one
# line per target: executions, executions per second, coverage (libFuzzer's
# final "cov:"), corpus growth. A crash, sanitizer report or timeout prints
# the report, keeps the input in <build-dir>/crashes/<name>/ and makes the
# script exit 1.
#
# usage: tools/fuzz.sh [--time SECONDS] [--build-dir DIR] [--build-only | --no-build] [target...]
#   --time SECONDS   how long each target runs (default 60)
#   --build-dir DIR  the clang tree (default build-fuzz)
#   --build-only     configure and build, run nothing
#   --no-build       run what is already built
#   target...        names in tests/fuzz/ (default: every tests/fuzz/*.cpp)
# Reproduce a kept crash with: <build-dir>/fuzz_<name> <build-dir>/crashes/<name>/crash-...
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

seconds=60
build_dir=$root/build-fuzz
build=1
run=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) seconds=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --build-only) run=0; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  for src in "$root"/tests/fuzz/*.cpp; do targets+=("$(basename "$src" .cpp)"); done
fi
for t in "${targets[@]}"; do
  if [ ! -f "$root/tests/fuzz/$t.cpp" ]; then echo "fuzz: no target tests/fuzz/$t.cpp" >&2; exit 2; fi
done

if [ $build -eq 1 ]; then
  if [ ! -f "$build_dir/build.ninja" ]; then
    launcher=()
    if command -v ccache >/dev/null 2>&1; then
      launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    fi
    # The "Fuzz" build type has no flags of its own: cmake/fuzz.cmake sets
    # them on the fuzz targets, and nothing else is built in this tree.
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Fuzz -DONRAMP_FUZZ=ON \
      -DONRAMP_BUILD_TESTS=OFF -DONRAMP_BUILD_WEB=OFF \
      -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 "${launcher[@]}" >/dev/null
  fi
  nice cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
fi
[ $run -eq 1 ] || exit 0

scratch=$(mktemp -d "${TMPDIR:-/tmp}/onramp-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# Sanitizer reports end the run (libFuzzer then keeps the input); UBSan
# prints where the undefined behaviour was reached.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
for t in "${targets[@]}"; do
  corpus=$scratch/$t/corpus
  artifacts=$scratch/$t/artifacts
  log=$scratch/$t/log
  mkdir -p "$corpus" "$artifacts"
  cp -R "$root/tests/fuzz/$t/." "$corpus/"
  seeds=$(find "$corpus" -type f | wc -l)
  status=0
  "$build_dir/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 -timeout=25 \
    -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || status=$?

  # The last of each: libFuzzer's final stats and its last status line.
  last() { grep -o "$1" "$log" | tail -1 | grep -o '[0-9]*$' || true; }
  runs=$(last 'stat::number_of_executed_units: *[0-9]*')
  rate=$(last 'stat::average_exec_per_sec: *[0-9]*')
  cov=$(last 'cov: [0-9]*')
  ft=$(last 'ft: [0-9]*')
  crashes=$(find "$artifacts" -type f | wc -l)
  echo "fuzz $t: ${runs:-?} runs in ${seconds} s (${rate:-?}/s), cov ${cov:-?}, ft ${ft:-?}," \
       "corpus $seeds -> $(find "$corpus" -type f | wc -l), crashes $crashes"
  if [ $status -ne 0 ] || [ "$crashes" -ne 0 ]; then
    failed=1
    kept=$build_dir/crashes/$t
    mkdir -p "$kept"
    if [ "$crashes" -ne 0 ]; then cp "$artifacts"/* "$kept/"; fi
    echo "fuzz $t: FAILED (exit $status); input kept in $kept:" >&2
    ls "$kept" >&2
    # The report: from the first sanitizer or libFuzzer error line on.
    awk '/^==[0-9]+==|runtime error|^INFO: .*Fuzzer.*deadly|ERROR: libFuzzer/ {p=1} p' "$log" | head -80 >&2
  fi
done
exit $failed
