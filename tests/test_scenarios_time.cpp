// docs/rules.md "Time in force", "Expiry and gate closure", "Halt and resume" and "Kill and unkill".
#include <catch2/catch.hpp>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

// ---------------------------------------------------------------------------------------------
// Expiry

TEST_CASE("gtd: expires when a command's ts reaches expire_ts, with the clock's seq", "[scenario][time]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+1000}
{"type":"clock","ts":$T+999}
{"type":"clock","ts":$T+1000}
{"type":"cancel","ts":$T+1000,"account":"A","cl_id":"a1"}
{"type":"clock","ts":$T+5000}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtd","expire_ts":$T+1000,"post_only":false,"stp":"cancel_resting"}
{"type":"expired","seq":3,"ts":$T+1000,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"gtd"}
{"type":"cancel_rejected","seq":4,"account":"A","cl_id":"a1","reason":"unknown_order"}
)");
}

TEST_CASE("gtd: the expired event's ts is the deadline, expiries come before the command's own events", "[scenario][time]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+1000}
{"type":"new","ts":$T+5000,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.0","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtd","expire_ts":$T+1000,"post_only":false,"stp":"cancel_resting"}
{"type":"expired","seq":2,"ts":$T+1000,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"gtd"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("gtd: leaves of an expiry are the whole open quantity (partly filled, iceberg)", "[scenario][time]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":16,"tif":"gtd","expire_ts":$T+1000}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":24,"tif":"gtd","expire_ts":$T+1000,"display_qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.0","qty":8}
{"type":"clock","ts":$T+2000}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"gtd","expire_ts":$T+1000,"post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":24,"tif":"gtd","expire_ts":$T+1000,"post_only":false,"display_qty":8,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":3,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":1,"sell_order_id":3,"buy_account":"A","sell_account":"B","aggressor":"sell","buy_leaves":8,"sell_leaves":0}
{"type":"expired","seq":4,"ts":$T+1000,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"gtd"}
{"type":"expired","seq":4,"ts":$T+1000,"order_id":2,"account":"A","cl_id":"a2","leaves":24,"reason":"gtd"}
)");
}

TEST_CASE("gate closure: gtc expires at start - gate, reason gate_closed when gate <= expire_ts, else gtd", "[scenario][time]") {
  // $W starts 2026-11-21T01Z, gate closure $G = 00:55Z.
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$W","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$W","side":"sell","price":"2.2","qty":8,"tif":"gtd","expire_ts":$G+1}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$W","side":"sell","price":"2.3","qty":8,"tif":"gtd","expire_ts":$G}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$W","side":"sell","price":"2.4","qty":8,"tif":"gtd","expire_ts":$G-1}
{"type":"clock","ts":$G-2}
{"type":"clock","ts":$G-1}
{"type":"clock","ts":$G+100}
{"type":"new","ts":$G+100,"account":"A","cl_id":"a5","instrument":"$W","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$W","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$W","side":"sell","order_type":"limit","price":"2.2000","qty":8,"tif":"gtd","expire_ts":$G+1,"post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a3","instrument":"$W","side":"sell","order_type":"limit","price":"2.3000","qty":8,"tif":"gtd","expire_ts":$G,"post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a4","instrument":"$W","side":"sell","order_type":"limit","price":"2.4000","qty":8,"tif":"gtd","expire_ts":$G-1,"post_only":false,"stp":"cancel_resting"}
{"type":"expired","seq":6,"ts":$G-1,"order_id":4,"account":"A","cl_id":"a4","leaves":8,"reason":"gtd"}
{"type":"expired","seq":7,"ts":$G,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"gate_closed"}
{"type":"expired","seq":7,"ts":$G,"order_id":2,"account":"A","cl_id":"a2","leaves":8,"reason":"gate_closed"}
{"type":"expired","seq":7,"ts":$G,"order_id":3,"account":"A","cl_id":"a3","leaves":8,"reason":"gate_closed"}
{"type":"rejected","seq":8,"account":"A","cl_id":"a5","reason":"window_closed"}
)");
}

TEST_CASE("gate closure: a command at exactly the gate expires the order first", "[scenario][time]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$W","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$G,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.0","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$W","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"expired","seq":2,"ts":$G,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"gate_closed"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("expiry order is ascending (deadline, order_id) across instruments", "[scenario][time]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+300}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$J","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+200}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$K","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+200}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"1.9","qty":8,"tif":"gtd","expire_ts":$T+100}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$X","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$W","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$W","side":"buy","price":"1.9","qty":8,"tif":"gtd","expire_ts":$G+5}
{"type":"new","ts":$T,"account":"B","cl_id":"b3","instrument":"$I","side":"buy","price":"1.8","qty":8,"tif":"gtd","expire_ts":$T+500}
{"type":"new","ts":$T,"account":"C","cl_id":"c2","instrument":"$I","side":"buy","price":"1.8","qty":8}
)");
  s.expect(R"(
{"type":"clock","ts":$T+7000000000000}
)",
           R"(
{"type":"expired","seq":10,"ts":$T+100,"order_id":4,"account":"C","cl_id":"c1","leaves":8,"reason":"gtd"}
{"type":"expired","seq":10,"ts":$T+200,"order_id":2,"account":"B","cl_id":"b1","leaves":8,"reason":"gtd"}
{"type":"expired","seq":10,"ts":$T+200,"order_id":3,"account":"A","cl_id":"a2","leaves":8,"reason":"gtd"}
{"type":"expired","seq":10,"ts":$T+300,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"gtd"}
{"type":"expired","seq":10,"ts":$T+500,"order_id":8,"account":"B","cl_id":"b3","leaves":8,"reason":"gtd"}
{"type":"expired","seq":10,"ts":$G,"order_id":6,"account":"A","cl_id":"a4","leaves":8,"reason":"gate_closed"}
{"type":"expired","seq":10,"ts":$G,"order_id":7,"account":"B","cl_id":"b2","leaves":8,"reason":"gate_closed"}
{"type":"expired","seq":10,"ts":$T+6900000000000,"order_id":5,"account":"A","cl_id":"a3","leaves":8,"reason":"gate_closed"}
)");
}

TEST_CASE("expiries run before every kind of command", "[scenario][time]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+10}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+20}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+30}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+40}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"$I","side":"buy","price":"1.9","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"1.9","qty":8,"tif":"gtd","expire_ts":$T+50}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"buy","price":"1.9","qty":8,"tif":"gtd","expire_ts":$T+60}
{"type":"new","ts":$T,"account":"B","cl_id":"b3","instrument":"$I","side":"buy","price":"1.9","qty":8,"tif":"gtd","expire_ts":$T+70}
)");
  s.expect(R"(
{"type":"cancel","ts":$T+10,"account":"A","cl_id":"a1"}
{"type":"halt","ts":$T+20,"instrument":"$J"}
{"type":"replace","ts":$T+30,"account":"A","cl_id":"a3","price":"2.0","qty":8}
{"type":"mass_cancel","ts":$T+40,"account":"A"}
{"type":"kill","ts":$T+50,"account":"C"}
{"type":"unkill","ts":$T+60,"account":"C"}
{"type":"resume","ts":$T+70,"instrument":"$J"}
)",
           R"(
{"type":"expired","seq":9,"ts":$T+10,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"gtd"}
{"type":"cancel_rejected","seq":9,"account":"A","cl_id":"a1","reason":"unknown_order"}
{"type":"expired","seq":10,"ts":$T+20,"order_id":2,"account":"A","cl_id":"a2","leaves":8,"reason":"gtd"}
{"type":"halted","seq":10,"instrument":"$J"}
{"type":"expired","seq":11,"ts":$T+30,"order_id":3,"account":"A","cl_id":"a3","leaves":8,"reason":"gtd"}
{"type":"replace_rejected","seq":11,"account":"A","cl_id":"a3","reason":"unknown_order"}
{"type":"expired","seq":12,"ts":$T+40,"order_id":4,"account":"A","cl_id":"a4","leaves":8,"reason":"gtd"}
{"type":"canceled","seq":12,"order_id":5,"account":"A","cl_id":"a5","leaves":8,"reason":"mass"}
{"type":"expired","seq":13,"ts":$T+50,"order_id":6,"account":"B","cl_id":"b1","leaves":8,"reason":"gtd"}
{"type":"killed","seq":13,"account":"C"}
{"type":"expired","seq":14,"ts":$T+60,"order_id":7,"account":"B","cl_id":"b2","leaves":8,"reason":"gtd"}
{"type":"unkilled","seq":14,"account":"C"}
{"type":"expired","seq":15,"ts":$T+70,"order_id":8,"account":"B","cl_id":"b3","leaves":8,"reason":"gtd"}
{"type":"resumed","seq":15,"instrument":"$J"}
)");
}

TEST_CASE("replace keeps the gtd expire_ts", "[scenario][time][replace]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+1000}
{"type":"replace","ts":$T+1,"account":"A","cl_id":"a1","new_cl_id":"a2","price":"2.05","qty":16}
{"type":"clock","ts":$T+1000}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtd","expire_ts":$T+1000,"post_only":false,"stp":"cancel_resting"}
{"type":"replaced","seq":2,"order_id":1,"account":"A","cl_id":"a2","price":"2.0500","qty":16,"priority":"lost"}
{"type":"expired","seq":3,"ts":$T+1000,"order_id":1,"account":"A","cl_id":"a2","leaves":16,"reason":"gtd"}
)");
}

TEST_CASE("expiries go on while halted (instrument and product)", "[scenario][time][halt]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+100}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$W","side":"buy","price":"2.0","qty":8}
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"halt","ts":$T,"product":"H100.MEM1"}
{"type":"clock","ts":$T+100}
{"type":"clock","ts":$G}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtd","expire_ts":$T+100,"post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$W","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"halted","seq":3,"instrument":"$I"}
{"type":"halted","seq":4,"product":"H100.MEM1"}
{"type":"expired","seq":5,"ts":$T+100,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"gtd"}
{"type":"expired","seq":6,"ts":$G,"order_id":2,"account":"A","cl_id":"a2","leaves":8,"reason":"gate_closed"}
)");
}

TEST_CASE("clock: uses a seq and emits nothing without expiries", "[scenario][time]") {
  expect_events(R"(
{"type":"clock","ts":$T}
{"type":"clock","ts":$T}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

// ---------------------------------------------------------------------------------------------
// Halt / resume

TEST_CASE("halt instrument: new orders rejected, other instruments trade, resume", "[scenario][halt]") {
  expect_events(R"(
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","price":"2.0","qty":8}
{"type":"resume","ts":$T,"instrument":"$I"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"halted","seq":1,"instrument":"$I"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"halted"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"resumed","seq":4,"instrument":"$I"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("halt product: all its instruments, cancels go on, resting orders stay and trade after resume", "[scenario][halt]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","price":"2.0","qty":8}
{"type":"halt","ts":$T,"product":"H100.MEM1"}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$J","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"H100.MEM1@2027-01-01T00Z+1h","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b3","instrument":"$K","side":"sell","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a2"}
{"type":"resume","ts":$T,"product":"H100.MEM1"}
{"type":"new","ts":$T,"account":"B","cl_id":"b4","instrument":"$I","side":"sell","price":"2.0","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"halted","seq":3,"product":"H100.MEM1"}
{"type":"rejected","seq":4,"account":"B","cl_id":"b1","reason":"halted"}
{"type":"rejected","seq":5,"account":"B","cl_id":"b2","reason":"halted"}
{"type":"accepted","seq":6,"order_id":6,"account":"B","cl_id":"b3","instrument":"$K","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"replace_rejected","seq":7,"account":"A","cl_id":"a1","reason":"halted"}
{"type":"canceled","seq":8,"order_id":2,"account":"A","cl_id":"a2","leaves":8,"reason":"user"}
{"type":"resumed","seq":9,"product":"H100.MEM1"}
{"type":"accepted","seq":10,"order_id":10,"account":"B","cl_id":"b4","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":10,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":1,"sell_order_id":10,"buy_account":"A","sell_account":"B","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("halt: product and instrument flags are independent", "[scenario][halt]") {
  expect_events(R"(
{"type":"halt","ts":$T,"product":"H100.MEM1"}
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"resume","ts":$T,"product":"H100.MEM1"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","price":"2.0","qty":8}
{"type":"resume","ts":$T,"instrument":"$I"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"halt","ts":$T,"product":"H100.MEM1"}
{"type":"resume","ts":$T,"instrument":"$I"}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"resume","ts":$T,"product":"H100.MEM1"}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"halted","seq":1,"product":"H100.MEM1"}
{"type":"halted","seq":2,"instrument":"$I"}
{"type":"resumed","seq":3,"product":"H100.MEM1"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a1","reason":"halted"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a2","instrument":"$J","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"resumed","seq":6,"instrument":"$I"}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"halted","seq":8,"instrument":"$I"}
{"type":"halted","seq":9,"product":"H100.MEM1"}
{"type":"resumed","seq":10,"instrument":"$I"}
{"type":"rejected","seq":11,"account":"A","cl_id":"a4","reason":"halted"}
{"type":"resumed","seq":12,"product":"H100.MEM1"}
{"type":"accepted","seq":13,"order_id":13,"account":"A","cl_id":"a5","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("halt/resume with both instrument and product use the instrument", "[scenario][halt]") {
  expect_events(R"(
{"type":"halt","ts":$T,"instrument":"$I","product":"H200.MEM1"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$K","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"halt","ts":$T,"product":"H200.MEM1"}
{"type":"resume","ts":$T,"instrument":"$I","product":"H200.MEM1"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$K","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"halted","seq":1,"instrument":"$I"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$K","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a2","reason":"halted"}
{"type":"halted","seq":4,"product":"H200.MEM1"}
{"type":"resumed","seq":5,"instrument":"$I"}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":7,"account":"A","cl_id":"a4","reason":"halted"}
)");
}

TEST_CASE("halt: repeated halts/resumes emit again, unused and unvalidated targets", "[scenario][halt]") {
  expect_events(R"(
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"resume","ts":$T,"instrument":"$I"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"resume","ts":$T,"instrument":"$I"}
{"type":"halt","ts":$T,"instrument":"H100.MEM1@2026-12-05T00Z+24h"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2026-12-05T00Z+24h","side":"buy","price":"2.0","qty":8}
{"type":"halt","ts":$T,"instrument":"not a symbol"}
{"type":"halt","ts":$T,"product":"NOPE"}
{"type":"resume","ts":$T,"product":"NOPE"}
{"type":"halt","ts":$T,"product":"B200.DAL1"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"B200.DAL1@2027-06-01T00Z+720h","side":"sell","price":"3.8","qty":8}
)",
                R"(
{"type":"halted","seq":1,"instrument":"$I"}
{"type":"halted","seq":2,"instrument":"$I"}
{"type":"resumed","seq":3,"instrument":"$I"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"resumed","seq":5,"instrument":"$I"}
{"type":"halted","seq":6,"instrument":"H100.MEM1@2026-12-05T00Z+24h"}
{"type":"rejected","seq":7,"account":"A","cl_id":"a2","reason":"halted"}
{"type":"halted","seq":8,"instrument":"not a symbol"}
{"type":"halted","seq":9,"product":"NOPE"}
{"type":"resumed","seq":10,"product":"NOPE"}
{"type":"halted","seq":11,"product":"B200.DAL1"}
{"type":"rejected","seq":12,"account":"A","cl_id":"a3","reason":"halted"}
)");
}

// ---------------------------------------------------------------------------------------------
// Kill / unkill

TEST_CASE("kill: killed, then cancels in ascending order_id, new/replace rejected killed, unkill", "[scenario][kill]") {
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$J","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"sell","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$I","side":"buy","price":"1.9","qty":24,"display_qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a2","price":"2.0","qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"$I","side":"buy","price":"2.05","qty":8}
)");
  s.expect(R"(
{"type":"kill","ts":$T,"account":"A"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"a2"}
{"type":"mass_cancel","ts":$T,"account":"A"}
{"type":"kill","ts":$T,"account":"A"}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","price":"2.0","qty":8}
{"type":"unkill","ts":$T,"account":"A"}
{"type":"unkill","ts":$T,"account":"A"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
           R"(
{"type":"killed","seq":8,"account":"A"}
{"type":"canceled","seq":8,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"kill"}
{"type":"canceled","seq":8,"order_id":2,"account":"A","cl_id":"a2","leaves":16,"reason":"kill"}
{"type":"canceled","seq":8,"order_id":4,"account":"A","cl_id":"a3","leaves":8,"reason":"kill"}
{"type":"canceled","seq":8,"order_id":5,"account":"A","cl_id":"a4","leaves":24,"reason":"kill"}
{"type":"canceled","seq":8,"order_id":7,"account":"A","cl_id":"a5","leaves":8,"reason":"kill"}
{"type":"rejected","seq":9,"account":"A","cl_id":"a1","reason":"killed"}
{"type":"replace_rejected","seq":10,"account":"A","cl_id":"a1","reason":"killed"}
{"type":"cancel_rejected","seq":11,"account":"A","cl_id":"a2","reason":"unknown_order"}
{"type":"killed","seq":13,"account":"A"}
{"type":"accepted","seq":14,"order_id":14,"account":"C","cl_id":"c1","instrument":"$I","side":"sell","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":14,"match":1,"instrument":"$I","price":"2.0000","qty":8,"buy_order_id":3,"sell_order_id":14,"buy_account":"B","sell_account":"C","aggressor":"sell","buy_leaves":0,"sell_leaves":0}
{"type":"unkilled","seq":15,"account":"A"}
{"type":"unkilled","seq":16,"account":"A"}
{"type":"accepted","seq":17,"order_id":17,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("kill: an account never seen before, expiries come before the killed event", "[scenario][kill]") {
  expect_events(R"(
{"type":"kill","ts":$T,"account":"Z"}
{"type":"new","ts":$T,"account":"Z","cl_id":"z1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+10}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"kill","ts":$T+10,"account":"A"}
{"type":"unkill","ts":$T+10,"account":"Z"}
{"type":"new","ts":$T+10,"account":"Z","cl_id":"z1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"killed","seq":1,"account":"Z"}
{"type":"rejected","seq":2,"account":"Z","cl_id":"z1","reason":"killed"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtd","expire_ts":$T+10,"post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"expired","seq":5,"ts":$T+10,"order_id":3,"account":"A","cl_id":"a1","leaves":8,"reason":"gtd"}
{"type":"killed","seq":5,"account":"A"}
{"type":"canceled","seq":5,"order_id":4,"account":"A","cl_id":"a2","leaves":8,"reason":"kill"}
{"type":"unkilled","seq":6,"account":"Z"}
{"type":"accepted","seq":7,"order_id":7,"account":"Z","cl_id":"z1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}
