// SPEC §6 "A divisible order matches hour by hour" and "Events of hours": slices meet the contra
// slices of each hour book (best price, then time priority), own account's slices are passed
// over, trades of consecutive hours merge when ids, price, qty and both leaves are equal, `match`
// counts after merging, ioc cancels in runs with `instrument`, last trade price of a rectangle.
// Expectations derived by hand from /work/shared/SPEC.md and /work/notes/hours-decisions.md.
//
// Product H100.MEM1 (lot 8, tick 10, ref 2.1000 -> band [1.0500, 3.1500]); hours of 2026-12-01.
#include <catch2/catch.hpp>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

TEST_CASE("divisible: equal trades in consecutive hours merge into one trade naming the rectangle", "[scenario][hours][divisible]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","price":"2.0","qty":16,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T+1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.1","qty":16,"divisible":true}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":2,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+3h","price":"2.0000","qty":16,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("divisible: a different leaves breaks the merge, per-slice leaves", "[scenario][hours][divisible]") {
  // After C's trade, B's slices are 16 / 8 / 16 in hours 00 / 01 / 02.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","price":"2.0","qty":16,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"buy","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.1","qty":16,"divisible":true}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.0000","qty":16,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T01Z+1h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"trade","seq":3,"match":3,"instrument":"H100.MEM1@2026-12-01T02Z+1h","price":"2.0000","qty":16,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"canceled","seq":4,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T01Z+1h","leaves":8,"reason":"user"}
)");
}

TEST_CASE("divisible: two trades per hour both merge, each keeps the place of its first hour", "[scenario][hours][divisible]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":16,"divisible":true}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("divisible: best price first then time priority in each hour — unequal leaves do not merge", "[scenario][hours][divisible]") {
  // Hour 00: B 2.0 (older), C 2.0. Hour 01: D 1.9, B 2.0, C 2.0.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"sell","price":"1.9","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.1","qty":16,"divisible":true}
{"type":"cancel","ts":$T,"account":"C","cl_id":"c1"}
)",
           R"(
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"trade","seq":4,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"trade","seq":4,"match":3,"instrument":"H100.MEM1@2026-12-01T01Z+1h","price":"1.9000","qty":8,"buy_order_id":4,"sell_order_id":3,"buy_account":"A","sell_account":"D","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"trade","seq":4,"match":4,"instrument":"H100.MEM1@2026-12-01T01Z+1h","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"canceled","seq":5,"order_id":2,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T01Z+1h","leaves":8,"reason":"user"}
)");
}

TEST_CASE("divisible: overlapping windows trade in the shared hours only, the other hours rest", "[scenario][hours][divisible]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+4h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T02Z+4h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
{"type":"cancel","ts":$T,"account":"B","order_id":1}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T02Z+4h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":2,"match":1,"instrument":"H100.MEM1@2026-12-01T02Z+2h","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"canceled","seq":3,"order_id":2,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T04Z+2h","leaves":8,"reason":"user"}
{"type":"canceled","seq":4,"order_id":1,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","leaves":8,"reason":"user"}
)");
}

TEST_CASE("divisible: own account's slices are passed over, never canceled (no stp in hour books)", "[scenario][hours][divisible][stp]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.1","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.1","qty":16,"stp":"cancel_both","divisible":true}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_both","divisible":true}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","leaves":8,"reason":"user"}
)");
}

TEST_CASE("divisible ioc: open slices canceled in runs of equal leaves, a filled hour splits the runs", "[scenario][hours][divisible][ioc]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T02Z+1h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T05Z+1h","side":"sell","price":"2.0","qty":16,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":16,"tif":"ioc","divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T04Z+3h","side":"buy","price":"2.0","qty":16,"tif":"ioc","divisible":true}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T02Z+1h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","leaves":16,"reason":"ioc"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T02Z+1h","leaves":8,"reason":"ioc"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T04Z+3h","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T05Z+1h","price":"2.0000","qty":16,"buy_order_id":4,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T04Z+1h","leaves":16,"reason":"ioc"}
{"type":"canceled","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T06Z+1h","leaves":16,"reason":"ioc"}
)");
}

TEST_CASE("divisible: an incoming sell trades at the resting buy slices' prices, aggressor sell", "[scenario][hours][divisible]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.1","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":24,"divisible":true}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.0000","qty":24,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.2000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"C","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":16}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.1000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"B","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
)");
}

TEST_CASE("divisible: a slice stops at its limit — the rest of the hour rests at the back of its level", "[scenario][hours][divisible]") {
  // Hour 00: B sells 2.0, C sells 2.2 (too high for 2.1), B's own bid 2.1 rests beside its ask
  // (own slices are passed over). A's 8 left in hour 00 rests at 2.1 behind B's bid; hour 01
  // rests 16. E then sells 24 at 2.1 in hour 00: B's bid (older, same price) before A's.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","price":"2.2","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"2.1","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.1","qty":16,"divisible":true}
{"type":"new","ts":$T,"account":"E","cl_id":"e1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","price":"2.1","qty":24,"tif":"ioc","divisible":true}
)",
           R"(
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.0000","qty":8,"buy_order_id":4,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"accepted","seq":5,"order_id":5,"account":"E","cl_id":"e1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","order_type":"limit","price":"2.1000","qty":24,"tif":"ioc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":5,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.1000","qty":8,"buy_order_id":3,"sell_order_id":5,"buy_account":"B","sell_account":"E","aggressor":"sell","buy_leaves":0,"sell_leaves":16}
{"type":"trade","seq":5,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.1000","qty":8,"buy_order_id":4,"sell_order_id":5,"buy_account":"A","sell_account":"E","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"canceled","seq":5,"order_id":5,"account":"E","cl_id":"e1","instrument":"H100.MEM1@2026-12-01T00Z+1h","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("divisible market: trades at slice prices up to the protection price, the rest canceled ioc", "[scenario][hours][divisible][market]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"3.1","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"market","qty":16,"divisible":true}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"market","price":"3.1500","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":2,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"3.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"canceled","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("divisible: divisible orders never trade with blocks directly (ioc: no standing sweep either)", "[scenario][hours][divisible]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"2.2","qty":8,"tif":"ioc","divisible":true}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","order_type":"limit","price":"2.2000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"canceled","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+1h","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("divisible: the merged rectangle's trade price becomes that symbol's band reference", "[scenario][hours][divisible][band]") {
  // Trade at 2.0 naming 00Z+2h: that symbol's band becomes [1.0000, 3.0000]; 00Z+3h and the
  // one-hour symbols keep ref 2.1000 -> [1.0500, 3.1500].
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"3.01","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"3.01","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"0.99","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"3.01","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"3.01","qty":8}
)",
           R"(
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"price_band"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a2","reason":"price_band"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a3","reason":"price_band"}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"a4","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"3.0100","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a5","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","order_type":"limit","price":"3.0100","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("divisible: trades of different hours stay apart when their counterparties differ — each rectangle gets its own reference", "[scenario][hours][divisible][band]") {
  // Hour 00 trades with B at 1.6, hour 01 with C at 2.6: refs 00Z+1h = 1.6 ([0.8000, 2.4000]),
  // 01Z+1h = 2.6 ([1.3000, 3.9000]); 00Z+2h still 2.1.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","price":"1.6","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"sell","price":"2.6","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.6","qty":8,"tif":"ioc","divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"2.5","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"buy","price":"1.2","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"1.05","qty":8}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.6000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"1.6000","qty":8,"buy_order_id":3,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T01Z+1h","price":"2.6000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"rejected","seq":4,"account":"A","cl_id":"a2","reason":"price_band"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a3","reason":"price_band"}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"a4","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"1.0500","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}
