#!/usr/bin/env bash
# The forms a person types (issue 14): positional halt/resume targets, --start as a word or a
# time from now, --for as a length, and a worked example in every command's help. Against a
# real gpuxd started without risk checks, so orders need no deposits.
# Usage: friendly_cli.sh GPUX_BINARY GPUXD_BINARY
set -u
gpux="$1"
gpuxd="$2"
source "$(dirname "$0")/lib.sh"

start_gpuxd --risk off

ops=(--account ops --token ops-demo)
"$gpux" halt H100.MEM1 "${ops[@]}" >"$tmp/out" 2>&1; s=$?
check "halt PRODUCT: exit 0" test $s -eq 0
check "halt PRODUCT halts the product" has 'H100.MEM1'
"$gpux" resume H100.MEM1 "${ops[@]}" >"$tmp/out" 2>&1; s=$?
check "resume PRODUCT: exit 0" test $s -eq 0
TOMORROW="$(date -u -d tomorrow +%Y-%m-%d)T00Z"
"$gpux" halt "H100.MEM1@${TOMORROW}+24h" "${ops[@]}" >"$tmp/out" 2>&1; s=$?
check "halt INSTRUMENT: exit 0" test $s -eq 0
"$gpux" halt H100.MEM1 --product H100.MEM1 "${ops[@]}" >"$tmp/out" 2>&1; s=$?
check "halt with a target and --product: exit 2" test $s -eq 2
check "...saying to give one" has 'give one instrument or product'
"$gpux" kill lab-z "${ops[@]}" >"$tmp/out" 2>&1; s=$?
check "kill ACCOUNT: exit 0" test $s -eq 0

DAY3="$(date -u -d '+3 days' +%Y-%m-%d)T00Z"
"$gpux" buy H100.MEM1 8 --start tomorrow --for 2d @2.00 >"$tmp/out" 2>&1; s=$?
check "buy --start tomorrow --for 2d: exit 0" test $s -eq 0
check "...a window from tomorrow 00Z for 48 hours" has "H100.MEM1@${TOMORROW}+48h"
"$gpux" sell H100.MEM1 8 --start "$DAY3" --for 1w @2.50 --account maker-1 >"$tmp/out" 2>&1; s=$?
check "sell --for 1w: 168 hours" has "H100.MEM1@${DAY3}+168h"
"$gpux" quote H100.MEM1 8 --start +2d --hours 24 >"$tmp/out" 2>&1; s=$?
check "quote --start +2d: exit 0 or 1 (answered)" test $s -le 1
"$gpux" buy H100.MEM1 8 --start tomorrow --for 2x @2.00 >"$tmp/out" 2>&1; s=$?
check "--for 2x: exit 2" test $s -eq 2
check "...saying what a length is" has "is not a length of time"
"$gpux" buy H100.MEM1 8 --start tomorrow --for 2d --hours 48 @2.00 >"$tmp/out" 2>&1; s=$?
check "--for with --hours: exit 2" test $s -eq 2
"$gpux" buy H100.MEM1 8 --start yesterday @2.00 >"$tmp/out" 2>&1; s=$?
check "--start yesterday: exit 2" test $s -eq 2
check "...naming the forms" has "today, tomorrow, now"

# One worked example in every command's help, and in gpux --help.
"$gpux" --help >"$tmp/out" 2>&1
check "gpux --help: an example" has 'Example: gpux '
commands=$(sed -n '/^Subcommands:/,$p' "$tmp/out" | awk 'NF && $1 != "Subcommands:" {print $1}' | grep -v '^Example' | grep -v '^Every')
missing=""
for c in $commands; do
  "$gpux" "$c" --help >"$tmp/out" 2>&1
  grep -q 'Example: gpux ' "$tmp/out" || missing="$missing $c"
done
for c in "journal verify" "journal dump" "journal state" "export trades" "export lobster" "export ledger"; do
  # shellcheck disable=SC2086
  "$gpux" $c --help >"$tmp/out" 2>&1
  grep -q 'Example: gpux ' "$tmp/out" || missing="$missing [$c]"
done
check "every command's help has an example (missing:${missing:- none})" test -z "$missing"

finish
