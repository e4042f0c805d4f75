#!/usr/bin/env bash
# End-to-end checks of the `gpux` command line: exit statuses, what goes to stdout and stderr,
# --digest stability, --book/--orders, --catalog. Usage: replay_cli.sh GPUX_BINARY DOCS_DIR
set -u
gpux="$1"
docs="$2"
source "$(dirname "$0")/lib.sh"

W='H100.MEM1@2026-12-01T00Z+24h'
cat >"$tmp/good.jsonl" <<LOG
{"type":"new","ts":1795251601000000000,"account":"maker","cl_id":"m1","instrument":"$W","side":"sell","price":"2.15","qty":64,"display_qty":16}
{"type":"new","ts":1795251602000000000,"account":"lab","cl_id":"l1","instrument":"$W","side":"buy","price":"2.1500","qty":24}

{"type":"new","ts":1795251603000000000,"account":"lab","cl_id":"l2","instrument":"$W","side":"buy","price":"2.1000","qty":8,"tif":"gtd","expire_ts":1795251700000000000}
LOG
head -2 "$tmp/good.jsonl" >"$tmp/bad.jsonl"
echo '{"type":"new","ts":1795251600000000000,"account":"lab","cl_id":"l3","instrument":"x","side":"buy","price":"1","qty":8}' >>"$tmp/bad.jsonl"
echo '{"type":"clock","ts":1795251900000000000}' >>"$tmp/bad.jsonl"

"$gpux" replay "$tmp/good.jsonl" >"$tmp/out" 2>"$tmp/err"
check "a good log exits 0" test $? -eq 0
check "nothing on stderr" test ! -s "$tmp/err"
check "one JSON object per event" test "$(grep -c '^{"type":' "$tmp/out")" -eq "$(wc -l <"$tmp/out")"
check "the gtd order is accepted" grep -q '"cl_id":"l2".*"expire_ts":1795251700000000000' "$tmp/out"
check "the buy trades against the iceberg clip by clip" test "$(grep -c '"type":"trade"' "$tmp/out")" -eq 2

"$gpux" replay "$tmp/bad.jsonl" >"$tmp/out" 2>"$tmp/err"
check "an input error exits 2" test $? -eq 2
check "stderr names the file and line" grep -q "bad.jsonl:3: field 'ts' decreases" "$tmp/err"
check "events of earlier lines came out" grep -q '"cl_id":"l1"' "$tmp/out"
check "nothing of the bad line or after it" test "$(grep -c '"seq":3' "$tmp/out")" -eq 0

"$gpux" replay - <"$tmp/bad.jsonl" >/dev/null 2>"$tmp/err"
check "stdin errors are named <stdin>" grep -q "<stdin>:3:" "$tmp/err"

a=$("$gpux" replay "$tmp/good.jsonl" --digest)
b=$("$gpux" replay - --digest <"$tmp/good.jsonl")
check "--digest prints one line" test "$(echo "$a" | wc -l)" -eq 1
check "--digest is the same from a file and from stdin" test "$a" = "$b"
check "--digest counts commands and events" grep -q '"commands":3,"events":' <<<"$a"

"$gpux" replay "$tmp/good.jsonl" --book --orders >"$tmp/out"
check "--book prints the book after the events" \
  test "$(grep -v '"type":"\(ledger\|account\)"' "$tmp/out" | tail -1 | grep -c '"type":"book"')" -eq 1
check "--book ends with the ledger" grep -q '^{"type":"ledger","risk":"off"' "$tmp/out"

check "--orders lists each resting order" grep -q '"queue":\[{"order_id":1,"account":"maker"' "$tmp/out"

c=$("$gpux" replay "$tmp/good.jsonl" --digest --catalog "$docs/catalog.example.json")
check "the example catalog behaves as the built-in one" test "$a" = "$c"
echo '{"products":[{"id":"h100","ref_price":"2.1"}]}' >"$tmp/cat.json"
"$gpux" replay "$tmp/good.jsonl" --catalog "$tmp/cat.json" >/dev/null 2>"$tmp/err"
check "a bad catalog exits 1" test $? -eq 1
check "and says why" grep -q "product #1" "$tmp/err"
"$gpux" replay "$tmp/missing.jsonl" >/dev/null 2>"$tmp/err"
check "a missing log exits 1" test $? -eq 1

# Hours (SPEC v2 §6): a divisible offer over two days, a block sweeping part of it, another
# standing; --book shows the hour books and the product's curve.
cat >"$tmp/hours.jsonl" <<LOG
{"type":"new","ts":1795251601000000000,"account":"owner","cl_id":"o1","instrument":"H100.MEM1@2026-12-10T00Z+48h","side":"sell","price":"2.3500","qty":64,"divisible":true}
{"type":"new","ts":1795251602000000000,"account":"lab","cl_id":"b1","instrument":"H100.MEM1@2026-12-10T06Z+12h","side":"buy","price":"2.4000","qty":16,"tif":"ioc"}
{"type":"new","ts":1795251603000000000,"account":"lab","cl_id":"b2","instrument":"H100.MEM1@2026-12-11T00Z+24h","side":"buy","price":"2.2000","qty":8}
LOG
"$gpux" replay "$tmp/hours.jsonl" --book >"$tmp/out" 2>"$tmp/err"
check "an hours log exits 0" test $? -eq 0
check "the divisible order is accepted as one" grep -q '"cl_id":"o1".*"divisible":true' "$tmp/out"
check "the sweep trades the block's rectangle" grep -q '"type":"trade".*"instrument":"H100.MEM1@2026-12-10T06Z+12h"' "$tmp/out"
check "one hour_book line per hour with slices" test "$(grep -c '"type":"hour_book"' "$tmp/out")" -eq 48
check "the curve compresses identical hours" grep -q '"type":"hours_curve","product":"H100.MEM1","runs":\[{"from":"2026-12-10T00Z","hours":6,"ask":"2.3500","ask_qty":64},{"from":"2026-12-10T06Z","hours":12,"ask":"2.3500","ask_qty":48},{"from":"2026-12-10T18Z","hours":30,"ask":"2.3500","ask_qty":64}\]}' "$tmp/out"
check "the standing block has its window book" grep -q '"type":"book","instrument":"H100.MEM1@2026-12-11T00Z+24h","bids":\[{"price":"2.2000","qty":8' "$tmp/out"
"$gpux" replay "$tmp/hours.jsonl" --book --orders >"$tmp/out" 2>"$tmp/err"
check "--orders lists an hour's slices in its queue" grep -q '"type":"hour_book","instrument":"H100.MEM1@2026-12-10T06Z+1h".*"asks":\[{"price":"2.3500","qty":48,"orders":1,"queue":\[{"order_id":1,"account":"owner","cl_id":"o1","open":48,"shown":48' "$tmp/out"

# The ledger (docs/ledger.md): an owner's deposit, a lab's fund, a trade, a resale refused for
# capacity the lab does not hold, and --book's audit lines.
cat >"$tmp/ledger.jsonl" <<LOG
{"type":"risk","ts":1795251601000000000,"mode":"on"}
{"type":"deposit","ts":1795251601000000000,"account":"owner","instrument":"H100.MEM1@2026-12-01T00Z+720h","qty":4096}
{"type":"fund","ts":1795251601000000000,"account":"lab","amount":"250000"}
{"type":"new","ts":1795251602000000000,"account":"owner","cl_id":"o1","instrument":"$W","side":"sell","price":"2.00","qty":16}
{"type":"new","ts":1795251603000000000,"account":"lab","cl_id":"l1","instrument":"$W","side":"buy","price":"2.00","qty":16}
{"type":"new","ts":1795251604000000000,"account":"lab","cl_id":"l2","instrument":"$W","side":"sell","price":"2.50","qty":24}
LOG
"$gpux" replay "$tmp/ledger.jsonl" --book >"$tmp/out"
check "a ledger log exits 0" test $? -eq 0
check "the deposit is accepted" grep -q '"type":"deposited","seq":2,.*"qty":4096' "$tmp/out"
check "the fund prints the balance" grep -q '"type":"funded","seq":3,.*"amount":"250000.0000","cash":"250000.0000"' "$tmp/out"
check "a resale beyond what the lab bought is no_capacity" grep -q '"cl_id":"l2","reason":"no_capacity"' "$tmp/out"
check "--book totals the cash" grep -q '^{"type":"ledger","risk":"on","accounts":2,"cash":"250000.0000"}' "$tmp/out"
check "--book shows the lab paid 16 x 2.00 x 24h" grep -q '"account":"lab","cash":"249232.0000"' "$tmp/out"
check "--book shows the owner's hours sold" grep -q '"account":"owner","cash":"768.0000".*"from":"2026-12-01T00Z","hours":24,"holdings":4080,"free":4080},{"product":"H100.MEM1","from":"2026-12-02T00Z","hours":696,"holdings":4096' "$tmp/out"
"$gpux" export ledger "$tmp/ledger.jsonl" >"$tmp/out"
check "export ledger exits 0" test $? -eq 0
check "export ledger has a header, 2 deposits and funds, and two legs for the trade" test "$(wc -l <"$tmp/out")" -eq 5
check "export ledger: the lab's leg with the cash after" grep -q ',lab,buy,H100.MEM1,2026-12-01T00:00:00Z,24,16,-768.0000,249232.0000,owner,5$' "$tmp/out"
check "export ledger: the owner's leg" grep -q ',owner,sell,H100.MEM1,2026-12-01T00:00:00Z,24,-16,768.0000,768.0000,lab,4$' "$tmp/out"

# The log reader (tools/gpux/log_reader.cpp) reads 1 MiB blocks on a thread of its own and
# parses each line where it lies: 20,000 orders (3 MB, lines across block ends) must replay the
# same however the lines end, with blank lines and indentation moving every block end, from
# stdin, without a final newline, and with a line longer than a block.
awk -v W="$W" 'BEGIN { for (i = 1; i <= 20000; i++) printf "{\"type\":\"new\",\"ts\":17952516010%08d,\"account\":\"acct-%d\",\"cl_id\":\"c%d\",\"instrument\":\"%s\",\"side\":\"%s\",\"price\":\"2.%02d\",\"qty\":%d}\n", i, i % 7, i, W, (i % 2 ? "buy" : "sell"), 5 + (i * 7) % 11, 8 * (1 + i % 5) }' >"$tmp/many.jsonl"
many=$("$gpux" replay "$tmp/many.jsonl" --digest)
check "a 3 MB log replays" grep -q '"commands":20000,' <<<"$many"
"$gpux" replay "$tmp/many.jsonl" >"$tmp/out"
check "and trades" test "$(grep -c '"type":"trade"' "$tmp/out")" -gt 1000
check "its digest hashes its events" grep -q "\"events\":$(wc -l <"$tmp/out")}" <<<"$many"
sed 's/$/\r/' "$tmp/many.jsonl" >"$tmp/crlf.jsonl"
check "CRLF line ends replay the same" test "$("$gpux" replay "$tmp/crlf.jsonl" --digest)" = "$many"
awk '{ printf "%*s%s\n", NR % 13, "", $0 } NR % 1000 == 0 { print ""; print " \t" }' "$tmp/many.jsonl" >"$tmp/moved.jsonl"
check "blank lines and indentation replay the same" test "$("$gpux" replay "$tmp/moved.jsonl" --digest)" = "$many"
check "so does stdin" test "$("$gpux" replay - --digest <"$tmp/moved.jsonl")" = "$many"
head -c -1 "$tmp/many.jsonl" >"$tmp/unended.jsonl"
check "a last line without its newline is read" test "$("$gpux" replay "$tmp/unended.jsonl" --digest)" = "$many"
awk 'BEGIN { note = "x"; while (length(note) < 1500000) note = note note }
     NR == 12345 { sub(/}$/, ",\"note\":\"" note "\"}") } { print }' "$tmp/many.jsonl" >"$tmp/long.jsonl"
check "a 1.5 MB line (an unknown field) is read" test "$("$gpux" replay "$tmp/long.jsonl" --digest)" = "$many"
check "--until stops inside a block" grep -q '"commands":15000,' <<<"$("$gpux" replay "$tmp/moved.jsonl" --digest --until 15000)"
{ cat "$tmp/moved.jsonl"; echo '{"type":"clock","ts":1795251601000020000,"seq":5}'; } >"$tmp/late.jsonl"
"$gpux" replay "$tmp/late.jsonl" >"$tmp/out" 2>"$tmp/err"
check "an error after the first blocks exits 2" test $? -eq 2
check "and names its line, blank lines counted" grep -q "late.jsonl:20041: field 'seq' must increase: 5 after 20000" "$tmp/err"
check "after every earlier line's events" test "$(wc -l <"$tmp/out")" -eq "$(grep -o '"events":[0-9]*' <<<"$many" | cut -d: -f2)"

"$gpux" demo >"$tmp/out"
check "the demo runs" test $? -eq 0
check "the demo trades" grep -q '"type":"trade"' "$tmp/out"
check "the demo shows books" grep -q '"type":"book"' "$tmp/out"
d1=$("$gpux" demo | md5sum)
d2=$("$gpux" demo | md5sum)
check "the demo is deterministic" test "$d1" = "$d2"

finish
