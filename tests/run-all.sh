#!/usr/bin/env bash
# run-all - installs what is missing, builds, and runs the whole test suite:
# every libFuzzer target for a bounded time (clang, ASan+UBSan), the unit and
# integration tests under AddressSanitizer+UBSan, then normally, then the
# dashboard in headless Chromium (skipped when Chromium cannot start). The
# output ends with ctest's summary. BC_FUZZ_SECONDS sets each fuzz target's time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/scripts/install-deps.sh --test

jobs=$(nproc)
echo "== build (RelWithDebInfo)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
echo "== build (AddressSanitizer + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DBC_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"

echo "== build (libFuzzer targets, clang)"
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DBC_FUZZ=ON \
    -DBC_FUZZ_SECONDS="${BC_FUZZ_SECONDS:-30}" >/dev/null
cmake --build build-fuzz -j"$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
echo "== fuzz targets, each for ${BC_FUZZ_SECONDS:-30} s"
ctest --test-dir build-fuzz -L fuzz --output-on-failure || status=1
echo "== unit and integration tests under AddressSanitizer + UBSan"
ctest --test-dir build-asan -L 'unit|integration' --output-on-failure -j"$jobs" || status=1
echo "== crash suite (kill -9 mid-work)"
ctest --test-dir build -L crash --output-on-failure || status=1
echo "== browser test: the dashboard in headless Chromium (skipped when it cannot start)"
if [ -x /usr/bin/chromium ]; then
    # -V shows the screenshots' paths, or why the test skipped.
    ctest --test-dir build -L browser -V || status=1
else
    echo "skipped: /usr/bin/chromium is not installed (apt-get install chromium)"
fi
echo "== benchmark harness smoke run (tiny sizes, no peers; figures not asserted)"
ctest --test-dir build -L bench --output-on-failure || status=1
# Last, so that the output ends with the summary of the main run.
echo "== unit and integration tests"
ctest --test-dir build -L 'unit|integration' --output-on-failure -j"$jobs" || status=1
exit $status
