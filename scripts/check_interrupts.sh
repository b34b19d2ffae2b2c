#!/usr/bin/env bash
# Kill `landclust run` with SIGINT, SIGTERM and SIGKILL at several moments (reading, computing,
# writing) into a fresh and into an existing target, and check the output-folder guarantees of
# docs/guarantees.md after each kill and after the next run into the same target:
#   - the target is absent (fresh target only), the old complete run or the new complete run
#     (.landclust marker present, metrics.json parseable, its k telling old from new);
#   - after SIGINT/SIGTERM: exit code 130/143 and no leftover beside the target at once;
#   - after any kill: the next run into the target succeeds and leaves no leftover.
#
# Usage: scripts/check_interrupts.sh PATH/TO/landclust [DELAYS...]
# DELAYS default to 0.2 1 3 seconds after the start, and 85% and 97% of a complete run's
# duration (measured first). Prints one line per case and a summary;
# exits non-zero if any case failed.
set -u -o pipefail

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
    echo "usage: $0 PATH/TO/landclust [DELAYS...]" >&2
    exit 2
fi
BIN=$(realpath "$1")
shift
DELAYS=("$@")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/landclust-interrupts.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# Job control: background jobs keep the default SIGINT disposition (a non-interactive shell
# would start them with SIGINT ignored, which is not what a user's Ctrl-C meets).
set -m

INPUT="$WORK/demo.nc"
"$BIN" synth --resolution "${LANDCLUST_CHECK_RESOLUTION:-0.5}" --out "$INPUT" >/dev/null 2>&1 || {
    echo "synth failed" >&2
    exit 2
}
OLD_K=3
NEW_K=6
if [ ${#DELAYS[@]} -eq 0 ]; then
    # Besides fixed moments (reading, computing), kill at 85% and 97% of a complete run's
    # duration, measured here, to land in the writing of figures and in the commit.
    start=$(date +%s.%N)
    "$BIN" run "$INPUT" --k "$NEW_K" --n-init 4 --out "$WORK/timing" >/dev/null 2>&1
    took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
    rm -rf "$WORK/timing"
    DELAYS=(0.2 1 3 "$(awk -v t="$took" 'BEGIN { printf "%.2f", t * 0.85 }')" \
        "$(awk -v t="$took" 'BEGIN { printf "%.2f", t * 0.97 }')")
    echo "a complete run takes ${took}s; killing after ${DELAYS[*]} s"
fi
QUICK_K=4

# A quick complete run (the "old" run, and the "next" run after a kill).
quick_run() { "$BIN" run "$INPUT" --region=-20,40,-10,40 --k "$1" --n-init 1 --no-figures --out "$2"; }

# What the folder $1 holds: absent, k=N (a complete landclust run with k = N), or BROKEN(...).
state_of() {
    local dir=$1
    if [ ! -e "$dir" ]; then
        echo absent
        return
    fi
    if ! head -n1 "$dir/.landclust" 2>/dev/null | grep -q '^landclust '; then
        echo "BROKEN(no marker)"
        return
    fi
    local k
    k=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["k"])' "$dir/metrics.json" 2>/dev/null) || {
        echo "BROKEN(metrics.json)"
        return
    }
    echo "k=$k"
}

# Leftovers beside target $1 (names only, space-separated).
leftovers_of() {
    local parent name
    parent=$(dirname "$1")
    name=$(basename "$1")
    find "$parent" -maxdepth 1 -mindepth 1 \( -name ".$name.partial-*" -o -name ".$name.old-*" \) -printf '%f ' 2>/dev/null
}

failures=0
cases=0
for existing in fresh existing; do
    for signal in INT TERM KILL; do
        for delay in "${DELAYS[@]}"; do
            cases=$((cases + 1))
            case_dir="$WORK/case-$existing-$signal-$delay"
            mkdir -p "$case_dir"
            target="$case_dir/out"
            if [ "$existing" = existing ]; then
                quick_run "$OLD_K" "$target" >/dev/null 2>&1 || {
                    echo "FAIL $existing SIG$signal ${delay}s: could not write the old run"
                    failures=$((failures + 1))
                    continue
                }
            fi
            # The run that gets killed (started directly, so $! is landclust itself): the whole
            # grid, figures and report, so it lasts a few seconds.
            "$BIN" run "$INPUT" --k "$NEW_K" --n-init 4 --out "$target" >/dev/null 2>&1 &
            pid=$!
            sleep "$delay"
            kill -s "$signal" "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
            code=$?
            state=$(state_of "$target")
            left=$(leftovers_of "$target")
            problems=()
            case "$existing:$state" in
            fresh:absent | fresh:k=$NEW_K | existing:k=$OLD_K | existing:k=$NEW_K) ;;
            existing:absent)
                # Only acceptable as the instant between the commit's two renames: the old run
                # must then be whole under .out.old-PID.
                aside=$(find "$case_dir" -maxdepth 1 -name '.out.old-*' | head -n1)
                [ -n "$aside" ] && [ "$(state_of "$aside")" = "k=$OLD_K" ] ||
                    problems+=("target absent, old run lost")
                ;;
            *) problems+=("target is $state") ;;
            esac
            if [ "$code" -eq 0 ]; then
                finished="finished before the signal"
            else
                finished="exit $code"
                case "$signal" in
                INT) [ "$code" -eq 130 ] || problems+=("exit $code, want 130") ;;
                TERM) [ "$code" -eq 143 ] || problems+=("exit $code, want 143") ;;
                esac
            fi
            if [ "$signal" != KILL ] && [ -n "$left" ]; then
                problems+=("leftovers after SIG$signal: $left")
            fi
            # The next run into the same target cleans up whatever the kill left.
            quick_run "$QUICK_K" "$target" >/dev/null 2>&1 || problems+=("next run failed")
            after=$(state_of "$target")
            left_after=$(leftovers_of "$target")
            [ "$after" = "k=$QUICK_K" ] || problems+=("after the next run the target is $after")
            [ -z "$left_after" ] || problems+=("leftovers after the next run: $left_after")
            strays=$(find "$case_dir" -mindepth 1 -maxdepth 1 ! -name out -printf '%f ')
            [ -z "$strays" ] || problems+=("other files beside the target: $strays")
            line="$existing SIG$signal after ${delay}s: $finished, target $state, leftovers [${left% }]"
            if [ ${#problems[@]} -eq 0 ]; then
                echo "ok   $line"
            else
                echo "FAIL $line: ${problems[*]}"
                failures=$((failures + 1))
            fi
        done
    done
done
echo "$((cases - failures)) of $cases cases ok"
[ "$failures" -eq 0 ]
