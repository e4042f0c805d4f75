# What the CLI test scripts share (sourced, not run): a temp dir removed at exit with the gpuxd
# they started, `check NAME CONDITION...` counting what passed and failed, `has TEXT` (the last
# command's output in $tmp/out holds it), `start_gpuxd ARGS...` (gpuxd on a free port, its log
# in $tmp/gpuxd.log, GPUX_SERVER pointed at it) and `stop_gpuxd`, and `finish`, the exit status.
# Expects $gpuxd to name the server binary before start_gpuxd.
tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
passed=0
check() {  # check NAME CONDITION...
  local name="$1"
  shift
  if "$@"; then echo "ok: $name"; passed=$((passed + 1)); else echo "FAILED: $name"; failures=$((failures + 1)); fi
}
has() { grep -q -- "$1" "$tmp/out"; }

start_gpuxd() {
  : >"$tmp/gpuxd.log"  # else the loop below can read the previous server's line before the shell truncates it
  "$gpuxd" --port 0 "$@" 2>"$tmp/gpuxd.log" &
  server_pid=$!
  for _ in $(seq 600); do  # up to 60 s: on a busy machine its start has taken over 10 s
    grep -q 'listening on' "$tmp/gpuxd.log" && break
    sleep 0.1
  done
  GPUX_SERVER=$(sed -n 's/.*listening on \([^ ]*\) .*/\1/p' "$tmp/gpuxd.log")
  export GPUX_SERVER
  test -n "$GPUX_SERVER" || { echo "gpuxd did not start:"; cat "$tmp/gpuxd.log"; exit 1; }
}
stop_gpuxd() {
  kill -TERM "$server_pid"
  wait "$server_pid"
  server_pid=
}
finish() {
  echo "$passed passed, $failures failed"
  test "$failures" -eq 0
}
