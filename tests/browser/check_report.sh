#!/usr/bin/env bash
# Check a landclust report.html in headless Chromium: the interactive map draws, its cluster layer
# shows, zoom changes the view, hover shows a cell's values, no error is raised and nothing but
# data: URIs is loaded.
#
# Usage: tests/browser/check_report.sh REPORT.html [SCREENSHOT_DIR]
#
# How (no DevTools driver): the report's map script carries a self-test that runs when the URL
# hash is "#selftest". It draws the default view, compares canvas pixels with the cluster layer off
# and on, zooms with a real wheel event, hovers the selected cell nearest the centre and reads the
# tooltip, decodes the binary hover block (base64 varint/u8/u16, see src/report/map.rs) and compares
# the cells the page's JSON lists as "probes" (decoded by Rust) with the script's own decoding
# (check hover_decoding), checks that the cluster-layer PNG decoded to the right cluster id under
# the first probe (layer_image_decoded), lists every resource that is not a data: URI and every error caught since the page's
# first script (window error events, console.error, Content-Security-Policy violations), then
# writes a JSON verdict into <pre id="selftest">. `chromium --dump-dom` prints the DOM once a
# virtual-time budget has run out, so the verdict is read without Playwright, a WebSocket client or
# npm: the check runs wherever Chromium runs, offline. Driving it over the DevTools protocol would
# be closer to a user but needs a driver package at run time (network) and more moving parts.
# Two --screenshot runs keep pictures to look at: before.png ("#map-only", default view) and
# after.png ("#selftest": zoomed 4x, tooltip shown); they must differ. Chromium's own log is also
# searched for uncaught exceptions.
#
# Exit status: 0 pass (or "SKIP: chromium unavailable: ..." when it cannot be installed),
# 1 failure, 2 usage error.
set -euo pipefail

usage() { echo "usage: $0 REPORT.html [SCREENSHOT_DIR]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
report="$1"
[ -f "$report" ] || { echo "FAIL: $report: no such file" >&2; exit 1; }
report_abs="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
shots="${2:-$(mktemp -d)/report-check}"
mkdir -p "$shots"

find_chromium() {
    for name in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
    done
    return 1
}

if ! chrome="$(find_chromium)"; then
    if [ "$(id -u)" != 0 ]; then
        echo "SKIP: chromium unavailable: not installed, and installing it needs root"; exit 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "SKIP: chromium unavailable: not installed and no apt-get"; exit 0
    fi
    echo "== installing chromium (apt-get)"
    log="$(mktemp)"
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } >"$log" 2>&1; then
        echo "SKIP: chromium unavailable: apt-get failed: $(tail -n 1 "$log")"; exit 0
    fi
    chrome="$(find_chromium)" || { echo "SKIP: chromium unavailable: installed but not on PATH"; exit 0; }
fi
echo "== $("$chrome" --version 2>/dev/null || echo "$chrome")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
url="file://$report_abs"

# One fresh profile per run; no background traffic; 10 s of virtual time lets the page settle.
run_chromium() {
    local profile="$1"; shift
    timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --disable-quic \
        --disable-default-apps --hide-scrollbars --user-data-dir="$work/$profile" \
        --window-size=1280,1000 --virtual-time-budget="${budget:-10000}" --enable-logging=stderr --v=0 "$@"
}

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

echo "== self-test ($url#selftest)"
# On a machine busy with other work the page may not have finished when Chromium's virtual
# time runs out (the DOM is then dumped without a verdict): one more try, with a longer budget
# and a fresh profile. A verdict that says a check failed is never retried.
verdict=""
for try in 1 2; do
    if ! run_chromium "selftest$try" --dump-dom "$url#selftest" >"$work/dom.html" 2>"$work/selftest.log"; then
        fail "chromium --dump-dom failed: $(grep -v dbus "$work/selftest.log" | tail -n 2)"
        break
    fi
    verdict="$(grep -o '<pre id="selftest"[^>]*>[^<]*</pre>' "$work/dom.html" | sed -e 's/<[^>]*>//g' || true)"
    [ -n "$verdict" ] && break
    [ "$try" = 1 ] && echo "no self-test result yet; trying once more with 30 s of virtual time"
    budget=30000
done
if [ -z "$verdict" ]; then
    fail "no self-test result in the page (the map script did not run or did not finish)"
else
    # The DOM escapes quotes only in attributes; &amp; &lt; &gt; may appear in text.
    verdict="$(printf '%s' "$verdict" | sed -e 's/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g')"
    if command -v python3 >/dev/null 2>&1; then
        printf '%s' "$verdict" | python3 -m json.tool || printf '%s\n' "$verdict"
    else
        printf '%s\n' "$verdict"
    fi
    case "$verdict" in
        *'"pass":true'*) echo "self-test: pass" ;;
        *) fail "self-test checks failed (see the JSON above: checks with false)" ;;
    esac
fi

echo "== screenshots in $shots"
run_chromium before --screenshot="$shots/before.png" "$url#map-only" >/dev/null 2>"$work/before.log" \
    || fail "chromium --screenshot (before) failed"
run_chromium after --screenshot="$shots/after.png" "$url#selftest" >/dev/null 2>"$work/after.log" \
    || fail "chromium --screenshot (after) failed"
for shot in before after; do
    size=$(stat -c %s "$shots/$shot.png" 2>/dev/null || echo 0)
    [ "$size" -gt 10000 ] || fail "$shot.png missing or nearly empty ($size bytes)"
    echo "$shots/$shot.png: $size bytes"
done
if cmp -s "$shots/before.png" "$shots/after.png"; then
    fail "zooming did not change the screenshot"
fi

if grep -h "Uncaught" "$work"/*.log; then
    fail "uncaught exception in Chromium's console log (above)"
fi

if [ "$failures" -gt 0 ]; then
    echo "report check: $failures failure(s)"
    exit 1
fi
echo "report check: PASS ($report)"
