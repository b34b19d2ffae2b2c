#!/usr/bin/env bash
# Kill `landclust run` and `landclust export` with SIGINT, SIGTERM and SIGKILL at several
# moments (reading, computing, writing, committing) into a fresh and into an existing target,
# and check the output-folder guarantees of docs/guarantees.md after each kill and after the
# next command into the same target:
#   - the target is absent (fresh target only), the old complete folder or the new complete one
#     (.landclust marker present; for run metrics.json parseable, its k telling old from new;
#     for export _landclust.json parseable, every data file it lists present, its n_cells
#     telling old from new);
#   - after SIGINT/SIGTERM: exit code 130/143 and no leftover beside the target at once;
#   - after any kill: the next command into the target succeeds and leaves no leftover, and
#     nothing else appears beside the target.
#
# Usage: scripts/check_interrupts.sh PATH/TO/landclust [DELAYS...]
# DELAYS (seconds after the start) apply to both commands; by default `run` is killed after
# 0.2, 1 and 3 s and at 85% and 97% of a complete run's duration, `export` (shorter) after
# 0.05 s and at 30%, 60%, 85%, 97% and 102% of a complete export's duration (both measured first).
# LANDCLUST_CHECK_COMMANDS="run export" picks the commands (default both);
# LANDCLUST_CHECK_RESOLUTION (0.5) and LANDCLUST_CHECK_EXPORT_RESOLUTION (0.25) the grids.
# Prints one line per case and a summary; exits non-zero if any case failed.
set -u -o pipefail

if [ $# -lt 1 ] || [ ! -x "$1" ]; then
    echo "usage: $0 PATH/TO/landclust [DELAYS...]" >&2
    exit 2
fi
BIN=$(realpath "$1")
shift
GIVEN_DELAYS=("$@")
COMMANDS=${LANDCLUST_CHECK_COMMANDS:-run export}

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
QUICK_K=4
# Every variable of the demo file, every cell, 1-degree bands: many Parquet files.
EXPORT_VARS=NDVI,DHR443,DHR490,DHR565,DHR670,DHR865,DHR1020,AOD443,AOD565,AOD865,AExp,SSA565
REGION=--region=-20,40,-10,40

# The command that gets killed (the whole grid, so it lasts a few seconds), the quick one that
# writes the "old" folder and the "next" one after a kill, for each checked command. The killed
# one is only put in FULL_ARGV: started from a function it would run in a subshell and `$!`
# would not be landclust itself.
full_argv() {
    case $1 in
    run) FULL_ARGV=("$BIN" run "$INPUT" --k "$NEW_K" --n-init 4 --out "$2") ;;
    export) FULL_ARGV=("$BIN" export "$EXPORT_INPUT" --vars "$EXPORT_VARS" --select all --band 1 --out "$2") ;;
    esac
}
full_cmd() {
    full_argv "$1" "$2"
    "${FULL_ARGV[@]}"
}
quick_cmd() {
    case $1 in
    run) "$BIN" run "$INPUT" "$REGION" --k "$2" --n-init 1 --no-figures --out "$3" ;;
    export) "$BIN" export "$INPUT" "$REGION" --vars "$2" --out "$3" ;;
    esac
}
# The "old" and the "next" folder of each command, and how state_of names a complete new one.
old_arg() { case $1 in run) echo "$OLD_K" ;; export) echo NDVI ;; esac; }
next_arg() { case $1 in run) echo "$QUICK_K" ;; export) echo NDVI,DHR670 ;; esac; }

# What the folder $2 written by command $1 holds: absent, a complete folder named by what tells
# the writes apart (k=N for run, cells=N,vars=M for export), or BROKEN(...).
state_of() {
    local cmd=$1 dir=$2
    if [ ! -e "$dir" ]; then
        echo absent
        return
    fi
    if ! head -n1 "$dir/.landclust" 2>/dev/null | grep -q '^landclust '; then
        echo "BROKEN(no marker)"
        return
    fi
    case $cmd in
    run)
        python3 -c 'import json,sys; print("k=%s" % json.load(open(sys.argv[1]))["k"])' \
            "$dir/metrics.json" 2>/dev/null || echo "BROKEN(metrics.json)"
        ;;
    export)
        python3 - "$dir" <<'EOF' 2>/dev/null || echo "BROKEN(_landclust.json)"
import json, os, sys
d = sys.argv[1]
s = json.load(open(os.path.join(d, "_landclust.json")))
missing = [f for f in s["files"] if not os.path.isfile(os.path.join(d, f))]
print("BROKEN(%d listed files missing)" % len(missing) if missing else
      "cells=%d,vars=%d" % (s["n_cells"], len(s["columns"])))
EOF
        ;;
    esac
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
for cmd in $COMMANDS; do
    if [ "$cmd" = export ]; then
        EXPORT_INPUT="$WORK/export.nc"
        "$BIN" synth --resolution "${LANDCLUST_CHECK_EXPORT_RESOLUTION:-0.25}" --out "$EXPORT_INPUT" >/dev/null 2>&1 || {
            echo "synth for export failed" >&2
            exit 2
        }
    fi
    # The states a complete old, new and next folder show, measured on reference writes.
    full_cmd "$cmd" "$WORK/ref-new" >/dev/null 2>&1
    quick_cmd "$cmd" "$(old_arg "$cmd")" "$WORK/ref-old" >/dev/null 2>&1
    quick_cmd "$cmd" "$(next_arg "$cmd")" "$WORK/ref-next" >/dev/null 2>&1
    NEW_STATE=$(state_of "$cmd" "$WORK/ref-new")
    OLD_STATE=$(state_of "$cmd" "$WORK/ref-old")
    NEXT_STATE=$(state_of "$cmd" "$WORK/ref-next")
    rm -rf "$WORK/ref-new" "$WORK/ref-old" "$WORK/ref-next"
    if [ "$NEW_STATE" = "$OLD_STATE" ] || [ "$NEXT_STATE" = "$OLD_STATE" ] || [ "$NEXT_STATE" = "$NEW_STATE" ]; then
        echo "$cmd: reference writes do not tell old ($OLD_STATE), new ($NEW_STATE) and next ($NEXT_STATE) apart" >&2
        exit 2
    fi
    DELAYS=("${GIVEN_DELAYS[@]}")
    if [ ${#DELAYS[@]} -eq 0 ]; then
        # Besides fixed moments, kill at fractions of a complete write's duration, measured
        # here, to land in the writing of figures or files and in the commit.
        start=$(date +%s.%N)
        full_cmd "$cmd" "$WORK/timing" >/dev/null 2>&1
        took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
        rm -rf "$WORK/timing"
        frac() { awk -v t="$took" -v f="$1" 'BEGIN { printf "%.2f", t * f }'; }
        case $cmd in
        run) DELAYS=(0.2 1 3 "$(frac 0.85)" "$(frac 0.97)") ;;
        export) DELAYS=(0.05 "$(frac 0.3)" "$(frac 0.6)" "$(frac 0.85)" "$(frac 0.97)" "$(frac 1.02)") ;;
        esac
        echo "$cmd: a complete write takes ${took}s; killing after ${DELAYS[*]} s"
    fi
    for existing in fresh existing; do
        for signal in INT TERM KILL; do
            for delay in "${DELAYS[@]}"; do
                cases=$((cases + 1))
                case_dir="$WORK/case-$cmd-$existing-$signal-$delay"
                mkdir -p "$case_dir"
                target="$case_dir/out"
                if [ "$existing" = existing ]; then
                    quick_cmd "$cmd" "$(old_arg "$cmd")" "$target" >/dev/null 2>&1 || {
                        echo "FAIL $cmd $existing SIG$signal ${delay}s: could not write the old folder"
                        failures=$((failures + 1))
                        continue
                    }
                fi
                # Started directly, so $! is landclust itself.
                full_argv "$cmd" "$target"
                "${FULL_ARGV[@]}" >/dev/null 2>&1 &
                pid=$!
                sleep "$delay"
                kill -s "$signal" "$pid" 2>/dev/null
                wait "$pid" 2>/dev/null
                code=$?
                state=$(state_of "$cmd" "$target")
                left=$(leftovers_of "$target")
                problems=()
                if [ "$state" = "$NEW_STATE" ]; then
                    :
                elif [ "$existing" = fresh ] && [ "$state" = absent ]; then
                    :
                elif [ "$existing" = existing ] && [ "$state" = "$OLD_STATE" ]; then
                    :
                elif [ "$existing" = existing ] && [ "$state" = absent ]; then
                    # Only acceptable as the instant between the commit's two renames: the old
                    # folder must then be whole under .out.old-PID.
                    aside=$(find "$case_dir" -maxdepth 1 -name '.out.old-*' | head -n1)
                    [ -n "$aside" ] && [ "$(state_of "$cmd" "$aside")" = "$OLD_STATE" ] ||
                        problems+=("target absent, old folder lost")
                else
                    problems+=("target is $state")
                fi
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
                # The next command into the same target cleans up whatever the kill left.
                quick_cmd "$cmd" "$(next_arg "$cmd")" "$target" >/dev/null 2>&1 || problems+=("next write failed")
                after=$(state_of "$cmd" "$target")
                left_after=$(leftovers_of "$target")
                [ "$after" = "$NEXT_STATE" ] || problems+=("after the next write the target is $after")
                [ -z "$left_after" ] || problems+=("leftovers after the next write: $left_after")
                strays=$(find "$case_dir" -mindepth 1 -maxdepth 1 ! -name out -printf '%f ')
                [ -z "$strays" ] || problems+=("other files beside the target: $strays")
                line="$cmd $existing SIG$signal after ${delay}s: $finished, target $state, leftovers [${left% }]"
                if [ ${#problems[@]} -eq 0 ]; then
                    echo "ok   $line"
                else
                    echo "FAIL $line: ${problems[*]}"
                    failures=$((failures + 1))
                fi
                rm -rf "$case_dir"
            done
        done
    done
done
echo "$((cases - failures)) of $cases cases ok"
[ "$failures" -eq 0 ]
