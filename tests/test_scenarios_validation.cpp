// docs/rules.md "Validation" of `new`: every reason, its boundaries, first-failure-wins precedence,
// canonical symbols (§5), the price band, and the exact field sets of accepted/rejected (§4/§5).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

namespace {

struct Case {
  const char* what;
  const char* fragment;  // the fields after account/cl_id, see new_line()
  const char* reason = nullptr;
};

// A fresh engine, one `new` from A/c1 at $T: the single event must be this rejection.
void check_rejections(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    INFO("case: " << c.what << "  line: " << expand(new_line(c.fragment)));
    expect_events(new_line(c.fragment),
                  std::string(R"({"type":"rejected","seq":1,"account":"A","cl_id":"c1","reason":")") +
                      c.reason + "\"}");
  }
}

}  // namespace

namespace {
// A fresh engine, one `new` from A/c1 at $T: its first event must be `accepted` with order_id 1.
void check_accepted_simple(const std::vector<Case>& cases,
                           const gpux::Catalog& catalog = gpux::Catalog::builtin()) {
  for (const Case& c : cases) {
    INFO("case: " << c.what << "  line: " << expand(new_line(c.fragment)));
    RunResult r = run(new_line(c.fragment), catalog);
    REQUIRE(r.error_line == 0);
    REQUIRE(!r.events.empty());
    INFO("first event: " << r.events[0].dump());
    CHECK(r.events[0].value("type", "") == "accepted");
    CHECK(r.events[0].value("order_id", 0) == 1);
  }
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// Field sets (§4, §5)

TEST_CASE("accepted: plain limit order has exactly the §4 fields with defaults", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("accepted: explicit defaults give the same fields", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("accepted: gtd, post_only, display_qty and stp are echoed", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":24,"tif":"gtd","expire_ts":$T+1000,"post_only":true,"display_qty":8,"stp":"cancel_both"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":24,"tif":"gtd","expire_ts":$T+1000,"post_only":true,"display_qty":8,"stp":"cancel_both"}
)");
}

TEST_CASE("accepted: min_qty only when given, stp cancel_aggressor echoed", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":16,"min_qty":8,"stp":"cancel_aggressor"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"min_qty":8,"stp":"cancel_aggressor"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":16,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
)");
}

TEST_CASE("accepted: ioc echoes its tif and has no expire_ts", "[scenario][validation]") {
  // ioc: no expire_ts, tif echoed; nothing to match -> canceled ioc.
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":8,"tif":"ioc","post_only":false}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":1,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("rejected: account, cl_id and reason only", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":12,"tif":"gtd","expire_ts":$T+5,"min_qty":8,"display_qty":8}
)",
                R"(
{"type":"rejected","seq":1,"account":"A","cl_id":"a1","reason":"bad_qty"}
)");
}

// ---------------------------------------------------------------------------------------------
// seq and order_id (§2, §5)

TEST_CASE("a rejected new uses its seq but gets no order_id", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":0}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"cancel","ts":$T,"account":"A","order_id":2}
{"type":"cancel","ts":$T,"account":"A","order_id":3}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a2","reason":"bad_qty"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"cancel_rejected","seq":4,"account":"A","order_id":2,"reason":"unknown_order"}
{"type":"canceled","seq":5,"order_id":3,"account":"A","cl_id":"a3","leaves":8,"reason":"user"}
)");
}

TEST_CASE("explicit seq sets order_id, an absent seq is the previous + 1", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","seq":10,"ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"clock","seq":20,"ts":$T+1}
{"type":"new","ts":$T+2,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"accepted","seq":10,"order_id":10,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":11,"order_id":11,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":21,"order_id":21,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

// ---------------------------------------------------------------------------------------------
// Every reason, single line on a fresh engine

TEST_CASE("unknown_instrument: syntax, canonical spelling, calendar, product", "[scenario][validation]") {
  check_rejections({
      {"leading zero in N", R"("instrument":"H100.MEM1@2026-12-01T00Z+024h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"leading zeros in N", R"("instrument":"H100.MEM1@2026-12-01T00Z+0024h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"Feb 30", R"("instrument":"H100.MEM1@2026-02-30T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"hour 24", R"("instrument":"H100.MEM1@2026-12-01T24Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"Feb 29 of 2027 (not leap)", R"("instrument":"H100.MEM1@2027-02-29T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"Feb 29 of 2100 (not leap)", R"("instrument":"H100.MEM1@2100-02-29T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"Apr 31", R"("instrument":"H100.MEM1@2027-04-31T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"month 13", R"("instrument":"H100.MEM1@2026-13-01T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"month 00", R"("instrument":"H100.MEM1@2026-00-01T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"day 00", R"("instrument":"H100.MEM1@2026-12-00T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"day 32", R"("instrument":"H100.MEM1@2026-12-32T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"one-digit day", R"("instrument":"H100.MEM1@2026-12-1T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"one-digit hour", R"("instrument":"H100.MEM1@2026-12-01T0Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"minutes given", R"("instrument":"H100.MEM1@2026-12-01T00:00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"no Z", R"("instrument":"H100.MEM1@2026-12-01T00+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"no h", R"("instrument":"H100.MEM1@2026-12-01T00Z+24","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"upper-case H", R"("instrument":"H100.MEM1@2026-12-01T00Z+24H","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"negative N", R"("instrument":"H100.MEM1@2026-12-01T00Z+-1h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"minus instead of plus", R"("instrument":"H100.MEM1@2026-12-01T00Z-24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"space in N", R"("instrument":"H100.MEM1@2026-12-01T00Z+ 24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"trailing space", R"("instrument":"H100.MEM1@2026-12-01T00Z+24h ","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"trailing text", R"("instrument":"H100.MEM1@2026-12-01T00Z+24hx","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"no N", R"("instrument":"H100.MEM1@2026-12-01T00Z+h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"lower-case product", R"("instrument":"h100.mem1@2026-12-01T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"unknown product", R"("instrument":"H100.XXX9@2026-12-01T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"product prefix only", R"("instrument":"H100@2026-12-01T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"empty product", R"("instrument":"@2026-12-01T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"empty product segment", R"("instrument":"H100..MEM1@2026-12-01T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"product only", R"("instrument":"H100.MEM1","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"empty string", R"("instrument":"","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"two @", R"("instrument":"H100.MEM1@@2026-12-01T00Z+24h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"unknown product with +0h", R"("instrument":"NOPE@2026-12-01T00Z+0h","side":"buy","price":"2.0","qty":8)", "unknown_instrument"},
      {"+024h beats everything after it", R"("instrument":"H100.MEM1@2020-12-01T00Z+024h","side":"buy","price":"0","qty":0)", "unknown_instrument"},
  });
}

TEST_CASE("bad_window: hours outside 1..max_hours", "[scenario][validation]") {
  check_rejections({
      {"+0h", R"("instrument":"H100.MEM1@2026-12-01T00Z+0h","side":"buy","price":"2.0","qty":8)", "bad_window"},
      {"max_hours + 1", R"("instrument":"H100.MEM1@2026-12-01T00Z+26281h","side":"buy","price":"2.0","qty":8)", "bad_window"},
      {"N far beyond int64", R"("instrument":"H100.MEM1@2026-12-01T00Z+123456789012345678901234567890h","side":"buy","price":"2.0","qty":8)", "bad_window"},
      {"bad_window beats window_closed", R"("instrument":"H100.MEM1@2020-01-01T00Z+0h","side":"buy","price":"2.0","qty":8)", "bad_window"},
      {"bad_window beats bad_qty/bad_price", R"("instrument":"H100.MEM1@2026-12-01T00Z+0h","side":"buy","price":"x","qty":3)", "bad_window"},
  });
}

TEST_CASE("window_closed and window_too_far", "[scenario][validation]") {
  check_rejections({
      {"window in the past", R"("instrument":"H100.MEM1@2020-01-01T00Z+24h","side":"buy","price":"2.0","qty":8)", "window_closed"},
      {"window started at ts", R"("instrument":"H100.MEM1@2026-11-21T00Z+24h","side":"buy","price":"2.0","qty":8)", "window_closed"},
      {"window_closed beats bad_qty", R"("instrument":"H100.MEM1@2020-01-01T00Z+24h","side":"buy","price":"2.0","qty":3)", "window_closed"},
      {"start one hour past the horizon", R"("instrument":"H100.MEM1@2029-11-20T01Z+1h","side":"buy","price":"2.0","qty":8)", "window_too_far"},
      {"start far past the horizon", R"("instrument":"H100.MEM1@9999-12-31T23Z+1h","side":"buy","price":"2.0","qty":8)", "window_too_far"},
      {"window_too_far beats bad_qty/bad_price", R"("instrument":"H100.MEM1@2030-01-01T00Z+1h","side":"buy","price":"0","qty":0)", "window_too_far"},
  });
}

TEST_CASE("window_closed at exactly start - gate == ts, open one ns earlier", "[scenario][validation]") {
  // $W starts 2026-11-21T01Z; its gate closes at 00:55Z = $G.
  expect_events(R"(
{"type":"new","ts":$G-1,"account":"A","cl_id":"a1","instrument":"$W","side":"buy","price":"2.0","qty":8,"tif":"ioc"}
{"type":"new","ts":$G,"account":"A","cl_id":"a2","instrument":"$W","side":"buy","price":"2.0","qty":8,"tif":"ioc"}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$W","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":1,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"ioc"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a2","reason":"window_closed"}
)");
}

TEST_CASE("window_too_far boundary: start == ts + horizon is allowed", "[scenario][validation]") {
  // $T + 26280 h = 2029-11-20T00Z.
  check_accepted_simple({
      {"start exactly at the horizon", R"("instrument":"H100.MEM1@2029-11-20T00Z+1h","side":"buy","price":"2.0","qty":8)"},
      {"longest window", R"("instrument":"H100.MEM1@2026-12-01T00Z+26280h","side":"buy","price":"2.0","qty":8)"},
      {"shortest window", R"("instrument":"H100.MEM1@2026-12-01T00Z+1h","side":"buy","price":"2.0","qty":8)"},
      {"leap day 2028-02-29", R"("instrument":"H100.MEM1@2028-02-29T00Z+24h","side":"buy","price":"2.0","qty":8)"},
      {"hour 23", R"("instrument":"H100.MEM1@2026-12-31T23Z+24h","side":"buy","price":"2.0","qty":8)"},
      {"other product", R"("instrument":"MI300X.PHX1@2027-01-01T00Z+720h","side":"buy","price":"1.9","qty":8)"},
  });
  // One ns later the horizon window has moved on: start == ts + horizon still holds only at $T.
  expect_events(R"(
{"type":"new","ts":$T+1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2029-11-20T00Z+1h","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T+1,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2029-11-20T01Z+1h","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2029-11-20T00Z+1h","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a2","reason":"window_too_far"}
)");
}

TEST_CASE("the accepted event echoes the canonical instrument of a leap-day window", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2028-02-29T00Z+24h","side":"sell","price":"3.15","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"H100.MEM1@2028-02-29T00Z+24h","side":"sell","order_type":"limit","price":"3.1500","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("bad_qty: <= 0, not a lot multiple, above max_qty", "[scenario][validation]") {
  check_rejections({
      {"zero", R"("instrument":"$I","side":"buy","price":"2.0","qty":0)", "bad_qty"},
      {"negative", R"("instrument":"$I","side":"buy","price":"2.0","qty":-8)", "bad_qty"},
      {"not a lot multiple", R"("instrument":"$I","side":"buy","price":"2.0","qty":12)", "bad_qty"},
      {"below the lot", R"("instrument":"$I","side":"buy","price":"2.0","qty":4)", "bad_qty"},
      {"max_qty + lot", R"("instrument":"$I","side":"buy","price":"2.0","qty":262152)", "bad_qty"},
      {"int64 max", R"("instrument":"$I","side":"buy","price":"2.0","qty":9223372036854775807)", "bad_qty"},
      {"int64 min", R"("instrument":"$I","side":"buy","price":"2.0","qty":-9223372036854775808)", "bad_qty"},
      {"GB200 lot 72, qty 8", R"("instrument":"GB200.MEM1@2026-12-01T00Z+24h","side":"buy","price":"4.5","qty":8)", "bad_qty"},
      {"GB200 lot 72, qty 100", R"("instrument":"GB200.MEM1@2026-12-01T00Z+24h","side":"buy","price":"4.5","qty":100)", "bad_qty"},
      {"bad_qty beats bad_price", R"("instrument":"$I","side":"buy","price":"0","qty":12)", "bad_qty"},
      {"bad_qty beats bad_price (missing)", R"("instrument":"$I","side":"buy","qty":0)", "bad_qty"},
      {"bad_qty beats bad_tif", R"("instrument":"$I","side":"buy","price":"2.0","qty":12,"tif":"gtd")", "bad_qty"},
  });
  check_accepted_simple({
      {"max_qty", R"("instrument":"$I","side":"buy","price":"2.0","qty":262144)"},
      {"one lot", R"("instrument":"$I","side":"buy","price":"2.0","qty":8)"},
      {"GB200 one rack", R"("instrument":"GB200.MEM1@2026-12-01T00Z+24h","side":"buy","price":"4.5","qty":72)"},
      {"GB200 two racks", R"("instrument":"GB200.MEM1@2026-12-01T00Z+24h","side":"buy","price":"4.5","qty":144)"},
  });
}

TEST_CASE("bad_price: missing, <= 0, off tick, bad syntax, overflow, market with price", "[scenario][validation]") {
  check_rejections({
      {"missing", R"("instrument":"$I","side":"buy","qty":8)", "bad_price"},
      {"explicit limit, missing", R"("instrument":"$I","side":"buy","order_type":"limit","qty":8)", "bad_price"},
      {"zero", R"("instrument":"$I","side":"buy","price":"0","qty":8)", "bad_price"},
      {"zero with decimals", R"("instrument":"$I","side":"buy","price":"0.0000","qty":8)", "bad_price"},
      {"minus zero", R"("instrument":"$I","side":"buy","price":"-0","qty":8)", "bad_price"},
      {"negative", R"("instrument":"$I","side":"buy","price":"-2.1000","qty":8)", "bad_price"},
      {"off tick", R"("instrument":"$I","side":"buy","price":"2.1005","qty":8)", "bad_price"},
      {"off tick, one unit", R"("instrument":"$I","side":"buy","price":"2.0001","qty":8)", "bad_price"},
      {"five decimals", R"("instrument":"$I","side":"buy","price":"2.10000","qty":8)", "bad_price"},
      {"not a number", R"("instrument":"$I","side":"buy","price":"abc","qty":8)", "bad_price"},
      {"empty", R"("instrument":"$I","side":"buy","price":"","qty":8)", "bad_price"},
      {"trailing dot", R"("instrument":"$I","side":"buy","price":"2.","qty":8)", "bad_price"},
      {"leading dot", R"("instrument":"$I","side":"buy","price":".5","qty":8)", "bad_price"},
      {"plus sign", R"("instrument":"$I","side":"buy","price":"+2.1","qty":8)", "bad_price"},
      {"exponent", R"("instrument":"$I","side":"buy","price":"2e0","qty":8)", "bad_price"},
      {"comma", R"("instrument":"$I","side":"buy","price":"2,1","qty":8)", "bad_price"},
      {"leading space", R"("instrument":"$I","side":"buy","price":" 2.1","qty":8)", "bad_price"},
      {"trailing space", R"("instrument":"$I","side":"buy","price":"2.1 ","qty":8)", "bad_price"},
      {"two dots", R"("instrument":"$I","side":"buy","price":"2.1.0","qty":8)", "bad_price"},
      {"dollar sign", R"("instrument":"$I","side":"buy","price":"$2.1","qty":8)", "bad_price"},
      {"overflows int64", R"("instrument":"$I","side":"buy","price":"99999999999999999999","qty":8)", "bad_price"},
      {"overflows int64 by one unit", R"("instrument":"$I","side":"buy","price":"922337203685477.5808","qty":8)", "bad_price"},
      {"market with a price", R"("instrument":"$I","side":"buy","order_type":"market","price":"2.1000","qty":8)", "bad_price"},
      {"market with a bad price", R"("instrument":"$I","side":"sell","order_type":"market","price":"abc","qty":8)", "bad_price"},
      {"bad_price beats price_band (off tick, below band)", R"("instrument":"$I","side":"buy","price":"0.0005","qty":8)", "bad_price"},
      {"bad_price beats price_band (off tick, above band)", R"("instrument":"$I","side":"buy","price":"9.9995","qty":8)", "bad_price"},
      {"bad_price beats bad_tif", R"("instrument":"$I","side":"buy","price":"0","qty":8,"tif":"gtd")", "bad_price"},
      {"market with price beats bad_tif", R"("instrument":"$I","side":"buy","order_type":"market","price":"2.1","qty":8,"tif":"gtc")", "bad_price"},
  });
  check_accepted_simple({
      {"two decimals", R"("instrument":"$I","side":"buy","price":"2.15","qty":8)"},
      {"no decimals", R"("instrument":"$I","side":"buy","price":"2","qty":8)"},
      {"leading zeros in the integer part", R"("instrument":"$I","side":"buy","price":"02.1","qty":8)"},
  });
}

TEST_CASE("a price with leading zeros and fewer places is echoed with exactly 4 places", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"002.15","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1500","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("price_band: reference price band boundaries", "[scenario][validation]") {
  // H100.MEM1: ref 2.1000, band 50% -> 1.0500 .. 3.1500.
  check_rejections({
      {"one tick below", R"("instrument":"$I","side":"buy","price":"1.0490","qty":8)", "price_band"},
      {"one tick above", R"("instrument":"$I","side":"sell","price":"3.1510","qty":8)", "price_band"},
      {"far above", R"("instrument":"$I","side":"buy","price":"100","qty":8)", "price_band"},
      {"price_band beats bad_tif", R"("instrument":"$I","side":"buy","price":"5.0","qty":8,"tif":"gtd")", "price_band"},
      {"price_band beats bad_min_qty", R"("instrument":"$I","side":"buy","price":"5.0","qty":8,"min_qty":3)", "price_band"},
      {"H200 below its own band", R"("instrument":"$K","side":"buy","price":"1.4990","qty":8)", "price_band"},
  });
  check_accepted_simple({
      {"lower edge", R"("instrument":"$I","side":"buy","price":"1.0500","qty":8)"},
      {"upper edge", R"("instrument":"$I","side":"sell","price":"3.15","qty":8)"},
      {"H200 lower edge", R"("instrument":"$K","side":"buy","price":"1.5","qty":8)"},
      {"H200 upper edge", R"("instrument":"$K","side":"sell","price":"4.5","qty":8)"},
      {"GB200 upper edge", R"("instrument":"GB200.MEM1@2026-12-01T00Z+24h","side":"sell","price":"6.75","qty":72)"},
  });
}

TEST_CASE("price_band: after a trade the band moves to the last trade price (ceil/floor to tick)", "[scenario][validation]") {
  // Trade at 2.1010: lower = ceil_to_tick(10505) = 1.0510, upper = floor_to_tick(31515) = 3.1510.
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.101","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.101","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"1.0500","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"1.0510","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$I","side":"sell","price":"3.1520","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"$I","side":"sell","price":"3.1510","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a6","instrument":"$J","side":"buy","price":"1.0500","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1010","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1010","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1010","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"rejected","seq":3,"account":"A","cl_id":"a2","reason":"price_band"}
{"type":"accepted","seq":4,"order_id":4,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","order_type":"limit","price":"1.0510","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a4","reason":"price_band"}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"a5","instrument":"$I","side":"sell","order_type":"limit","price":"3.1510","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a6","instrument":"$J","side":"buy","order_type":"limit","price":"1.0500","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("price_band: the most recent trade sets the reference, even far from the first", "[scenario][validation]") {
  // Trades at 1.0500 then 1.5000: band around 1.5 is 0.7500 .. 2.2500.
  Scenario s;
  s.setup(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"1.05","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"1.05","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"sell","price":"1.5","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"1.5","qty":8}
)");
  s.expect(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"0.7490","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$I","side":"buy","price":"0.75","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"$I","side":"sell","price":"2.2510","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a6","instrument":"$I","side":"sell","price":"2.25","qty":8}
)",
           R"(
{"type":"rejected","seq":5,"account":"A","cl_id":"a3","reason":"price_band"}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"a4","instrument":"$I","side":"buy","order_type":"limit","price":"0.7500","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":7,"account":"A","cl_id":"a5","reason":"price_band"}
{"type":"accepted","seq":8,"order_id":8,"account":"A","cl_id":"a6","instrument":"$I","side":"sell","order_type":"limit","price":"2.2500","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("price_band: the band is evaluated once, before matching", "[scenario][validation]") {
  // A buy at 3.15 trades at 1.05; the band then becomes 0.5250..1.5750 but the rest still
  // rests at 3.15, and a later market buy gets the new protection price 1.5750.
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"1.05","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"3.15","qty":16}
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","order_type":"market","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"1.0500","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"3.1500","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"1.0500","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"A","sell_account":"B","aggressor":"buy","buy_leaves":8,"sell_leaves":0}
{"type":"accepted","seq":3,"order_id":3,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","order_type":"market","price":"1.5750","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":3,"account":"C","cl_id":"c1","leaves":8,"reason":"ioc"}
)");
}

TEST_CASE("price_band: ceil/floor to tick of the exact value, custom product", "[scenario][validation]") {
  // ref 2.1110, band 45%, tick 10: exact lower 1.16105 -> ceil to tick 1.1620;
  // exact upper 3.06095 -> floor to tick 3.0600.
  gpux::Catalog cat = gpux::Catalog::builtin();
  gpux::Product p;
  p.id = "TEST.B45";
  p.ref_price = 21110;
  p.band_pct = 45;
  REQUIRE(!cat.add(p).has_value());
  const char* sym = "TEST.B45@2026-12-01T00Z+24h";
  auto frag = [&](const char* side, const char* price) {
    return std::string(R"("instrument":")") + sym + R"(","side":")" + side + R"(","price":")" + price +
           R"(","qty":8)";
  };
  for (auto [side, price, reason] : std::vector<std::tuple<const char*, const char*, const char*>>{
           {"buy", "1.1610", "price_band"},
           {"buy", "1.1620", nullptr},
           {"sell", "3.0600", nullptr},
           {"sell", "3.0610", "price_band"}}) {
    INFO(side << " " << price);
    RunResult r = run(new_line(frag(side, price)), cat);
    REQUIRE(r.error_line == 0);
    REQUIRE(r.events.size() == 1);
    if (reason)
      CHECK(r.events[0] == json::parse(R"({"type":"rejected","seq":1,"ts":1795219200000000000,"account":"A","cl_id":"c1","reason":"price_band"})"));
    else
      CHECK(r.events[0].value("type", "") == "accepted");
  }
}

TEST_CASE("custom product: tick, max_hours, gate and horizon come from the catalog", "[scenario][validation]") {
  gpux::Catalog cat = gpux::Catalog::builtin();
  gpux::Product p;
  p.id = "TEST.X1";
  p.lot = 4;
  p.tick = 25;
  p.ref_price = 20000;  // band 1.0000 .. 3.0000
  p.max_qty = 40;
  p.max_hours = 48;
  p.gate_minutes = 60;
  p.horizon_hours = 100;  // $T + 100 h = 2026-11-25T04Z
  REQUIRE(!cat.add(p).has_value());
  Scenario s(cat);
  s.expect(R"(
{"type":"new","ts":$T-1,"account":"A","cl_id":"a1","instrument":"TEST.X1@2026-11-21T01Z+1h","side":"buy","price":"2.0025","qty":4}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"TEST.X1@2026-11-21T01Z+1h","side":"buy","price":"2.0","qty":4}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"TEST.X1@2026-11-21T02Z+48h","side":"buy","price":"2.0010","qty":4}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"TEST.X1@2026-11-21T02Z+49h","side":"buy","price":"2.0","qty":4}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"TEST.X1@2026-11-25T04Z+48h","side":"buy","price":"2.0","qty":6}
{"type":"new","ts":$T,"account":"A","cl_id":"a6","instrument":"TEST.X1@2026-11-25T05Z+48h","side":"buy","price":"2.0","qty":4}
{"type":"new","ts":$T,"account":"A","cl_id":"a7","instrument":"TEST.X1@2026-11-25T04Z+48h","side":"buy","price":"2.0","qty":44}
{"type":"new","ts":$T,"account":"A","cl_id":"a8","instrument":"TEST.X1@2026-11-25T04Z+48h","side":"buy","price":"3.0","qty":40}
)",
           R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"TEST.X1@2026-11-21T01Z+1h","side":"buy","order_type":"limit","price":"2.0025","qty":4,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"expired","seq":2,"ts":$T,"order_id":1,"account":"A","cl_id":"a1","leaves":4,"reason":"gate_closed"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a2","reason":"window_closed"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a3","reason":"bad_price"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a4","reason":"bad_window"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a5","reason":"bad_qty"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a6","reason":"window_too_far"}
{"type":"rejected","seq":7,"account":"A","cl_id":"a7","reason":"bad_qty"}
{"type":"accepted","seq":8,"order_id":8,"account":"A","cl_id":"a8","instrument":"TEST.X1@2026-11-25T04Z+48h","side":"buy","order_type":"limit","price":"3.0000","qty":40,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("bad_tif: every inconsistency", "[scenario][validation]") {
  check_rejections({
      {"gtd without expire_ts", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd")", "bad_tif"},
      {"gtd with expire_ts == ts", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T)", "bad_tif"},
      {"gtd with expire_ts < ts", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T-1)", "bad_tif"},
      {"expire_ts with default tif", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"expire_ts":$T+1000)", "bad_tif"},
      {"expire_ts with gtc", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtc","expire_ts":$T+1000)", "bad_tif"},
      {"expire_ts with ioc", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"ioc","expire_ts":$T+1000)", "bad_tif"},
      {"expire_ts with fok", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"fok","expire_ts":$T+1000)", "bad_tif"},
      {"post_only with ioc", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"ioc","post_only":true)", "bad_tif"},
      {"post_only with fok", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"fok","post_only":true)", "bad_tif"},
      {"post_only with market", R"("instrument":"$I","side":"buy","order_type":"market","qty":8,"post_only":true)", "bad_tif"},
      {"post_only with min_qty", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"post_only":true,"min_qty":8)", "bad_tif"},
      {"post_only gtd with min_qty", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+9,"post_only":true,"min_qty":8)", "bad_tif"},
      {"market with gtc", R"("instrument":"$I","side":"buy","order_type":"market","qty":8,"tif":"gtc")", "bad_tif"},
      {"market with gtd and expire_ts", R"("instrument":"$I","side":"buy","order_type":"market","qty":8,"tif":"gtd","expire_ts":$T+1000)", "bad_tif"},
      {"market with expire_ts", R"("instrument":"$I","side":"sell","order_type":"market","qty":8,"expire_ts":$T+1000)", "bad_tif"},
      {"bad_tif beats bad_min_qty", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"post_only":true,"min_qty":12)", "bad_tif"},
      {"bad_tif beats bad_display_qty", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","display_qty":3)", "bad_tif"},
  });
  check_accepted_simple({
      {"gtd with expire_ts = ts + 1", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+1)"},
      {"post_only false with ioc", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"ioc","post_only":false)"},
      {"post_only false with market", R"("instrument":"$I","side":"buy","order_type":"market","qty":8,"post_only":false)"},
      {"post_only with gtd", R"("instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+1,"post_only":true)"},
      {"post_only with display_qty", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"post_only":true,"display_qty":8)"},
      {"market with explicit ioc", R"("instrument":"$I","side":"buy","order_type":"market","qty":8,"tif":"ioc")"},
      {"market with fok", R"("instrument":"$I","side":"buy","order_type":"market","qty":8,"tif":"fok")"},
      {"market with min_qty", R"("instrument":"$I","side":"buy","order_type":"market","qty":16,"min_qty":8)"},
  });
}

TEST_CASE("bad_min_qty: not a lot multiple, or not above 0 and at most qty", "[scenario][validation]") {
  check_rejections({
      {"not a lot multiple", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"min_qty":12)", "bad_min_qty"},
      {"zero", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"min_qty":0)", "bad_min_qty"},
      {"negative", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"min_qty":-8)", "bad_min_qty"},
      {"above qty", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"min_qty":24)", "bad_min_qty"},
      {"with ioc", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"tif":"ioc","min_qty":4)", "bad_min_qty"},
      {"with fok", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"tif":"fok","min_qty":24)", "bad_min_qty"},
      {"GB200 lot 72", R"("instrument":"GB200.MEM1@2026-12-01T00Z+24h","side":"buy","price":"4.5","qty":144,"min_qty":8)", "bad_min_qty"},
      {"bad_min_qty beats bad_display_qty", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"min_qty":0,"display_qty":3)", "bad_min_qty"},
  });
}

TEST_CASE("bad_display_qty: not a lot multiple, outside (0, qty), with ioc/fok/market", "[scenario][validation]") {
  check_rejections({
      {"not a lot multiple", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"display_qty":4)", "bad_display_qty"},
      {"zero", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"display_qty":0)", "bad_display_qty"},
      {"negative", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"display_qty":-8)", "bad_display_qty"},
      {"equal to qty", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"display_qty":16)", "bad_display_qty"},
      {"above qty", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"display_qty":24)", "bad_display_qty"},
      {"with ioc", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"tif":"ioc","display_qty":8)", "bad_display_qty"},
      {"with fok", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"tif":"fok","display_qty":8)", "bad_display_qty"},
      {"with market", R"("instrument":"$I","side":"buy","order_type":"market","qty":16,"display_qty":8)", "bad_display_qty"},
      {"with market fok", R"("instrument":"$I","side":"buy","order_type":"market","qty":16,"tif":"fok","display_qty":8)", "bad_display_qty"},
      {"GB200 lot 72", R"("instrument":"GB200.MEM1@2026-12-01T00Z+24h","side":"buy","price":"4.5","qty":144,"display_qty":8)", "bad_display_qty"},
  });
  check_accepted_simple({
      {"qty - lot", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"display_qty":8)"},
      {"gtd iceberg", R"("instrument":"$I","side":"buy","price":"2.0","qty":16,"tif":"gtd","expire_ts":$T+5,"display_qty":8)"},
      {"GB200 rack clip", R"("instrument":"GB200.MEM1@2026-12-01T00Z+24h","side":"buy","price":"4.5","qty":144,"display_qty":72)"},
  });
}

// ---------------------------------------------------------------------------------------------
// Precedence that needs state: killed, halted, duplicate_cl_id, post_only

TEST_CASE("killed beats unknown_instrument and every later reason", "[scenario][validation]") {
  expect_events(R"(
{"type":"kill","ts":$T,"account":"A"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"nonsense","side":"buy","price":"0","qty":0}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"nonsense","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"killed","seq":1,"account":"A"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"killed"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a2","reason":"killed"}
{"type":"rejected","seq":4,"account":"B","cl_id":"b1","reason":"unknown_instrument"}
)");
}

TEST_CASE("halted: after window checks, before bad_qty", "[scenario][validation]") {
  expect_events(R"(
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"0","qty":3}
{"type":"halt","ts":$T,"instrument":"H100.MEM1@2030-01-01T00Z+1h"}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"H100.MEM1@2030-01-01T00Z+1h","side":"buy","price":"2.0","qty":8}
{"type":"halt","ts":$T,"instrument":"H100.MEM1@2020-01-01T00Z+1h"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"H100.MEM1@2020-01-01T00Z+1h","side":"buy","price":"2.0","qty":8}
{"type":"halt","ts":$T,"instrument":"H100.MEM1@2026-12-01T00Z+024h"}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"H100.MEM1@2026-12-01T00Z+024h","side":"buy","price":"2.0","qty":8}
{"type":"halt","ts":$T,"product":"H200.MEM1"}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"$K","side":"buy","price":"99","qty":8,"tif":"gtd"}
{"type":"new","ts":$T,"account":"A","cl_id":"a6","instrument":"H200.MEM1@2026-12-01T00Z+0h","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"halted","seq":1,"instrument":"$I"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"halted"}
{"type":"halted","seq":3,"instrument":"H100.MEM1@2030-01-01T00Z+1h"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a2","reason":"window_too_far"}
{"type":"halted","seq":5,"instrument":"H100.MEM1@2020-01-01T00Z+1h"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a3","reason":"window_closed"}
{"type":"halted","seq":7,"instrument":"H100.MEM1@2026-12-01T00Z+024h"}
{"type":"rejected","seq":8,"account":"A","cl_id":"a4","reason":"unknown_instrument"}
{"type":"halted","seq":9,"product":"H200.MEM1"}
{"type":"rejected","seq":10,"account":"A","cl_id":"a5","reason":"halted"}
{"type":"rejected","seq":11,"account":"A","cl_id":"a6","reason":"bad_window"}
)");
}

TEST_CASE("duplicate_cl_id: only the account's resting orders hold a cl_id", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"1.9","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$J","side":"sell","price":"2.5","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.5","qty":8,"tif":"ioc"}
{"type":"new","ts":$T,"account":"B","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"A1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"accepted","seq":5,"order_id":5,"account":"B","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"A1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("duplicate_cl_id: ioc/fok/market and rejected orders never hold one", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"x","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"ioc"}
{"type":"new","ts":$T,"account":"A","cl_id":"x","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"fok"}
{"type":"new","ts":$T,"account":"A","cl_id":"x","instrument":"$I","side":"buy","order_type":"market","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"x","instrument":"$I","side":"buy","price":"2.0","qty":3}
{"type":"new","ts":$T,"account":"A","cl_id":"x","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"x","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":1,"order_id":1,"account":"A","cl_id":"x","leaves":8,"reason":"ioc"}
{"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"x","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"fok","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":2,"order_id":2,"account":"A","cl_id":"x","leaves":8,"reason":"fok"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"x","instrument":"$I","side":"buy","order_type":"market","price":"3.1500","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":3,"account":"A","cl_id":"x","leaves":8,"reason":"ioc"}
{"type":"rejected","seq":4,"account":"A","cl_id":"x","reason":"bad_qty"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"x","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("duplicate_cl_id: freed after fill, cancel, stp cancel and failed min_qty", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"f","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"f","instrument":"$I","side":"sell","price":"2.2","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"f"}
{"type":"new","ts":$T,"account":"A","cl_id":"f","instrument":"$I","side":"sell","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"g","instrument":"$I","side":"buy","price":"2.2","qty":8,"tif":"ioc"}
{"type":"new","ts":$T,"account":"A","cl_id":"f","instrument":"$I","side":"buy","price":"2.0","qty":16,"min_qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"f","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"f","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"B","sell_account":"A","aggressor":"buy","buy_leaves":0,"sell_leaves":0}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"f","instrument":"$I","side":"sell","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":4,"order_id":3,"account":"A","cl_id":"f","leaves":8,"reason":"user"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"f","instrument":"$I","side":"sell","order_type":"limit","price":"2.2000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":6,"order_id":6,"account":"A","cl_id":"g","instrument":"$I","side":"buy","order_type":"limit","price":"2.2000","qty":8,"tif":"ioc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":6,"order_id":5,"account":"A","cl_id":"f","leaves":8,"reason":"stp"}
{"type":"canceled","seq":6,"order_id":6,"account":"A","cl_id":"g","leaves":8,"reason":"ioc"}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"f","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":16,"tif":"gtc","post_only":false,"min_qty":8,"stp":"cancel_resting"}
{"type":"canceled","seq":7,"order_id":7,"account":"A","cl_id":"f","leaves":16,"reason":"min_qty"}
{"type":"accepted","seq":8,"order_id":8,"account":"A","cl_id":"f","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("duplicate_cl_id: a partially filled resting order still holds its cl_id", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":16}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.2","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"B","sell_account":"A","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
)");
}

TEST_CASE("duplicate_cl_id is checked after this command's expiries", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+100}
{"type":"new","ts":$T+99,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T+100,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtd","expire_ts":$T+100,"post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"expired","seq":3,"ts":$T+100,"order_id":1,"account":"A","cl_id":"a1","leaves":8,"reason":"gtd"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
)");
}

TEST_CASE("bad_display_qty beats duplicate_cl_id, duplicate_cl_id beats post_only", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":16,"display_qty":16}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.0","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"sell","price":"2.0","qty":8,"post_only":true}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a1","reason":"bad_display_qty"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"duplicate_cl_id"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a2","reason":"post_only"}
)");
}

TEST_CASE("post_only: crossing the best contra price is rejected, own orders included", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b2","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.1","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.2","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"2.09","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$I","side":"sell","price":"2.09","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"$I","side":"buy","price":"2.0","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b3","instrument":"$I","side":"sell","price":"2.09","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b4","instrument":"$I","side":"buy","price":"2.1","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"B","cl_id":"b5","instrument":"$J","side":"buy","price":"3.0","qty":8,"post_only":true}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b2","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a1","reason":"post_only"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a2","reason":"post_only"}
{"type":"accepted","seq":5,"order_id":5,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","order_type":"limit","price":"2.0900","qty":8,"tif":"gtc","post_only":true,"stp":"cancel_resting"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a4","reason":"post_only"}
{"type":"accepted","seq":7,"order_id":7,"account":"A","cl_id":"a5","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":true,"stp":"cancel_resting"}
{"type":"rejected","seq":8,"account":"B","cl_id":"b3","reason":"post_only"}
{"type":"rejected","seq":9,"account":"B","cl_id":"b4","reason":"post_only"}
{"type":"accepted","seq":10,"order_id":10,"account":"B","cl_id":"b5","instrument":"$J","side":"buy","order_type":"limit","price":"3.0000","qty":8,"tif":"gtc","post_only":true,"stp":"cancel_resting"}
)");
}

TEST_CASE("post_only: crossing only the account's own order is still rejected", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.1","qty":8,"post_only":true,"stp":"cancel_resting"}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"sell","price":"2.1","qty":8,"post_only":true}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a2","reason":"post_only"}
{"type":"accepted","seq":3,"order_id":3,"account":"A","cl_id":"a3","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":8,"tif":"gtc","post_only":true,"stp":"cancel_resting"}
)");
}

TEST_CASE("post_only iceberg rests showing one clip", "[scenario][validation]") {
  expect_events(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","price":"2.1","qty":24,"post_only":true,"display_qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","price":"2.1","qty":16}
)",
                R"(
{"type":"accepted","seq":1,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"sell","order_type":"limit","price":"2.1000","qty":24,"tif":"gtc","post_only":true,"display_qty":8,"stp":"cancel_resting"}
{"type":"accepted","seq":2,"order_id":2,"account":"B","cl_id":"b1","instrument":"$I","side":"buy","order_type":"limit","price":"2.1000","qty":16,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"trade","seq":2,"match":1,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"B","sell_account":"A","aggressor":"buy","buy_leaves":8,"sell_leaves":16}
{"type":"trade","seq":2,"match":2,"instrument":"$I","price":"2.1000","qty":8,"buy_order_id":2,"sell_order_id":1,"buy_account":"B","sell_account":"A","aggressor":"buy","buy_leaves":0,"sell_leaves":8}
)");
}
