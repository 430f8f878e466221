#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer target with clang (ASan + UBSan) and runs it for a bounded time over the kept corpus,
# growing it. Usage: run-fuzz.sh BUILD_DIR [SECONDS]. Fails on any crash; a missing clang is a failure too.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src="$here/../../src/core"
out=${1:?build dir}
seconds=${2:-60}
command -v clang++ >/dev/null || { echo "run-fuzz.sh: clang++ is missing (deploy/dev installs it)" >&2; exit 1; }
mkdir -p "$out/new-corpus"
bin="$out/fuzz_classifier"
if [[ ! -x $bin || -n $(find "$src" "$here/fuzz_classifier.cpp" -newer "$bin" -name '*.cpp' -o -newer "$bin" -name '*.h' | head -1) ]]; then
    # shellcheck disable=SC2046
    clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fPIC \
        $(pkg-config --cflags Qt6Core) -I"$src" \
        "$here/fuzz_classifier.cpp" "$src/ScanNormaliser.cpp" "$src/ScanClassifier.cpp" "$src/Gs1Parser.cpp" \
        "$src/TrackingNumber.cpp" "$src/LabelFields.cpp" "$src/Verdict.cpp" \
        $(pkg-config --libs Qt6Core) -o "$bin"
fi
# New inputs go to a scratch folder first, then only the interesting ones are merged into the kept corpus.
ASAN_OPTIONS=detect_leaks=0 "$bin" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=600 \
    -dict="$here/scan.dict" -print_final_stats=1 "$out/new-corpus" "$here/corpus"
ASAN_OPTIONS=detect_leaks=0 "$bin" -merge=1 "$here/corpus" "$out/new-corpus" >/dev/null 2>&1 || true
echo "fuzz_classifier: no crash in ${seconds}s; corpus $(ls "$here/corpus" | wc -l) files"
