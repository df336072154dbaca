#!/bin/bash
# The whole test suite, as CI runs it (as root, on Debian 12):
#   1. release build with -Werror: unit, config and netns tests
#   2. AddressSanitizer + UndefinedBehaviorSanitizer build (clang): the same
#      tests again, so the daemons in the namespaces run instrumented too
#   3. libFuzzer build: every harness for FUZZ_SECONDS (default 30) each
set -uo pipefail
cd "$(dirname "$0")/.."
# Namespaces and TUN devices need root: ask for it when not root already.
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "run this as root" >&2; exit 1; }
	exec sudo bash "$0" "$@"
fi
bash tests/deps.sh || exit 1

jobs=$(nproc)
passed=0
failed=0

suite() {
	local name=$1
	shift
	echo "=== $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "=== $name FAILED"
	fi
}

build() {
	local dir=$1
	shift
	cmake -S . -B "$dir" -DVPND_WERROR=ON "$@" >/dev/null && cmake --build "$dir" -j "$jobs" >/dev/null
}

release() {
	build build -DCMAKE_BUILD_TYPE=RelWithDebInfo && ctest --test-dir build --output-on-failure
}

sanitized() {
	CC=clang build build-asan -DCMAKE_BUILD_TYPE=Debug -DVPND_SANITIZE=ON &&
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			ctest --test-dir build-asan --output-on-failure
}

fuzz() {
	CC=clang build build-fuzz -DVPND_TESTS=OFF -DVPND_FUZZ=ON \
		-DVPND_FUZZ_SECONDS="${FUZZ_SECONDS:-30}" &&
		ctest --test-dir build-fuzz --output-on-failure -L fuzz
}

suite "release build: unit and netns tests" release
suite "ASan+UBSan build: unit and netns tests" sanitized
suite "fuzzers" fuzz

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
