#!/usr/bin/env bash
# End-to-end checks of the operator tools over a real journal: gpuxd writes it (three runs, so
# three segments, with market makers whose sessions cancel on disconnect, trades, a replace, a
# halt), then `gpux journal verify|dump`, `gpux replay DIR` and `gpux export` read it, whole,
# damaged and torn. Usage: journal_cli.sh GPUX_BINARY GPUXD_BINARY
set -u
gpux="$1"
gpuxd="$2"
source "$(dirname "$0")/lib.sh"

# Starts gpuxd on a free port with the journal in $tmp/j and points GPUX_SERVER at it.
start_server() { start_gpuxd --journal "$tmp/j" --snapshot-every 20 --risk off; }
stop_server() { stop_gpuxd; }
# The order id (= seq) from "accepted order N ..." on the command's output.
order_id() { sed -n 's/^accepted order \([0-9]*\) .*/\1/p'; }

# A window the demo market makers never quote (they quote 24h windows).
W="H100.MEM1@$(date -u -d '+5 days' +%Y-%m-%d)T00Z+48h"

# Run 1: market makers, killed without a chance to cancel: they log in with cancel-on-disconnect,
# so gpuxd journals a `disconnect` for each, which cancels their quotes.
start_server
"$gpux" demo-market --makers 2 --windows 1 --seed 7 >/dev/null 2>&1 &
market_pid=$!
sleep 1.5
{ kill -KILL "$market_pid"; wait "$market_pid"; } 2>/dev/null
sleep 0.3
stop_server

# Run 2: two accounts trade on W against an iceberg, then a replace, a halt and a cancel.
start_server
a=$("$gpux" sell "$W" 32 @2.20 --account lab-y --iceberg 8 | order_id)
b=$("$gpux" sell "$W" 16 @2.25 --account lab-y | order_id)
c=$("$gpux" buy "$W" 24 @2.25 --account lab-x | order_id)
"$gpux" buy "$W" 16 @2.10 --account lab-x --cl-id xb >/dev/null
"$gpux" replace --cl-id xb @2.12 8 --account lab-x >/dev/null
"$gpux" halt --instrument "$W" >/dev/null
"$gpux" resume --instrument "$W" >/dev/null
"$gpux" cancel --cl-id xb --account lab-x >/dev/null
stop_server
check "the orders were accepted" test -n "$a" -a -n "$b" -a -n "$c"

# Run 3: only the sequencer's clock, and a third segment.
start_server
sleep 0.3
stop_server
j="$tmp/j"
check "three runs left three segments" test "$(ls "$j"/*.journal | wc -l)" -eq 3

# --- verify
"$gpux" journal verify "$j" >"$tmp/verify" 2>"$tmp/err"
check "verify exits 0 on a whole journal" test $? -eq 0
"$gpux" journal verify "$j" --json >"$tmp/verify.json"
records=$(sed -n 's/.*"records":\([0-9]*\).*/\1/p' "$tmp/verify.json")
last=$(sed -n 's/.*"last_seq":\([0-9]*\).*/\1/p' "$tmp/verify.json")
"$gpux" journal dump "$j" >"$tmp/dump.jsonl"
check "verify counts every record, seq 1 to the last" test "$records" -eq "$last" -a "$records" -eq "$(wc -l <"$tmp/dump.jsonl")"
check "verify's text says the same" grep -q "^records    $records, seq 1 to $last\$" "$tmp/verify"
check "the last seq is the dump's last line" grep -q "^{\"type\":\"clock\",\"seq\":$last," <(tail -1 "$tmp/dump.jsonl")
check "a clean tail" grep -q '^tail       clean$' "$tmp/verify"
check "snapshots are listed and check" grep -q '^snapshot   seq [0-9]*, .*: ok$' "$tmp/verify"
check "--json says torn false" grep -q '"torn":false' "$tmp/verify.json"

# --- dump
check "the dump holds the clock" grep -q '^{"type":"clock","seq":[0-9]*,"ts":[0-9]*}$' "$tmp/dump.jsonl"
check "the dump holds the makers' disconnects" grep -q '^{"type":"disconnect","seq":[0-9]*,"ts":[0-9]*,"account":"maker-1"}$' "$tmp/dump.jsonl"
check "the dump holds the iceberg as given" grep -q "\"seq\":$a,.*\"account\":\"lab-y\".*\"price\":\"2.2000\",\"qty\":32,\"display_qty\":8}" "$tmp/dump.jsonl"
"$gpux" journal dump "$j" --from "$a" --to "$c" >"$tmp/range.jsonl"
check "--from/--to dump exactly that range" test "$(head -1 "$tmp/range.jsonl" | grep -c "\"seq\":$a,")" -eq 1 -a "$(wc -l <"$tmp/range.jsonl")" -eq $((c - a + 1))

# --- replay DIR against replay of the dump
"$gpux" replay "$j" >"$tmp/events.dir" 2>"$tmp/err"
check "replay DIR exits 0" test $? -eq 0
"$gpux" replay - <"$tmp/dump.jsonl" >"$tmp/events.log"
check "replay DIR gives the dump's events, byte for byte" cmp -s "$tmp/events.dir" "$tmp/events.log"
check "the disconnects cancel the makers' orders" grep -q '"reason":"disconnect"' "$tmp/events.dir"
d1=$("$gpux" replay "$j" --digest)
d2=$("$gpux" replay "$tmp/dump.jsonl" --digest)
check "--digest of DIR equals the dump's" test "$d1" = "$d2"
check "--digest counts every record" grep -q "\"commands\":$records," <<<"$d1"
"$gpux" replay "$j" --quiet >"$tmp/quiet" 2>"$tmp/err"
check "--quiet runs the journal and writes nothing" test $? -eq 0 -a ! -s "$tmp/quiet" -a ! -s "$tmp/err"
"$gpux" replay "$j" --quiet --stats >/dev/null 2>"$tmp/err"
check "--stats says how many commands, how long, how fast" grep -q "^gpux replay: $records commands in [0-9.]* s: [0-9]* commands/s\$" "$tmp/err"
check "--quiet --book prints the books --digest --book does" cmp -s <("$gpux" replay "$j" --quiet --book) <("$gpux" replay "$j" --digest --book | tail -n +2)
"$gpux" replay "$j" --quiet --digest >/dev/null 2>&1
check "--quiet with --digest is refused" test $? -ne 0

# --- --until: the book as of a seq
book_at() { "$gpux" replay "$j" --until "$1" --book | grep "\"type\":\"book\",\"instrument\":\"$W\""; }
check "--until before the first order on W: no book yet" test -z "$(book_at $((a - 1)))"
check "--until the iceberg: its clip shows" test "$(book_at "$a")" = "{\"type\":\"book\",\"instrument\":\"$W\",\"bids\":[],\"asks\":[{\"price\":\"2.2000\",\"qty\":8,\"orders\":1}]}"
check "--until the buy: 8 left of the iceberg, the 2.25 ask untouched" test "$(book_at "$c")" = "{\"type\":\"book\",\"instrument\":\"$W\",\"bids\":[],\"asks\":[{\"price\":\"2.2000\",\"qty\":8,\"orders\":1},{\"price\":\"2.2500\",\"qty\":16,\"orders\":1}]}"
"$gpux" replay "$j" --until "$c" >"$tmp/until"
check "--until stops after that seq" test "$(tail -1 "$tmp/until" | grep -c "\"seq\":$c,")" -eq 1
check "--until reads a log the same way" cmp -s "$tmp/until" <("$gpux" replay "$tmp/dump.jsonl" --until "$c")

# --- export trades
"$gpux" export trades "$j" --out "$tmp/trades.csv"
check "export trades exits 0" test $? -eq 0
check "trades: the header" test "$(head -1 "$tmp/trades.csv")" = "seq,ts_utc,ts_ns,instrument,product,window_start,window_hours,price,qty,buy_account,buy_order_id,sell_account,sell_order_id,aggressor,match"
check "trades: one row per trade event" test "$(($(wc -l <"$tmp/trades.csv") - 1))" -eq "$(grep -c '"type":"trade"' "$tmp/events.dir")"
check "trades: the three fills of the buy on W, both accounts" test "$(grep -c ",$W,H100.MEM1,.*,48,2.2000,8,lab-x,$c,lab-y,$a,buy," "$tmp/trades.csv")" -eq 3
check "trades: ts as UTC with ns" grep -q "^$c,[0-9-]*T[0-9:]*\.[0-9]\{9\}Z,[0-9]*,$W," "$tmp/trades.csv"
"$gpux" export trades "$tmp/dump.jsonl" >"$tmp/trades-log.csv"
check "trades: the same from the dump" cmp -s "$tmp/trades.csv" "$tmp/trades-log.csv"

# --- export lobster
"$gpux" export lobster "$j" --instrument "$W" --out-dir "$tmp/lob" --levels 3
check "export lobster exits 0" test $? -eq 0
stem="$tmp/lob/$(tr '@+' '__' <<<"$W")"
check "lobster: message and orderbook rows pair up" test "$(wc -l <"${stem}_message.csv")" -eq "$(wc -l <"${stem}_orderbook.csv")" -a "$(wc -l <"${stem}_message.csv")" -gt 0
check "lobster: the iceberg enters with its clip" test "$(head -1 "${stem}_message.csv" | cut -d, -f2-)" = "1,$a,8,22000,-1"
check "lobster: its book row" test "$(head -1 "${stem}_orderbook.csv")" = "22000,8,-9999999999,0,9999999999,0,-9999999999,0,9999999999,0,-9999999999,0"
check "lobster: executions of the iceberg's clips" test "$(grep -c ",4,$a,8,22000,-1$" "${stem}_message.csv")" -eq 3
check "lobster: halt and resume" test "$(grep -c ',7,0,0,-1,-1$' "${stem}_message.csv")" -eq 1 -a "$(grep -c ',7,0,0,1,-1$' "${stem}_message.csv")" -eq 1
check "lobster: the window key alongside" grep -q "\"window_hours\":48" "${stem}_window.json"
"$gpux" export lobster "$tmp/dump.jsonl" --instrument "$W" --out-dir "$tmp/lob-log" --levels 3
check "lobster: the same from the dump" diff -rq "$tmp/lob" "$tmp/lob-log"

# --- damage: a flipped byte in the first record of the first (not last) segment
cp -r "$j" "$tmp/bad"
first=$(ls "$tmp/bad"/*.journal | head -1)
printf '\xff' | dd of="$first" bs=1 seek=60 conv=notrunc status=none
"$gpux" journal verify "$tmp/bad" >/dev/null 2>"$tmp/err"
check "a damaged record makes verify exit 1" test $? -eq 1
check "and names the segment and offset" grep -q "$(basename "$first") at offset 32: record checksum mismatch" "$tmp/err"
"$gpux" replay "$tmp/bad" --digest >/dev/null 2>&1
check "replay refuses it too" test $? -eq 1

# --- a missing middle segment is a seq gap
cp -r "$j" "$tmp/gap"
rm "$(ls "$tmp/gap"/*.journal | sed -n 2p)"
"$gpux" journal verify "$tmp/gap" >/dev/null 2>"$tmp/err"
check "a seq gap makes verify exit 1" test $? -eq 1
check "and says so" grep -q "seq gap" "$tmp/err"

# --- a torn tail: reported, not fatal
cp -r "$j" "$tmp/torn"
tail_segment=$(ls "$tmp/torn"/*.journal | tail -1)
truncate -s -3 "$tail_segment"
"$gpux" journal verify "$tmp/torn" >"$tmp/verify" 2>"$tmp/err"
check "a torn tail: verify exits 0" test $? -eq 0
check "and reports it" grep -q "^tail       TORN: .*$(basename "$tail_segment") at offset" "$tmp/verify"
check "without the torn record" grep -q "^records    $((records - 1)), " "$tmp/verify"
check "--json says torn" grep -q '"torn":true' <("$gpux" journal verify "$tmp/torn" --json)
"$gpux" replay "$tmp/torn" --digest >/dev/null 2>"$tmp/err"
check "replay reads up to the torn record, with a note" test $? -eq 0 -a -n "$(grep 'torn record' "$tmp/err")"

# --- a damaged snapshot is reported, and the journal still verifies
cp -r "$j" "$tmp/snap"
snapshot=$(ls "$tmp/snap"/*.snapshot | tail -1)
printf '\xff' | dd of="$snapshot" bs=1 seek=60 conv=notrunc status=none
"$gpux" journal verify "$tmp/snap" >"$tmp/verify"
check "a bad snapshot: verify exits 0" test $? -eq 0
check "and marks it BAD" grep -q '^snapshot   seq [0-9]*: BAD (.*checksum mismatch)$' "$tmp/verify"

finish
