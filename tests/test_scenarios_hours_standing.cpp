// SPEC §6 "Standing blocks": after slices of a divisible order come to rest, resting blocks of the
// other side sharing an hour with those slices sweep once, best price then time priority, at the
// price of the earlier of block and slice, aggressor the block's side, after all other events;
// exclusions (post_only, halted window symbol, own account, other product, no shared resting
// hour); an iceberg's clip after a standing sweep. Expectations derived by hand from
// /work/shared/SPEC.md and /work/notes/hours-decisions.md.
//
// Product H100.MEM1 (lot 8, tick 10, ref 2.1000 -> band [1.0500, 3.1500]); hours of 2026-12-01.
#include <catch2/catch.hpp>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

TEST_CASE("standing: a resting block sweeps newly rested slices at its own (earlier) price and leaves its book", "[scenario][hours][standing]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T+1,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"cancel","ts":$T+2,"account":"A","cl_id":"a1"}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":2,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.2000","qty":8,"buy_order_id":1,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"cancel_rejected","seq":3,"account":"A","cl_id":"a1","reason":"unknown_order"}
)");
}

TEST_CASE("standing: a sell block sweeps rested buy slices, aggressor sell, block keeps r - q", "[scenario][hours][standing]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":16}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8,"divisible":true}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":2,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"B","sell_account":"A","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"canceled","seq":3,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"user"}
)");
}

TEST_CASE("standing: each trade is at the price of the earlier of block and slice", "[scenario][hours][standing]") {
  // C's hour-00 slice is older than A's block; B's hour-01 slice is younger.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"sell","price":"2.1","qty":8,"divisible":true}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T01Z+1h","price":"2.2000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("standing: blocks sweep best price first, then time priority — the list is fixed, later ones may find nothing", "[scenario][hours][standing]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"E","cl_id":"e1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.1","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":16,"divisible":true}
{"type":"cancel","ts":$T,"account":"E","cl_id":"e1"}
)",
           R"(
{"type":"accepted","seq":4,"order_id":4,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.2000","qty":8,"buy_order_id":2,"sell_order_id":4,"buy_account":"C","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
{"type":"trade","seq":4,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.1000","qty":8,"buy_order_id":1,"sell_order_id":4,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"canceled","seq":5,"order_id":3,"account":"E","cl_id":"e1","leaves":8,"reason":"user"}
)");
}

TEST_CASE("standing: post_only, halted window symbol, own account, other product, same side and no shared hour are not swept", "[scenario][hours][standing]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.2","qty":8}
{"type":"halt","ts":$T,"instrument":"H100.MEM1@2026-12-01T00Z+3h"}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"H200.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"E","cl_id":"e1","instrument":"H100.MEM1@2026-12-01T02Z+2h","side":"buy","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b0","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"F","cl_id":"f1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.3","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"H","cl_id":"h1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8}
)",
           R"(
{"type":"accepted","seq":8,"order_id":8,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"accepted","seq":9,"order_id":9,"account":"H","cl_id":"h1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":9,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":9,"sell_order_id":8,"buy_account":"H","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("standing: only blocks sharing an hour with the slices that came to rest — no check on resume", "[scenario][hours][standing][halt]") {
  // A's block covers 2026-11-30T23Z and 2026-12-01T00Z. While its symbol is halted S and U rest
  // slices in those hours; resume checks nothing. B's hour 00 then trades away with X and only
  // its hour 01 rests: A's block shares no hour with it. Q's hour-00 slice rests: A sweeps S's and
  // U's slices (best price in hour 00: U 2.0 before Q 2.1), younger than A's block: A's price.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-30T23Z+2h","side":"buy","price":"2.2","qty":8}
{"type":"halt","ts":$T,"instrument":"H100.MEM1@2026-11-30T23Z+2h"}
{"type":"new","ts":$T,"account":"S","cl_id":"s1","instrument":"H100.MEM1@2026-11-30T23Z+1h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"U","cl_id":"u1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"resume","ts":$T,"instrument":"H100.MEM1@2026-11-30T23Z+2h"}
{"type":"new","ts":$T,"account":"X","cl_id":"x1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"1.9","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"1.9","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"Q","cl_id":"q1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","price":"2.1","qty":8,"divisible":true}
)",
           R"(
{"type":"resumed","seq":5,"instrument":"H100.MEM1@2026-11-30T23Z+2h"}
{"type":"accepted","seq":6,"order_id":6,"account":"X","cl_id":"x1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","order_type":"limit","price":"1.9000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"accepted","seq":7,"order_id":7,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"1.9000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":7,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"1.9000","qty":8,"buy_order_id":6,"sell_order_id":7,"buy_account":"X","sell_account":"B","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
{"type":"accepted","seq":8,"order_id":8,"account":"Q","cl_id":"q1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":8,"match":1,"instrument":"H100.MEM1@2026-11-30T23Z+1h","price":"2.2000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"A","sell_account":"S","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"trade","seq":8,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.2000","qty":8,"buy_order_id":1,"sell_order_id":4,"buy_account":"A","sell_account":"U","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("standing: an iceberg's clip becomes min(clip, open) and keeps its priority", "[scenario][hours][standing][iceberg]") {
  // A (iceberg, clip 8) and D rest at 2.2, A first. A's standing sweep takes 8: open 24, clip 8,
  // still first. C's 8 trade A's clip, which refills behind D; E's 8 then trade D.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":32,"display_qty":8}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"E","cl_id":"e1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.2","qty":8}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.2000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":24,"sell_leaves":0}
{"type":"accepted","seq":4,"order_id":4,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.2000","qty":8,"buy_order_id":1,"sell_order_id":4,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":16,"sell_leaves":0}
{"type":"accepted","seq":5,"order_id":5,"account":"E","cl_id":"e1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":5,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.2000","qty":8,"buy_order_id":2,"sell_order_id":5,"buy_account":"D","sell_account":"E","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("standing: event order is the divisible order's own trades, then the standing blocks' trades, match counting on", "[scenario][hours][standing]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"X","cl_id":"x1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"2.1","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":16,"divisible":true}
{"type":"cancel","ts":$T,"account":"B","cl_id":"b1"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.1000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"X","sell_account":"B","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"trade","seq":3,"match":3,"instrument":"H100.MEM1@2026-12-01T01Z+1h","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
{"type":"canceled","seq":4,"order_id":3,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T01Z+1h","leaves":8,"reason":"user"}
)");
}

TEST_CASE("standing: a standing block's sweep is all or nothing over its window (q = min over hours)", "[scenario][hours][standing]") {
  // A's 3-hour block: B rests hours 00 and 01 only -> nothing; C then rests hour 02 -> A sweeps.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.2","qty":16}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T02Z+1h","side":"sell","price":"2.0","qty":24,"divisible":true}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"accepted","seq":3,"order_id":3,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T02Z+1h","side":"sell","order_type":"limit","price":"2.0000","qty":24,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.2000","qty":8,"buy_order_id":1,"sell_order_id":2,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"trade","seq":3,"match":2,"instrument":"H100.MEM1@2026-12-01T02Z+1h","price":"2.2000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"A","sell_account":"C","aggressor":"buy","buy_leaves":8,"sell_leaves":16}
)");
}

TEST_CASE("standing: sell blocks sweep lowest price first", "[scenario][hours][standing]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8,"divisible":true}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":2,"buy_account":"B","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("standing: an iceberg left with less than its clip shows only its open quantity", "[scenario][hours][standing][iceberg]") {
  // A: 24, clip 16. Its standing sweep takes 16: open 8, clip min(16, 8) = 8. C's 16 then trade
  // 8 with A and 8 with D.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":24,"display_qty":16}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":16,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.2","qty":16,"tif":"ioc"}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":3,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.2000","qty":16,"buy_order_id":1,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"accepted","seq":4,"order_id":4,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.2000","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.2000","qty":8,"buy_order_id":1,"sell_order_id":4,"buy_account":"A","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"trade","seq":4,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.2000","qty":8,"buy_order_id":2,"sell_order_id":4,"buy_account":"D","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}
