// SPEC §6 "Time", "Cancel, mass cancel, kill" and "Replace of a divisible order": slices expire
// hour by hour at gate closure (hour start - 5 min) or at expire_ts, merged expired/canceled
// events with `instrument`, a divisible order resting while any slice rests, mass cancel by window
// symbol, kill, replace keeping or losing priority over the resting slices. Expectations derived
// by hand from /work/shared/SPEC.md and /work/notes/hours-decisions.md.
//
// Window H100.MEM1@2026-11-21T01Z+3h (hours 01, 02, 03): gate closures $G (00:55Z),
// $G+3600000000000 (01:55Z) and $G+7200000000000 (02:55Z).
#include <catch2/catch.hpp>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

TEST_CASE("hours time: a gtc divisible order's slices expire hour by hour at each hour's gate closure", "[scenario][hours][time]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"clock","ts":$G-1}
{"type":"clock","ts":$G}
{"type":"clock","ts":$G+7200000000000}
{"type":"cancel","ts":$G+7200000000000,"account":"A","cl_id":"a1"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"expired","seq":3,"ts":$G,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+1h","leaves":8,"reason":"gate_closed"}
{"type":"expired","seq":4,"ts":$G+3600000000000,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T02Z+1h","leaves":8,"reason":"gate_closed"}
{"type":"expired","seq":4,"ts":$G+7200000000000,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T03Z+1h","leaves":8,"reason":"gate_closed"}
{"type":"cancel_rejected","seq":5,"account":"A","cl_id":"a1","reason":"unknown_order"}
)");
}

TEST_CASE("hours time: gtd slices: gate_closed before expire_ts, then gtd at expire_ts merged, ascending (deadline, order_id)", "[scenario][hours][time][gtd]") {
  // expire_ts 01:25Z: hour 01 (gate 00:55Z) gate_closed; hours 02, 03 expire at 01:25Z, gtd.
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$G+1800000000000,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-11-21T02Z+1h","side":"buy","price":"1.9","qty":16,"tif":"gtd","expire_ts":$G+1800000000000,"divisible":true}
{"type":"clock","ts":$G+9000000000000}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtd","expire_ts":$G+1800000000000,"post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-11-21T02Z+1h","side":"buy","order_type":"limit","price":"1.9000","qty":16,"tif":"gtd","expire_ts":$G+1800000000000,"post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"expired","seq":3,"ts":$G,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+1h","leaves":8,"reason":"gate_closed"}
{"type":"expired","seq":3,"ts":$G+1800000000000,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T02Z+2h","leaves":8,"reason":"gtd"}
{"type":"expired","seq":3,"ts":$G+1800000000000,"order_id":2,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-11-21T02Z+1h","leaves":16,"reason":"gtd"}
)");
}

TEST_CASE("hours time: expire_ts equal to an hour's gate closure is gate_closed — a different reason splits the merge", "[scenario][hours][time][gtd]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"sell","price":"2.0","qty":16,"tif":"gtd","expire_ts":$G+3600000000000,"divisible":true}
{"type":"clock","ts":$G+3600000000000}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"sell","order_type":"limit","price":"2.0000","qty":16,"tif":"gtd","expire_ts":$G+3600000000000,"post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"expired","seq":2,"ts":$G,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+1h","leaves":16,"reason":"gate_closed"}
{"type":"expired","seq":2,"ts":$G+3600000000000,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T02Z+1h","leaves":16,"reason":"gate_closed"}
{"type":"expired","seq":2,"ts":$G+3600000000000,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T03Z+1h","leaves":16,"reason":"gtd"}
)");
}

TEST_CASE("hours time: expiries at one deadline split by leaves", "[scenario][hours][time][gtd]") {
  // B takes 8 of A's hour 03; hours 02 and 03 then expire at expire_ts with leaves 16 and 8.
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"sell","price":"2.0","qty":16,"tif":"gtd","expire_ts":$G+1,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-11-21T03Z+1h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"clock","ts":$G+1}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"sell","order_type":"limit","price":"2.0000","qty":16,"tif":"gtd","expire_ts":$G+1,"post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-11-21T03Z+1h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":2,"match":1,"instrument":"H100.MEM1@2026-11-21T03Z+1h","price":"2.0000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"B","sell_account":"A","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
{"type":"expired","seq":3,"ts":$G,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+1h","leaves":16,"reason":"gate_closed"}
{"type":"expired","seq":3,"ts":$G+1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T02Z+1h","leaves":16,"reason":"gtd"}
{"type":"expired","seq":3,"ts":$G+1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T03Z+1h","leaves":8,"reason":"gtd"}
)");
}

TEST_CASE("hours time: the order rests (cl_id, cancel, replace) while any slice rests", "[scenario][hours][time][replace]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"clock","ts":$G}
{"type":"new","ts":$G,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T03Z+1h","side":"buy","price":"2.0","qty":8}
{"type":"replace","ts":$G,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"cancel","ts":$G,"account":"A","cl_id":"a1"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+3h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"expired","seq":2,"ts":$G,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T01Z+1h","leaves":8,"reason":"gate_closed"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"replaced","seq":4,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"lost"}
{"type":"canceled","seq":5,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-11-21T02Z+2h","leaves":16,"reason":"user"}
)");
}

TEST_CASE("hours cancel: runs of consecutive hours with equal open quantity, a traded-out hour splits", "[scenario][hours][cancel]") {
  // A's slices after B and C: 16, 16, -, 8, 16 in hours 00..04.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+5h","side":"sell","price":"2.0","qty":16,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T02Z+1h","side":"buy","price":"2.0","qty":16,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T03Z+1h","side":"buy","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"cancel","ts":$T,"account":"A","order_id":1}
)",
           R"(
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","leaves":16,"reason":"user"}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T03Z+1h","leaves":8,"reason":"user"}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T04Z+1h","leaves":16,"reason":"user"}
)");
}

TEST_CASE("hours mass cancel: by instrument selects orders whose window is that symbol — by product all", "[scenario][hours][mass_cancel]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"mass_cancel","ts":$T,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+1h"}
{"type":"mass_cancel","ts":$T,"account":"A","instrument":"H100.MEM1@2026-12-01T00Z+3h"}
{"type":"mass_cancel","ts":$T,"account":"A","product":"H100.MEM1"}
)",
           R"(
{"type":"canceled","seq":5,"order_id":2,"account":"A","cl_id":"a2","leaves":8,"reason":"mass"}
{"type":"canceled","seq":5,"order_id":3,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+1h","leaves":8,"reason":"mass"}
{"type":"canceled","seq":7,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","leaves":8,"reason":"mass"}
)");
}

TEST_CASE("hours kill: a divisible order's resting slices canceled in runs, ascending order_id", "[scenario][hours][kill]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","price":"2.2","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"buy","price":"2.2","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"kill","ts":$T,"account":"A"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","price":"2.2","qty":8,"divisible":true}
)",
           R"(
{"type":"killed","seq":4,"account":"A"}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"kill"}
{"type":"canceled","seq":4,"order_id":2,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+1h","leaves":8,"reason":"kill"}
{"type":"canceled","seq":4,"order_id":2,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T02Z+1h","leaves":8,"reason":"kill"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a3","reason":"killed"}
)");
}

TEST_CASE("hours replace: same price and qty <= the smallest resting slice keeps priority, every slice becomes qty", "[scenario][hours][replace]") {
  // B's slices 16 / 8 after D's trade; replace to 8 keeps priority ahead of C in both hours.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":16,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"buy","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"B","cl_id":"b1","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"E","cl_id":"e1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8,"divisible":true}
)",
           R"(
{"type":"replaced","seq":4,"order_id":1,"account":"B","cl_id":"b1","price":"2.0000","qty":8,"priority":"kept"}
{"type":"accepted","seq":5,"order_id":5,"account":"E","cl_id":"e1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":5,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":5,"sell_order_id":1,"buy_account":"E","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("hours replace: qty above the smallest resting slice loses priority in every hour", "[scenario][hours][replace]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":16,"divisible":true}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"D","cl_id":"d1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"buy","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"B","cl_id":"b1","price":"2.0","qty":16}
{"type":"new","ts":$T,"account":"E","cl_id":"e1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.0","qty":8,"divisible":true}
)",
           R"(
{"type":"replaced","seq":4,"order_id":1,"account":"B","cl_id":"b1","price":"2.0000","qty":16,"priority":"lost"}
{"type":"accepted","seq":5,"order_id":5,"account":"E","cl_id":"e1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting","divisible":true}
{"type":"trade","seq":5,"match":1,"instrument":"H100.MEM1@2026-12-01T00Z+2h","price":"2.0000","qty":8,"buy_order_id":5,"sell_order_id":2,"buy_account":"E","sell_account":"C","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("hours replace: a divisible order repriced to cross matches hour by hour after replaced, then standing blocks sweep", "[scenario][hours][replace][standing]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"X","cl_id":"x1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"buy","price":"2.1","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"2.05","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.2","qty":16,"divisible":true}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"B","cl_id":"b1","price":"2.0","qty":16}
)",
           R"(
{"type":"replaced","seq":4,"order_id":3,"account":"B","cl_id":"b1","price":"2.0000","qty":16,"priority":"lost"}
{"type":"trade","seq":4,"match":1,"instrument":"H100.MEM1@2026-12-01T01Z+1h","price":"2.1000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"X","sell_account":"B","aggressor":"sell","buy_leaves":0,"sell_leaves":8}
{"type":"trade","seq":4,"match":2,"instrument":"H100.MEM1@2026-12-01T00Z+1h","price":"2.0500","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
{"type":"trade","seq":4,"match":3,"instrument":"H100.MEM1@2026-12-01T01Z+1h","price":"2.0500","qty":8,"buy_order_id":2,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("hours replace: halted only when a resting hour is halted, not a traded-out one", "[scenario][hours][replace][halt]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"halt","ts":$T,"instrument":"H100.MEM1@2026-12-01T01Z+1h"}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"resume","ts":$T,"instrument":"H100.MEM1@2026-12-01T01Z+1h"}
{"type":"halt","ts":$T,"instrument":"H100.MEM1@2026-12-01T00Z+1h"}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.1","qty":8}
)",
           R"(
{"type":"halted","seq":3,"instrument":"H100.MEM1@2026-12-01T01Z+1h"}
{"type":"replace_rejected","seq":4,"account":"A","cl_id":"a1","reason":"halted"}
{"type":"resumed","seq":5,"instrument":"H100.MEM1@2026-12-01T01Z+1h"}
{"type":"halted","seq":6,"instrument":"H100.MEM1@2026-12-01T00Z+1h"}
{"type":"replaced","seq":7,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":8,"priority":"kept"}
{"type":"replaced","seq":8,"order_id":1,"account":"A","cl_id":"a1","price":"2.1000","qty":8,"priority":"lost"}
)");
}

TEST_CASE("hours replace: price_band on the window symbol, then post_only against any resting hour's best contra slice", "[scenario][hours][replace][post_only]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+2h","side":"buy","price":"1.9","qty":8,"post_only":true,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"sell","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"3.2","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"1.99","qty":8}
)",
           R"(
{"type":"replace_rejected","seq":3,"account":"A","cl_id":"a1","reason":"price_band"}
{"type":"replace_rejected","seq":4,"account":"A","cl_id":"a1","reason":"post_only"}
{"type":"replaced","seq":5,"order_id":1,"account":"A","cl_id":"a1","price":"1.9900","qty":8,"priority":"lost"}
)");
}

TEST_CASE("hours replace: applies to resting slices only, a traded-out hour is not revived", "[scenario][hours][replace][cancel]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+3h","side":"sell","price":"2.0","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T01Z+1h","side":"buy","price":"2.0","qty":8,"divisible":true}
)");
  s.expect(R"(
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":16}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a1"}
)",
           R"(
{"type":"replaced","seq":3,"order_id":1,"account":"A","cl_id":"a1","price":"2.0000","qty":16,"priority":"lost"}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+1h","leaves":16,"reason":"user"}
{"type":"canceled","seq":4,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T02Z+1h","leaves":16,"reason":"user"}
)");
}
