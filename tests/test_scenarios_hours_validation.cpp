// SPEC §3/§4 v2 additions for divisible orders (§6): the `accepted` event's `divisible`, the
// validation of divisible orders (bad_tif, bad_min_qty, bad_display_qty, halted hours, post_only
// against hour books, the window symbol's band), and that a log without divisible orders is v1.
// Expectations derived by hand from /work/shared/SPEC.md and /work/notes/hours-decisions.md.
//
// Symbols used (product H100.MEM1: lot 8, tick 10, ref 2.1000 -> band [1.0500, 3.1500], gate 5 min):
//   hour books 2026-12-01 00Z..03Z: H100.MEM1@2026-12-01T0hZ+1h
//   windows H100.MEM1@2026-12-01T00Z+2h (hours 00, 01), ...T00Z+3h (hours 00, 01, 02)
#include <catch2/catch.hpp>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

TEST_CASE("hours validation: accepted carries divisible:true only for a divisible order", "[scenario][hours][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","price":"2.0","qty":16,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","price":"2.2","qty":8,"divisible":false}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"1.9","qty":8,"tif":"gtd","expire_ts":$T+1000,"divisible":true}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"1.9000","qty":8,"tif":"gtd","expire_ts":$T+1000,"post_only":false,"stp":"cancel_resting","divisible":true}
)");
}

TEST_CASE("hours validation: fok, min_qty and display_qty are refused for divisible orders, in §3's order", "[scenario][hours][validation]") {
  // bad_qty comes before bad_tif; bad_tif (fok) before bad_min_qty; bad_min_qty before
  // bad_display_qty; a market divisible order with gtc is bad_tif as in v1; post_only with ioc too.
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":16,"tif":"fok","divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":16,"tif":"fok","min_qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":16,"min_qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":16,"min_qty":8,"display_qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":16,"display_qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a6","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"market","qty":16,"tif":"gtc","divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a7","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":16,"tif":"ioc","post_only":true,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a8","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":12,"tif":"fok","divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a9","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0005","qty":16,"tif":"fok","divisible":true}
)",
                R"(
{"type":"rejected","seq":1,"account":"A","cl_id":"a1","reason":"bad_tif"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a2","reason":"bad_tif"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a3","reason":"bad_min_qty"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a4","reason":"bad_min_qty"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a5","reason":"bad_display_qty"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a6","reason":"bad_tif"}
{"type":"rejected","seq":7,"account":"A","cl_id":"a7","reason":"bad_tif"}
{"type":"rejected","seq":8,"account":"A","cl_id":"a8","reason":"bad_qty"}
{"type":"rejected","seq":9,"account":"A","cl_id":"a9","reason":"bad_price"}
)");
}

TEST_CASE("hours validation: a divisible market order gets the window symbol's protection price, ioc, its open slices canceled with instrument", "[scenario][hours][validation][market]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"market","qty":16,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"market","qty":8,"divisible":true}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"market","price":"3.1500","qty":16,"tif":"ioc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"canceled","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","leaves":16,"reason":"ioc"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"market","price":"1.0500","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"canceled","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("hours validation: a halted hour refuses a divisible order over it (before bad_qty), not a block", "[scenario][hours][validation][halt]") {
  Scenario s;
  s.setup(R"(
{"type":"halt","ts":$T,"instrument":"H100.MEM1@2026-12-01T01Z+1h"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":5,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"H100.MEM1@2026-12-01T02Z+2h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":8}
{"type":"resume","ts":$T,"instrument":"H100.MEM1@2026-12-01T01Z+1h"}
{"type":"new","ts":$T,"account":"A","cl_id":"a6","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":8,"divisible":true}
)",
           R"(
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"halted"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a2","reason":"halted"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a3","reason":"halted"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a4","instrument":"H100.MEM1@2026-12-01T02Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"a5","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"resumed","seq":7,"instrument":"H100.MEM1@2026-12-01T01Z+1h"}
{"type":"accepted","seq":8,"order_id":8,"account":"A","cl_id":"a6","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
)");
}

TEST_CASE("hours validation: a halted window symbol or product refuses a divisible order — another window's halt does not", "[scenario][hours][validation][halt]") {
  Scenario s;
  s.setup(R"(
{"type":"halt","ts":$T,"instrument":"H100.MEM1@2026-12-01T00Z+3h"}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"halt","ts":$T,"product":"H100.MEM1"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T02Z+1h","side":"buy","price":"2.0","qty":8,"divisible":true}
)",
           R"(
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"halted"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"halted","seq":4,"product":"H100.MEM1"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a3","reason":"halted"}
)");
}

TEST_CASE("hours validation: post_only divisible checks every hour book of its window, own slices included", "[scenario][hours][validation][post_only]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":8,"post_only":true,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"1.99","qty":8,"post_only":true,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T02Z+1h","side":"sell","price":"1.99","qty":8,"post_only":true,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"H100.MEM1@2026-12-01T03Z+1h","side":"sell","price":"1.99","qty":8,"post_only":true,"divisible":true}
)",
           R"(
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"post_only"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"1.9900","qty":8,"tif":"gtc","post_only":true,"stp":"cancel_resting","divisible":true}
{"type":"rejected","seq":4,"account":"A","cl_id":"a3","reason":"post_only"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a4","instrument":"H100.MEM1@2026-12-01T03Z+1h","side":"sell","order_type":"limit","price":"1.9900","qty":8,"tif":"gtc","post_only":true,"stp":"cancel_resting","divisible":true}
)");
}

TEST_CASE("hours validation: post_only divisible ignores window books (then a standing block sweeps it)", "[scenario][hours][validation][post_only][standing]") {
  // The sell block in the window book crosses, but a divisible post_only looks at hour books only.
  // Its slices rest, so the standing sell block sweeps them at its own (earlier) price.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T+1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.0","qty":8,"post_only":true,"divisible":true}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":true,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":2,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+3h","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("hours validation: a post_only block ignores hour books: accepted, never sweeps on arrival or standing", "[scenario][hours][validation][post_only]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
)",
           R"(
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":true,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
)");
}

TEST_CASE("hours validation: a divisible order's price is checked against its window symbol's band, not its hours'", "[scenario][hours][validation][band]") {
  // A block trade at 1.5 on the one-hour window 00Z+1h moves that symbol's band to [0.7500, 2.2500];
  // the 3-hour window keeps ref 2.1000 -> [1.0500, 3.1500].
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","price":"1.5","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"1.5","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","price":"2.5","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"2.5","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"2.25","qty":8,"divisible":true}
)",
           R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"buy","order_type":"limit","price":"2.5000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"rejected","seq":4,"account":"A","cl_id":"a2","reason":"price_band"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","order_type":"limit","price":"2.2500","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
)");
}

TEST_CASE("hours validation: window_closed uses the window's start — the first hour's slice expires at its gate", "[scenario][hours][validation][time]") {
  // Window 2026-11-21T01Z+3h: gate closure of its start is $G (00:55Z).
  expect_events(R"(
{"type":"new","ts":$G-1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$G,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$G,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T02Z+2h","side":"buy","price":"2.0","qty":8,"divisible":true}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"expired","seq":2,"ts":$G,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+1h","leaves":8,"reason":"gate_closed"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a2","reason":"window_closed"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
)");
}

TEST_CASE("hours validation: cl_id is shared between blocks and divisible orders", "[scenario][hours][validation]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T05Z+2h","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T05Z+2h","side":"buy","price":"2.0","qty":8,"divisible":true}
)",
           R"(
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a2","reason":"duplicate_cl_id"}
)");
}

TEST_CASE("hours v1: a log without divisible orders is v1: overlapping windows never meet, no v2 fields", "[scenario][hours][v1]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T01Z+2h","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","price":"2.0","qty":8,"tif":"ioc"}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
{"type":"mass_cancel","ts":$T,"account":"B"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T01Z+2h","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":3,"account":"C","cl_id":"c1","leaves":8,"reason":"ioc"}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"user"}
{"type":"canceled","seq":5,"order_id":2,"account":"B","cl_id":"b1","leaves":8,"reason":"mass"}
)");
}
