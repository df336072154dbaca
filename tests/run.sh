#!/bin/bash
# The whole test suite, as CI runs it (as root, on Debian 12):
#   1. release build with -Werror, system wolfSSL: unit, config, netns and
#      package tests (the .deb built, linted, installed and purged)
#   2. wolfSSL built with its assembly (packaging/wolfssl-asm.sh): unit tests
#   3. AddressSanitizer + UndefinedBehaviorSanitizer build (clang): the same
#      tests as 1 again, so the daemons in the namespaces run instrumented too,
#      each with two crypto workers (1 runs the default: none on 2 CPUs); the
#      birthday tests' odds are measured in 1, here 5 attempts each must all
#      go direct; not the two that measure a minute of timing (no flapping
#      under jitter, bulk beside idle relays), whose code the other relay
#      tests run, nor the package (built once, in 1)
#   4. ThreadSanitizer build (clang): the crypto workers' unit test and the
#      netns tests that carry bulk data, two workers in every daemon
#   5. libFuzzer build: every harness for FUZZ_SECONDS (default 30) each
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
	build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVPND_WOLFSSL_ASM=OFF &&
		ctest --test-dir build --output-on-failure
}

# The crypto test vectors against wolfSSL built with its assembly.
assembly() {
	build build-asm -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVPND_WOLFSSL_ASM=ON &&
		ctest --test-dir build-asm --output-on-failure -L unit
}

sanitized() {
	CC=clang build build-asan -DCMAKE_BUILD_TYPE=Debug -DVPND_SANITIZE=ON &&
		LAB_WORKERS=2 ATTEMPTS=5 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			ctest --test-dir build-asan --output-on-failure -LE package \
			-E "^netns_(relay_jitter|relay_under_load)$"
}

# The crypto workers under ThreadSanitizer: their unit test, and the netns
# tests that carry bulk data, with two worker threads in every daemon.
threads() {
	CC=clang build build-tsan -DCMAKE_BUILD_TYPE=Debug -DVPND_TSAN=ON &&
		LAB_WORKERS=2 TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
			ctest --test-dir build-tsan --output-on-failure \
			-R "^unit_|netns_(two_nodes|offload|replay|wireguard_interop|relay_failover|nat_cone_cone)$"
}

fuzz() {
	CC=clang build build-fuzz -DVPND_TESTS=OFF -DVPND_FUZZ=ON \
		-DVPND_FUZZ_SECONDS="${FUZZ_SECONDS:-30}" &&
		ctest --test-dir build-fuzz --output-on-failure -L fuzz
}

suite "release build: unit and netns tests" release
suite "wolfSSL with assembly: unit tests" assembly
suite "ASan+UBSan build: unit and netns tests" sanitized
suite "TSan build: the crypto workers" threads
suite "fuzzers" fuzz

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
