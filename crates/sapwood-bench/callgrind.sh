#!/usr/bin/env bash
# Instructions per iteration of speed cases, counted by callgrind: repeatable
# on a noisy machine, where times are not.
#
#   bash crates/sapwood-bench/callgrind.sh CASE [SYSTEMS] [N]
#   bash crates/sapwood-bench/callgrind.sh kairo.broad sapwood,alien_signals_rs 20
#
# CASE is a `--filter` text (every case whose name contains it). Each system
# runs alone under callgrind twice, with N and 2N iterations per case
# (`--iterations`); the difference, divided by N, is one iteration's
# instructions, set-up and warm-up excluded. Prints one line per case and system.
# In this mode the cases' timed pre-flight checks are off, so every system
# runs every case to the end: leave out peers that cannot finish one (see the
# report's footnotes). A dyn case takes minutes per system under callgrind.
set -euo pipefail
case_filter=${1:?usage: callgrind.sh CASE [SYSTEMS] [N]}
systems=${2:-sapwood}
n=${3:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
cargo build --release -q -p sapwood-bench --manifest-path "$root/Cargo.toml"
# Where cargo put it: CARGO_TARGET_DIR (relative to here, as cargo reads it)
# if set, else the workspace's target directory.
target=${CARGO_TARGET_DIR:-$root/target}
[[ $target = /* ]] || target="$PWD/$target"
bin="$target/release/sapwood-bench"
cases=$("$bin" --filter "$case_filter" --iterations 0 --system floor 2>&1 >/dev/null |
    awk '$1 == "speed" { print $2 }')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() { # case system iterations
    valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$bin" --filter "$1" \
        --system "$2" --iterations "$3" >/dev/null 2>"$tmp/log"
    awk '/Collected :/ { print $4 }' "$tmp/log"
}
for c in $cases; do
    for s in ${systems//,/ }; do
        a=$(count "$c" "$s" "$n")
        b=$(count "$c" "$s" $((2 * n)))
        printf '%-24s %-18s %14d instructions per iteration\n' "$c" "$s" $(((b - a) / n))
    done
done
