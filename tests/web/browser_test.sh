#!/usr/bin/env bash
# The web view in a real browser (docs/web-view.md): gpuxd with --web-port and the demo market,
# headless Chromium (Debian's `chromium`, installed here when missing) driven through the
# DevTools protocol by page_check.py, which checks that the grid of hours, a window book and the
# trades tape show data that then changes while the page is open. Everything on 127.0.0.1, every
# wait bounded, everything started here stopped by its pid.
# Usage: browser_test.sh GPUX_BINARY GPUXD_BINARY [SCREENSHOT.png]
#   (or GPUX_WEB_SCREENSHOT=path: where to keep a screenshot of the page; docs/web-view.png is one)
set -u
gpux="$1"
gpuxd="$2"
screenshot="${3:-${GPUX_WEB_SCREENSHOT:-}}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp=$(mktemp -d)
pids=()
stop() {  # stop PID: TERM, up to 5 s, then KILL
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
cleanup() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop "${pids[$i]}"; done
  rm -rf "$tmp"
}
trap cleanup EXIT

if ! command -v chromium >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  echo "browser_test: installing Debian's chromium" >&2
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium; } >"$tmp/apt.log" 2>&1 ||
    { echo "FAILED: cannot install chromium (root or passwordless sudo needed):"; tail -5 "$tmp/apt.log"; exit 1; }
fi
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
web_port=$(free_port)
devtools_port=$(free_port)

"$gpuxd" --port 0 --web-port "$web_port" 2>"$tmp/gpuxd.log" &
pids+=($!)
for _ in $(seq 600); do  # up to 60 s: a busy machine is slow to start it
  grep -q 'listening on' "$tmp/gpuxd.log" && break
  sleep 0.1
done
server=$(sed -n 's/.*listening on \([^ ]*\) .*/\1/p' "$tmp/gpuxd.log")
[ -n "$server" ] && grep -q "web view on http://127.0.0.1:$web_port/" "$tmp/gpuxd.log" ||
  { echo "FAILED: gpuxd did not start with the web view:"; cat "$tmp/gpuxd.log"; exit 1; }
echo "ok: gpuxd on $server, web view on 127.0.0.1:$web_port"

# The server's own checks of what it serves: the page, nothing else, read only.
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
failures=0
check() { if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAILED: $1 (got $2, want $3)"; failures=$((failures + 1)); fi; }
check "the page is served" "$(code "http://127.0.0.1:$web_port/")" 200
check "app.js is served" "$(code "http://127.0.0.1:$web_port/app.js")" 200
check "no path traversal" "$(code --path-as-is "http://127.0.0.1:$web_port/../CMakeLists.txt")" 404
check "no other files" "$(code "http://127.0.0.1:$web_port/README.md")" 404
check "read only" "$(code -X POST "http://127.0.0.1:$web_port/")" 405
check "a huge request header is refused" "$(code -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)" "http://127.0.0.1:$web_port/")" 000

"$gpux" demo-market --server "$server" >"$tmp/market.log" 2>&1 &
pids+=($!)

chromium --headless --disable-gpu --no-sandbox --no-first-run --user-data-dir="$tmp/profile" \
  --remote-debugging-address=127.0.0.1 --remote-debugging-port="$devtools_port" about:blank >"$tmp/chromium.log" 2>&1 &
pids+=($!)
python3 "$here/page_check.py" "$devtools_port" "http://127.0.0.1:$web_port/" 90 $screenshot || failures=$((failures + 1))

if [ "$failures" -ne 0 ]; then
  echo "--- gpuxd log (tail)"; tail -20 "$tmp/gpuxd.log"
  echo "--- demo market log (tail)"; tail -5 "$tmp/market.log"
  exit 1
fi
echo "browser test: passed"
