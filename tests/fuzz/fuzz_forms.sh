#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds fuzz_forms (the Trade-In Form readers) with clang (ASan + UBSan + libFuzzer) and runs it for a bounded
# time over tests/fuzz/forms-corpus, merging the inputs that found new paths back into it, like run-fuzz.sh
# does for the classifier. Usage: fuzz_forms.sh BUILD_DIR [SECONDS]. Fails on any crash; no clang is a failure.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src="$here/../../src/forms"
out=${1:?build dir}
seconds=${2:-25}
command -v clang++ >/dev/null || { echo "fuzz_forms.sh: clang++ is missing (deploy/dev installs it)" >&2; exit 1; }
mkdir -p "$out/forms-new-corpus"
bin="$out/fuzz_forms"
if [[ ! -x $bin || -n $(find "$src" "$here/fuzz_forms.cpp" -newer "$bin" \( -name '*.cpp' -o -name '*.h' \) | head -1) ]]; then
    # One object per source, two at a time and through ccache when there is one: the compile is most of a
    # short run's time.
    cc=(clang++)
    command -v ccache >/dev/null && cc=(ccache clang++)
    flags="-std=c++20 -O1 -gline-tables-only -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fPIC
           $(pkg-config --cflags Qt6Core quazip1-qt6 freexl) -I$src"
    mkdir -p "$out/fuzz_forms.o"
    printf '%s\n' "$here/fuzz_forms.cpp" "$src/Spreadsheet.cpp" "$src/CsvReader.cpp" "$src/XlsxReader.cpp" \
        "$src/XlsReader.cpp" "$src/TradeInForm.cpp" |
        CCACHE_BASEDIR=$(cd "$here/../.." && pwd) xargs -P 2 -I{} sh -c \
            "${cc[*]} $(echo "$flags" | tr '\n' ' ') -c {} -o $out/fuzz_forms.o/\$(basename {} .cpp).o"
    # shellcheck disable=SC2046
    clang++ -fsanitize=fuzzer,address,undefined "$out"/fuzz_forms.o/*.o \
        $(pkg-config --libs Qt6Core quazip1-qt6 freexl) -o "$bin"
fi
# rss_limit: the readers' own limits keep a workbook far below it; -max_len fits the seed workbooks.
ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -dict="$here/fuzz_forms.dict" -print_final_stats=1 "$out/forms-new-corpus" "$here/forms-corpus"
ASAN_OPTIONS=detect_leaks=0 "$bin" -merge=1 "$here/forms-corpus" "$out/forms-new-corpus" >/dev/null 2>&1 || true
echo "fuzz_forms: no crash in ${seconds}s; corpus $(find "$here/forms-corpus" -type f | wc -l) files"
