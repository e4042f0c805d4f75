// SPEC §7 "Checks" of `replace` (§3: after post_only and duplicate_cl_id): a sell needs, in every
// hour where it rests, free capacity plus its own open quantity >= qty (no_capacity); a buy needs
// new price x qty x its resting hours <= free cash plus its own committed cash (no_credit); block
// and divisible; a refused replace changes nothing; resting orders are never re-checked by
// `risk on`, and `risk off` stops the checks of later new and replace commands. Ledger state is
// observed through events only.
// Expectations derived by hand from /work/shared/SPEC.md and /work/notes/ledger-decisions.md.
//
// Product H100.MEM1 (lot 8, tick 10, ref 2.1000 -> band [1.0500, 3.1500]); hours of 2026-12-01.
// 8 GPUs x 1 hour at 2.0000 cost 16.0000.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

TEST_CASE("ledger replace: a sell may grow to free capacity plus its own open quantity in every hour", "[scenario][ledger][replace]") {
  // Held 24 in hours 00-01. a1 (00-01) 8 and a2 (01) 8 rest: free 16 / 8.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+2","qty":24}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+2","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H01+1","side":"sell","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":24}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a2"}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":24}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+2","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+2","qty":8}
)",
         R"(
{"type":"replaced","seq":5,"order_id":3,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"lost"}
{"type":"replace_rejected","seq":6,"account":"A","cl_id":"a1","reason":"no_capacity"}
{"type":"canceled","seq":7,"order_id":4,"account":"A","cl_id":"a2","leaves":8,"reason":"user"}
{"type":"replaced","seq":8,"order_id":3,"account":"A","cl_id":"a1","price":"2.0000","qty":24,"priority":"lost"}
{"type":"withdraw_rejected","seq":9,"account":"A","instrument":"$H00+2","qty":8,"reason":"no_capacity"}
{"type":"replaced","seq":10,"order_id":3,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"kept"}
{"type":"withdrawn","seq":11,"account":"A","instrument":"$H00+2","qty":8}
)");
}

TEST_CASE("ledger replace: a buy may cost up to free cash plus its own committed cash", "[scenario][ledger][replace]") {
  // Cash 100; a1 commits 2.0 x 8 = 16 (free 84).
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"A","amount":"100"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.5","qty":40}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.5","qty":48}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":48}
{"type":"fund","ts":$T,"account":"A","amount":"-4.0001"}
{"type":"fund","ts":$T,"account":"A","amount":"-4"}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"-80"}
)",
         R"(
{"type":"replaced","seq":4,"order_id":3,"account":"A","cl_id":"a1","price":"2.5000","qty":40,"priority":"lost"}
{"type":"replace_rejected","seq":5,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"replaced","seq":6,"order_id":3,"account":"A","cl_id":"a1","price":"2.0000","qty":48,"priority":"lost"}
{"type":"fund_rejected","seq":7,"account":"A","amount":"-4.0001","reason":"no_credit"}
{"type":"funded","seq":8,"account":"A","amount":"-4.0000","cash":"96.0000"}
{"type":"replaced","seq":9,"order_id":3,"account":"A","cl_id":"a1","price":"2.0000","qty":8,"priority":"kept"}
{"type":"funded","seq":10,"account":"A","amount":"-80.0000","cash":"16.0000"}
)");
}

TEST_CASE("ledger replace: post_only and duplicate_cl_id come before no_credit, a refused replace changes nothing", "[scenario][ledger][replace]") {
  // B asks 2.0. A: cash 32, a1 1.9 x 8 = 15.2 (post_only), a2 1.1 x 8 = 8.8: free 8.0.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"fund","ts":$T,"account":"A","amount":"32"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"buy","price":"1.9","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"buy","price":"1.1","qty":8}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","new_cl_id":"a2","price":"1.9","qty":16}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","new_cl_id":"a3","price":"1.9","qty":16}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"4.0","qty":16}
{"type":"fund","ts":$T,"account":"A","amount":"-8.0001"}
{"type":"fund","ts":$T,"account":"A","amount":"-8"}
)",
         R"(
{"type":"replace_rejected","seq":6,"account":"A","cl_id":"a1","reason":"post_only"}
{"type":"replace_rejected","seq":7,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"replace_rejected","seq":8,"account":"A","cl_id":"a1","reason":"no_credit"}
{"type":"replace_rejected","seq":9,"account":"A","cl_id":"a1","reason":"price_band"}
{"type":"fund_rejected","seq":10,"account":"A","amount":"-8.0001","reason":"no_credit"}
{"type":"funded","seq":11,"account":"A","amount":"-8.0000","cash":"24.0000"}
)");
}

TEST_CASE("ledger replace: a divisible sell counts only the hours where it still rests", "[scenario][ledger][replace][hours]") {
  // A holds 8 in hour 00 and 16 in hour 01. After B takes hour 00, a1 rests in hour 01 only.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+2","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"$H01+1","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+2","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"fund","ts":$T,"account":"B","amount":"16"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":24}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H01+1","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
)",
         R"(
{"type":"accepted","seq":6,"order_id":6,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":6,"match":1,"instrument":"$H00+1","price":"2.0000","qty":8,"buy_order_id":6,"sell_order_id":4,"buy_account":"B","sell_account":"A","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"replaced","seq":7,"order_id":4,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"lost"}
{"type":"replace_rejected","seq":8,"account":"A","cl_id":"a1","reason":"no_capacity"}
{"type":"withdraw_rejected","seq":9,"account":"A","instrument":"$H01+1","qty":8,"reason":"no_capacity"}
{"type":"withdraw_rejected","seq":10,"account":"A","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
)");
}

TEST_CASE("ledger replace: a divisible buy is priced over its resting slices only", "[scenario][ledger][replace][hours]") {
  // B: cash 56, b1 2.0 x 8 x 3 = 48. S takes hour 00 (16.0000): cash 40, committed 32, free 8.
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"B","amount":"56"}
{"type":"deposit","ts":$T,"account":"S","instrument":"$H00+1","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+3","side":"buy","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"replace","ts":$T,"account":"B","cl_id":"b1","price":"2.6","qty":8}
{"type":"replace","ts":$T,"account":"B","cl_id":"b1","price":"2.5","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"-0.0001"}
{"type":"fund","ts":$T,"account":"S","amount":"-16"}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"S","cl_id":"s1","instrument":"$H00+1","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":5,"match":1,"instrument":"$H00+1","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":5,"buy_account":"B","sell_account":"S","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
{"type":"replace_rejected","seq":6,"account":"B","cl_id":"b1","reason":"no_credit"}
{"type":"replaced","seq":7,"order_id":4,"account":"B","cl_id":"b1","price":"2.5000","qty":8,"priority":"lost"}
{"type":"fund_rejected","seq":8,"account":"B","amount":"-0.0001","reason":"no_credit"}
{"type":"funded","seq":9,"account":"S","amount":"-16.0000","cash":"0.0000"}
)");
}

TEST_CASE("ledger replace: a sell placed unheld while risk was off rests on but cannot even shrink", "[scenario][ledger][replace]") {
  // Risk on does not re-check a1; its replace needs free (0 - 16) + own 16 >= qty.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":16}
{"type":"risk","ts":$T,"mode":"on"}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"16"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+1","qty":8}
)",
         R"(
{"type":"replace_rejected","seq":3,"account":"A","cl_id":"a1","reason":"no_capacity"}
{"type":"deposited","seq":4,"account":"A","instrument":"$H00+1","qty":8}
{"type":"replaced","seq":5,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":8,"priority":"kept"}
{"type":"funded","seq":6,"account":"B","amount":"16.0000","cash":"16.0000"}
{"type":"accepted","seq":7,"order_id":7,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":7,"match":1,"instrument":"$H00+1","price":"2.0000","qty":8,"buy_order_id":7,"sell_order_id":1,"buy_account":"B","sell_account":"A","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"withdraw_rejected","seq":8,"account":"A","instrument":"$H00+1","qty":8,"reason":"no_capacity"}
)");
}

TEST_CASE("ledger replace: a divisible sell with unequal slices is checked hour by hour", "[scenario][ledger][replace][hours]") {
  // A holds 16 in hours 00-01 and offers them; B takes 8 of hour 00: slices 8 / 16, free 0 / 0.
  Scenario s;
  s.setup(R"(
{"type":"deposit","ts":$T,"account":"A","instrument":"$H00+2","qty":16}
{"type":"fund","ts":$T,"account":"B","amount":"16"}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+2","side":"sell","price":"2.0","qty":16,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H01+1","qty":8}
{"type":"withdraw","ts":$T,"account":"A","instrument":"$H00+2","qty":8}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"B","cl_id":"b1","instrument":"$H00+1","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":5,"match":1,"instrument":"$H00+1","price":"2.0000","qty":8,"buy_order_id":5,"sell_order_id":4,"buy_account":"B","sell_account":"A","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
{"type":"replace_rejected","seq":6,"account":"A","cl_id":"a1","reason":"no_capacity"}
{"type":"replaced","seq":7,"order_id":4,"account":"A","cl_id":"a1","price":"2.0000","qty":8,"priority":"kept"}
{"type":"withdrawn","seq":8,"account":"A","instrument":"$H01+1","qty":8}
{"type":"withdraw_rejected","seq":9,"account":"A","instrument":"$H00+2","qty":8,"reason":"no_capacity"}
)");
}

TEST_CASE("ledger replace: a divisible buy with unequal slices counts its own commitment slice by slice", "[scenario][ledger][replace][hours]") {
  // B: cash 64, b1 2.0 x 16 x 2 = 64. S takes 8 of hour 00: cash 48, slices 8 / 16 commit 48.
  Scenario s;
  s.setup(R"(
{"type":"fund","ts":$T,"account":"B","amount":"64"}
{"type":"deposit","ts":$T,"account":"S","instrument":"$H00+1","qty":8}
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$H00+2","side":"buy","price":"2.0","qty":16,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"replace","ts":$T,"account":"B","cl_id":"b1","price":"2.0","qty":16}
{"type":"replace","ts":$T,"account":"B","cl_id":"b1","price":"2.0","qty":8}
{"type":"fund","ts":$T,"account":"B","amount":"-16.0001"}
{"type":"fund","ts":$T,"account":"B","amount":"-16"}
)",
         R"(
{"type":"accepted","seq":5,"order_id":5,"account":"S","cl_id":"s1","instrument":"$H00+1","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":5,"match":1,"instrument":"$H00+1","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":5,"buy_account":"B","sell_account":"S","aggressor":"sell","buy_leaves":8,"sell_leaves":0}
{"type":"replace_rejected","seq":6,"account":"B","cl_id":"b1","reason":"no_credit"}
{"type":"replaced","seq":7,"order_id":4,"account":"B","cl_id":"b1","price":"2.0000","qty":8,"priority":"kept"}
{"type":"fund_rejected","seq":8,"account":"B","amount":"-16.0001","reason":"no_credit"}
{"type":"funded","seq":9,"account":"B","amount":"-16.0000","cash":"32.0000"}
)");
}

TEST_CASE("ledger checks: risk off again stops the checks of later new and replace", "[scenario][ledger]") {
  Scenario s;
  s.expect(R"(
{"type":"risk","ts":$T,"mode":"on"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"buy","price":"1.9","qty":8}
{"type":"risk","ts":$T,"mode":"off"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"buy","price":"1.9","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a2","price":"1.9","qty":80}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":80}
)",
         R"(
{"type":"risk","seq":1,"mode":"on"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"no_capacity"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a2","reason":"no_credit"}
{"type":"risk","seq":4,"mode":"off"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a1","instrument":"$H00+1","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"a2","instrument":"$H00+1","side":"buy","order_type":"limit","price":"1.9000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"replaced","seq":7,"order_id":6,"account":"A","cl_id":"a2","price":"1.9000","qty":80,"priority":"lost"}
{"type":"replaced","seq":8,"order_id":5,"account":"A","cl_id":"a1","price":"2.0000","qty":80,"priority":"lost"}
)");
}
