#!/usr/bin/env bash
# End-to-end checks of the ledger's commands (SPEC v2 §7) against a real gpuxd started as a
# new exchange (risk checks on from seq 1): the operator's `gpux risk`, `deposit`, `withdraw`
# and `fund` (a negative amount too), a trader's `gpux balance` and `holdings`, in text and
# --json, the exit statuses, and that a trader cannot use the operator's commands.
# Usage: ledger_cli.sh GPUX_BINARY GPUXD_BINARY
set -u
gpux="$1"
gpuxd="$2"
source "$(dirname "$0")/lib.sh"

start_gpuxd --journal "$tmp/j"
check "a new exchange starts with risk checks on" grep -q 'risk checks on' "$tmp/gpuxd.log"

START="$(date -u -d '+5 days' +%Y-%m-%d)T00Z"
W="H100.MEM1@${START}+48h"

# The operator (the default account of these commands is ops).
"$gpux" fund lab-x 250000 >"$tmp/out"; s=$?
check "fund: exit 0" test $s -eq 0
check "fund: the cash after it, exact" has 'funded lab-x \$250000.0000: cash \$250000.0000'
"$gpux" fund lab-x -500 >"$tmp/out"; s=$?
check "fund -500 is an amount, not an option" test $s -eq 0
check "fund -500: cash 249500" has 'cash \$249500.0000'
"$gpux" fund lab-x -1000000 >"$tmp/out"; s=$?
check "fund beyond the free cash: exit 1, no_credit" test $s -eq 1
check "fund beyond the free cash says no_credit" has 'no_credit'
"$gpux" fund lab-x 1.23456 >"$tmp/out"; s=$?
check "fund with 5 decimals: bad_amount" test $s -eq 1 -a -n "$(grep bad_amount "$tmp/out")"
"$gpux" fund lab-x 10 --json >"$tmp/out"
check "fund --json" has '"type":"funded".*"account":"lab-x","amount":"10.0000","cash":"249510.0000"'

"$gpux" deposit maker-1 H100.MEM1 64 --start "$START" --hours 48 >"$tmp/out"; s=$?
check "deposit: exit 0" test $s -eq 0
check "deposit names the window" has "deposited 64 GPUs over $W to maker-1"
"$gpux" withdraw maker-1 "$W" 128 >"$tmp/out"; s=$?
check "withdraw beyond the holdings: exit 1, no_capacity" test $s -eq 1 -a -n "$(grep no_capacity "$tmp/out")"
"$gpux" withdraw maker-1 H100.MEM1 16 --start "$START" --hours 24 --json >"$tmp/out"; s=$?
check "withdraw --json" has '"type":"withdrawn".*"account":"maker-1".*"qty":16'
"$gpux" deposit maker-1 H100.MEM1 8 --start "2020-01-01T05:30Z" >"$tmp/out" 2>&1; s=$?
check "deposit with a start off the hour: exit 2" test $s -eq 2

# A trader cannot.
"$gpux" fund lab-x 5 --account lab-x --token demo >"$tmp/out" 2>&1; s=$?
check "a trader's fund is refused: not_operator, exit 1" test $s -eq 1 -a -n "$(grep not_operator "$tmp/out")"
"$gpux" risk off --account lab-x --token demo >"$tmp/out" 2>&1; s=$?
check "a trader's risk is refused" test $s -eq 1

# Trading under the checks, then the trader's view.
"$gpux" sell "$W" 32 @2.10 --account maker-1 --token demo >"$tmp/out"; s=$?
check "maker-1 sells what it holds" test $s -eq 0
"$gpux" sell "$W" 64 @2.10 --account maker-1 --token demo >"$tmp/out"; s=$?
check "maker-1 cannot sell more: no_capacity" test $s -eq 1 -a -n "$(grep no_capacity "$tmp/out")"
"$gpux" buy "$W" 8 @2.10 --account lab-x --token demo >"$tmp/out"; s=$?
check "lab-x buys 8 over 48 hours" test $s -eq 0
"$gpux" buy "$W" 8 @2.10 --account lab-y --token demo >"$tmp/out"; s=$?
check "lab-y without cash: no_credit" test $s -eq 1 -a -n "$(grep no_credit "$tmp/out")"

"$gpux" balance --account lab-x --token demo >"$tmp/out"; s=$?
check "balance: exit 0" test $s -eq 0
# 249510 - 8 x 2.10 x 48 = 248703.6
check "balance: cash" has 'cash       \$248703.6000'
check "balance: committed" has 'committed  \$0.0000'
check "balance: free" has 'free       \$248703.6000'
"$gpux" balance --account maker-1 --token demo --json >"$tmp/out"
check "balance --json of maker-1" has '"type":"balance_reply".*"account":"maker-1","cash":"806.4000","committed_cash":"0.0000","free_cash":"806.4000"'

"$gpux" holdings --account maker-1 --token demo >"$tmp/out"; s=$?
check "holdings: exit 0" test $s -eq 0
# maker-1: 64 over 48 h, 16 withdrawn from the first 24 h, 8 sold over 48 h, 24 still offered.
check "holdings: first day" has "${START}  *+24h  *40  *16"
check "holdings: second day" has "+24h  *56  *32"
check "holdings: the product" has '^H100.MEM1$'
"$gpux" holdings H100.MEM1 --account lab-x --token demo --start "$START" --hours 72 >"$tmp/out"
check "holdings window: the bought hours" has "${START}  +48h  *8  *8"
check "holdings window: empty hours too" has '+24h  *0  *0'
"$gpux" holdings --account lab-y --token demo >"$tmp/out"
check "holdings of an account with none" has 'no holdings'
"$gpux" holdings --account lab-x --token demo --json >"$tmp/out"
check "holdings --json" has '"type":"holdings_reply".*"products":\[{"product":"H100.MEM1","runs":\[{"start_hour":[0-9]*,"hours":48,"holdings":8,"free":8}\]}\]'

"$gpux" risk off >"$tmp/out"; s=$?
check "risk off: exit 0" test $s -eq 0 -a -n "$(grep 'risk checks off' "$tmp/out")"
"$gpux" buy "$W" 8 @2.10 --account lab-y --token demo >"$tmp/out"; s=$?
check "with risk off, lab-y buys without cash" test $s -eq 0
"$gpux" risk on --json >"$tmp/out"
check "risk on --json" has '"type":"risk_set".*"mode":"on"'

# The README's demo with risk checks on: the demo market's operator deposits and funds first,
# then its makers quote and trade, and nothing they send is refused for capacity or credit.
"$gpux" demo-market --makers 2 --windows 1 --seed 7 >"$tmp/market" 2>&1 &
market_pid=$!
sleep 4
kill -INT "$market_pid"
wait "$market_pid"
check "demo market: the operator banks first" grep -q '^the operator deposited' "$tmp/market"
check "demo market: its makers trade with risk checks on" grep -qE 'stopped: [1-9][0-9]* trades' "$tmp/market"
check "demo market: nothing refused for capacity or credit" test -z "$(grep -E 'no_capacity|no_credit|refused' "$tmp/market")"
"$gpux" balance --account maker-1 --token demo >"$tmp/out"
check "a maker's balance shows the fund" has 'cash'
"$gpux" sell H100.MEM1 64 @2.50 --account lab-x --token demo >"$tmp/out"; s=$?
check "lab-x selling what it does not hold: no_capacity" test -n "$(grep no_capacity "$tmp/out")"

finish
