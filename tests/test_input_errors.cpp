// docs/order-log.md "Input errors and rejections": what is an input error (false, a message, nothing printed for the bad
// line, earlier lines' events kept) and what is not (blank lines, unknown fields, bad_price).
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <memory>
#include <vector>

#include "tests/support/scenario.hpp"

using namespace gpux::test;

namespace {

const std::string kFirst = expand(
    R"({"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8})");
const json kFirstAccepted = json::parse(expand(
    R"({"type":"accepted","seq":1,"ts":$T,"order_id":1,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"})"));

struct Bad {
  const char* what;
  std::string line;  // shorthands already expanded where wanted
};

// Each bad line comes after one valid `new`: it must be an input error on line 2 with a message,
// and the first line's event must have come out.
void check_input_errors(const std::vector<Bad>& cases) {
  for (const Bad& c : cases) {
    INFO("case: " << c.what << "\n  line: " << c.line);
    Scenario s;
    RunResult r = s.run_raw({kFirst, c.line});
    CHECK(r.error_line == 2);
    CHECK(!r.error.empty());
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0] == kFirstAccepted);
  }
}

// A `new` line (shorthands expanded) with `fields` after "type" and "ts".
std::string nw(const std::string& fields) { return expand(R"({"type":"new","ts":$T,)" + fields + "}"); }
// The usual valid fields of a new, to which a case adds or in which it replaces one.
const std::string kAcct = R"("account":"A",)";
const std::string kCl = R"("cl_id":"c2",)";
const std::string kInst = R"("instrument":"$I",)";
const std::string kSide = R"("side":"buy",)";
const std::string kPrice = R"("price":"2.0",)";
const std::string kQty = R"("qty":8)";
const std::string kAll = kAcct + kCl + kInst + kSide + kPrice + kQty;

}  // namespace

TEST_CASE("input: not JSON, not an object, truncated, trailing garbage", "[input]") {
  check_input_errors({
      {"plain text", "not json"},
      {"open brace", "{"},
      {"truncated object", expand(R"({"type":"clock","ts":$T)")},
      {"trailing garbage", expand(R"({"type":"clock","ts":$T} x)")},
      {"two objects", expand(R"({"type":"clock","ts":$T}{"type":"clock","ts":$T})")},
      {"trailing comma", expand(R"({"type":"clock","ts":$T,})")},
      {"single quotes", expand(R"({'type':'clock','ts':$T})")},
      {"unquoted key", expand(R"({type:"clock","ts":$T})")},
      {"array", "[1,2]"},
      {"array of a command", expand(R"([{"type":"clock","ts":$T}])")},
      {"number", "42"},
      {"string", R"("clock")"},
      {"null", "null"},
      {"true", "true"},
      {"empty object", "{}"},
      {"leading-zero number", expand(R"({"type":"clock","ts":0$T})")},
  });
}

TEST_CASE("input: type and ts missing or wrong", "[input]") {
  check_input_errors({
      {"no type", expand(R"({"ts":$T})")},
      {"no ts", R"({"type":"clock"})"},
      {"type is a number", expand(R"({"type":5,"ts":$T})")},
      {"type is null", expand(R"({"type":null,"ts":$T})")},
      {"unknown type", expand(R"({"type":"bogus","ts":$T})")},
      {"upper-case type", expand(R"({"type":"CLOCK","ts":$T})")},
      {"type 'order'", expand(R"({"type":"order","ts":$T})")},
      {"ts as a string", expand(R"({"type":"clock","ts":"$T"})")},
      {"ts as a float", R"({"type":"clock","ts":1.7952192e18})"},
      {"ts with a fraction", expand(R"({"type":"clock","ts":$T.5})")},
      {"ts null", R"({"type":"clock","ts":null})"},
      {"ts above int64", R"({"type":"clock","ts":9223372036854775808})"},
      {"ts huge", R"({"type":"clock","ts":123456789012345678901234567890})"},
      {"ts 1e400", R"({"type":"clock","ts":1e400})"},
      {"ts decreasing", expand(R"({"type":"clock","ts":$T-1})")},
      {"ts decreasing a lot", R"({"type":"clock","ts":0})"},
  });
}

TEST_CASE("input: seq rules", "[input]") {
  check_input_errors({
      {"seq equal to the previous", expand(R"({"type":"clock","seq":1,"ts":$T})")},
      {"seq below the previous", expand(R"({"type":"clock","seq":0,"ts":$T})")},
      {"seq negative", expand(R"({"type":"clock","seq":-1,"ts":$T})")},
      {"seq as a string", expand(R"({"type":"clock","seq":"2","ts":$T})")},
      {"seq as a float", expand(R"({"type":"clock","seq":2.0,"ts":$T})")},
      {"seq null", expand(R"({"type":"clock","seq":null,"ts":$T})")},
      {"seq above int64", expand(R"({"type":"clock","seq":9223372036854775808,"ts":$T})")},
      {"seq uint64 max", expand(R"({"type":"clock","seq":18446744073709551615,"ts":$T})")},
  });
  SECTION("an explicit seq of 0 or less on the first line") {
    for (const char* line : {R"({"type":"clock","seq":0,"ts":1})", R"({"type":"clock","seq":-5,"ts":1})"}) {
      INFO(line);
      RunResult r = Scenario().run_raw({line});
      CHECK(r.error_line == 1);
      CHECK(!r.error.empty());
      CHECK(r.events.empty());
    }
  }
  SECTION("after an explicit seq the implicit one continues, a later explicit seq must exceed it") {
    Scenario s;
    RunResult r = s.run(R"({"type":"clock","seq":5,"ts":$T}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"clock","seq":6,"ts":$T})");
    CHECK(r.error_line == 3);
    CHECK(!r.error.empty());
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].value("seq", 0) == 6);
    CHECK(r.events[0].value("order_id", 0) == 6);
  }
  SECTION("gaps in seq and equal ts are fine") {
    expect_events(R"({"type":"clock","seq":3,"ts":$T}
{"type":"clock","seq":100,"ts":$T}
{"type":"new","seq":1000,"ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8})",
                  R"({"type":"accepted","seq":1000,"order_id":1000,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"})");
  }
}

TEST_CASE("input: new with a required field missing", "[input]") {
  check_input_errors({
      {"no account", nw(kCl + kInst + kSide + kPrice + kQty)},
      {"no cl_id", nw(kAcct + kInst + kSide + kPrice + kQty)},
      {"no instrument", nw(kAcct + kCl + kSide + kPrice + kQty)},
      {"no side", nw(kAcct + kCl + kInst + kPrice + kQty)},
      {"no qty", nw(kAcct + kCl + kInst + kSide + R"("price":"2.0")")},
  });
}

TEST_CASE("input: new with a JSON value of the wrong type", "[input]") {
  const std::string base = kAcct + kCl + kInst + kSide + kPrice;  // no qty
  const std::string no_price = kAcct + kCl + kInst + kSide;
  check_input_errors({
      {"qty as a string", nw(base + R"("qty":"8")")},
      {"qty as a float", nw(base + R"("qty":8.0)")},
      {"qty 8.5", nw(base + R"("qty":8.5)")},
      {"qty exponent", nw(base + R"("qty":8e0)")},
      {"qty null", nw(base + R"("qty":null)")},
      {"qty bool", nw(base + R"("qty":true)")},
      {"qty array", nw(base + R"("qty":[8])")},
      {"qty object", nw(base + R"("qty":{"v":8})")},
      {"qty above int64", nw(base + R"("qty":9223372036854775808)")},
      {"qty below int64", nw(base + R"("qty":-9223372036854775809)")},
      {"qty huge", nw(base + R"("qty":123456789012345678901234567890)")},
      {"qty 1e400", nw(base + R"("qty":1e400)")},
      {"price as a float", nw(no_price + R"("price":2.1,"qty":8)")},
      {"price as an integer", nw(no_price + R"("price":2,"qty":8)")},
      {"price null", nw(no_price + R"("price":null,"qty":8)")},
      {"price bool", nw(no_price + R"("price":true,"qty":8)")},
      {"price array", nw(no_price + R"("price":["2.0"],"qty":8)")},
      {"market price as a number", nw(no_price + R"("order_type":"market","price":2.1,"qty":8)")},
      {"side BUY", nw(kAcct + kCl + kInst + R"("side":"BUY",)" + kPrice + kQty)},
      {"side hold", nw(kAcct + kCl + kInst + R"("side":"hold",)" + kPrice + kQty)},
      {"side number", nw(kAcct + kCl + kInst + R"("side":1,)" + kPrice + kQty)},
      {"side null", nw(kAcct + kCl + kInst + R"("side":null,)" + kPrice + kQty)},
      {"order_type stop", nw(kAll + R"(,"order_type":"stop")")},
      {"order_type LIMIT", nw(kAll + R"(,"order_type":"LIMIT")")},
      {"order_type number", nw(kAll + R"(,"order_type":0)")},
      {"order_type null", nw(kAll + R"(,"order_type":null)")},
      {"tif day", nw(kAll + R"(,"tif":"day")")},
      {"tif GTC", nw(kAll + R"(,"tif":"GTC")")},
      {"tif number", nw(kAll + R"(,"tif":1)")},
      {"tif null", nw(kAll + R"(,"tif":null)")},
      {"stp none", nw(kAll + R"(,"stp":"none")")},
      {"stp cancel_newest", nw(kAll + R"(,"stp":"cancel_newest")")},
      {"stp null", nw(kAll + R"(,"stp":null)")},
      {"post_only string", nw(kAll + R"(,"post_only":"true")")},
      {"post_only number", nw(kAll + R"(,"post_only":1)")},
      {"post_only null", nw(kAll + R"(,"post_only":null)")},
      {"expire_ts string", nw(kAll + R"(,"tif":"gtd","expire_ts":"1795219300000000000")")},
      {"expire_ts float", nw(kAll + R"(,"tif":"gtd","expire_ts":1.5)")},
      {"expire_ts above int64", nw(kAll + R"(,"tif":"gtd","expire_ts":9223372036854775808)")},
      {"expire_ts null", nw(kAll + R"(,"tif":"gtd","expire_ts":null)")},
      {"min_qty string", nw(kAll + R"(,"min_qty":"8")")},
      {"min_qty float", nw(kAll + R"(,"min_qty":8.5)")},
      {"min_qty null", nw(kAll + R"(,"min_qty":null)")},
      {"display_qty string", nw(kAll + R"(,"display_qty":"8")")},
      {"display_qty float", nw(kAll + R"(,"display_qty":8.0)")},
      {"display_qty above int64", nw(kAll + R"(,"display_qty":99999999999999999999)")},
      {"instrument number", nw(kAcct + kCl + R"("instrument":5,)" + kSide + kPrice + kQty)},
      {"instrument null", nw(kAcct + kCl + R"("instrument":null,)" + kSide + kPrice + kQty)},
  });
}

TEST_CASE("input: account and cl_id syntax", "[input]") {
  const std::string rest = kInst + kSide + kPrice + kQty;
  check_input_errors({
      {"account number", nw(R"("account":5,)" + kCl + rest)},
      {"account null", nw(R"("account":null,)" + kCl + rest)},
      {"account empty", nw(R"("account":"",)" + kCl + rest)},
      {"account 33 chars", nw(R"("account":")" + std::string(33, 'a') + "\"," + kCl + rest)},
      {"account with a space", nw(R"("account":"a b",)" + kCl + rest)},
      {"account with a slash", nw(R"("account":"a/b",)" + kCl + rest)},
      {"account with '@'", nw(R"("account":"a@b",)" + kCl + rest)},
      {"account non-ASCII", nw(R"("account":"é",)" + kCl + rest)},
      {"account escaped NUL", nw(R"("account":"a\u0000",)" + kCl + rest)},
      {"cl_id number", nw(kAcct + R"("cl_id":5,)" + rest)},
      {"cl_id null", nw(kAcct + R"("cl_id":null,)" + rest)},
      {"cl_id empty", nw(kAcct + R"("cl_id":"",)" + rest)},
      {"cl_id 37 chars", nw(kAcct + R"("cl_id":")" + std::string(37, 'c') + "\"," + rest)},
      {"cl_id control char", nw(kAcct + R"("cl_id":"a\u0001",)" + rest)},
      {"cl_id tab", nw(kAcct + R"("cl_id":"a\tb",)" + rest)},
      {"cl_id newline escape", nw(kAcct + R"("cl_id":"a\nb",)" + rest)},
      {"cl_id DEL", nw(kAcct + R"("cl_id":"a\u007f",)" + rest)},
      {"cl_id non-ASCII", nw(kAcct + R"("cl_id":"é",)" + rest)},
      {"cl_id non-ASCII escaped", nw(kAcct + R"("cl_id":"\u00e9",)" + rest)},
  });
}

TEST_CASE("input: account and cl_id at their limits are fine and echoed exactly", "[input]") {
  const std::string acct(32, 'Z');
  const std::string cl = std::string(34, 'x') + "~ ";  // 36 printable characters
  Scenario s;
  const std::string line = expand(R"({"type":"new","ts":$T,"account":")" + acct + R"(","cl_id":")" + cl +
                                  R"(","instrument":"$I","side":"buy","price":"2.0","qty":8})");
  const std::string line2 = expand(
      R"({"type":"new","ts":$T,"account":"a-b_c.D9","cl_id":"q\"uo\\te/ {}","instrument":"$I","side":"buy","price":"2.0","qty":8})");
  RunResult r = s.run_raw({line, line2});
  CHECK(r.error_line == 0);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].value("account", "") == acct);
  CHECK(r.events[0].value("cl_id", "") == cl);
  CHECK(r.events[0].value("type", "") == "accepted");
  CHECK(r.events[1].value("account", "") == "a-b_c.D9");
  CHECK(r.events[1].value("cl_id", "") == "q\"uo\\te/ {}");
  CHECK(r.events[1].value("type", "") == "accepted");
}

TEST_CASE("input: instrument and product strings over 64 bytes", "[input]") {
  // 25 + 39 + 1 = 65 characters, canonical otherwise.
  const std::string long65 = "H100.MEM1@2026-12-01T00Z+" + std::string(1, '1') + std::string(38, '0') + "h";
  REQUIRE(long65.size() == 65);
  const std::string p65(65, 'P');
  check_input_errors({
      {"new instrument 65 bytes", nw(kAcct + kCl + R"("instrument":")" + long65 + "\"," + kSide + kPrice + kQty)},
      {"mass_cancel instrument 65 bytes", expand(R"({"type":"mass_cancel","ts":$T,"account":"A","instrument":")" + long65 + "\"}")},
      {"mass_cancel product 65 bytes", expand(R"({"type":"mass_cancel","ts":$T,"account":"A","product":")" + p65 + "\"}")},
      {"halt instrument 65 bytes", expand(R"({"type":"halt","ts":$T,"instrument":")" + long65 + "\"}")},
      {"halt product 65 bytes", expand(R"({"type":"halt","ts":$T,"product":")" + p65 + "\"}")},
      {"resume product 65 bytes", expand(R"({"type":"resume","ts":$T,"product":")" + p65 + "\"}")},
  });
  SECTION("64 bytes is a rejection or an event, not an input error") {
    const std::string long64 = "H100.MEM1@2026-12-01T00Z+" + std::string(1, '1') + std::string(37, '0') + "h";
    REQUIRE(long64.size() == 64);
    const std::string p64(64, 'P');
    expect_events(nw(kAcct + kCl + R"("instrument":")" + long64 + "\"," + kSide + kPrice + kQty) + "\n" +
                      expand(R"({"type":"halt","ts":$T,"product":")" + p64 + "\"}"),
                  R"({"type":"rejected","seq":1,"account":"A","cl_id":"c2","reason":"bad_window"}
{"type":"halted","seq":2,"product":")" + p64 + "\"}");
  }
}

TEST_CASE("input: cancel, replace, mass_cancel, halt, kill with required fields missing or wrong", "[input]") {
  check_input_errors({
      {"cancel without account", expand(R"({"type":"cancel","ts":$T,"cl_id":"a1"})")},
      {"cancel without cl_id or order_id", expand(R"({"type":"cancel","ts":$T,"account":"A"})")},
      {"cancel order_id string", expand(R"({"type":"cancel","ts":$T,"account":"A","order_id":"1"})")},
      {"cancel order_id float", expand(R"({"type":"cancel","ts":$T,"account":"A","order_id":1.0})")},
      {"cancel order_id above int64", expand(R"({"type":"cancel","ts":$T,"account":"A","order_id":18446744073709551615})")},
      {"cancel order_id null", expand(R"({"type":"cancel","ts":$T,"account":"A","order_id":null})")},
      {"cancel cl_id 37 chars", expand(R"({"type":"cancel","ts":$T,"account":"A","cl_id":")" + std::string(37, 'c') + "\"}")},
      {"cancel cl_id empty", expand(R"({"type":"cancel","ts":$T,"account":"A","cl_id":""})")},
      {"cancel account bad", expand(R"({"type":"cancel","ts":$T,"account":"A B","cl_id":"a1"})")},
      {"replace without price", expand(R"({"type":"replace","ts":$T,"account":"A","cl_id":"a1","qty":8})")},
      {"replace without qty", expand(R"({"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0"})")},
      {"replace without cl_id or order_id", expand(R"({"type":"replace","ts":$T,"account":"A","price":"2.0","qty":8})")},
      {"replace without account", expand(R"({"type":"replace","ts":$T,"cl_id":"a1","price":"2.0","qty":8})")},
      {"replace price as a number", expand(R"({"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":2.0,"qty":8})")},
      {"replace qty as a string", expand(R"({"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":"8"})")},
      {"replace qty null", expand(R"({"type":"replace","ts":$T,"account":"A","cl_id":"a1","price":"2.0","qty":null})")},
      {"replace new_cl_id empty", expand(R"({"type":"replace","ts":$T,"account":"A","cl_id":"a1","new_cl_id":"","price":"2.0","qty":8})")},
      {"replace new_cl_id 37 chars", expand(R"({"type":"replace","ts":$T,"account":"A","cl_id":"a1","new_cl_id":")" + std::string(37, 'n') + R"(","price":"2.0","qty":8})")},
      {"replace new_cl_id number", expand(R"({"type":"replace","ts":$T,"account":"A","cl_id":"a1","new_cl_id":7,"price":"2.0","qty":8})")},
      {"mass_cancel without account", expand(R"({"type":"mass_cancel","ts":$T})")},
      {"mass_cancel account bad", expand(R"({"type":"mass_cancel","ts":$T,"account":""})")},
      {"mass_cancel instrument number", expand(R"({"type":"mass_cancel","ts":$T,"account":"A","instrument":1})")},
      {"mass_cancel product null", expand(R"({"type":"mass_cancel","ts":$T,"account":"A","product":null})")},
      {"halt without a target", expand(R"({"type":"halt","ts":$T})")},
      {"resume without a target", expand(R"({"type":"resume","ts":$T})")},
      {"halt instrument number", expand(R"({"type":"halt","ts":$T,"instrument":7})")},
      {"kill without account", expand(R"({"type":"kill","ts":$T})")},
      {"kill account bad", expand(R"({"type":"kill","ts":$T,"account":"a b"})")},
      {"unkill without account", expand(R"({"type":"unkill","ts":$T})")},
      {"unkill account number", expand(R"({"type":"unkill","ts":$T,"account":1})")},
  });
}

TEST_CASE("input: invalid UTF-8 and random bytes", "[input]") {
  check_input_errors({
      {"0xff bytes", "\xff\xfe\xfd"},
      {"invalid UTF-8 in cl_id", expand(R"({"type":"new","ts":$T,"account":"A","cl_id":"a)" "\xc3\x28" R"(","instrument":"$I","side":"buy","price":"2.0","qty":8})")},
      {"invalid UTF-8 in an unknown field", expand(R"({"type":"clock","ts":$T,"note":")" "\xc3\x28" R"("})")},
      {"overlong UTF-8 encoding", expand(R"({"type":"clock","ts":$T,"note":")" "\xc0\xaf" R"("})")},
      {"UTF-8 surrogate", expand(R"({"type":"clock","ts":$T,"note":")" "\xed\xa0\x80" R"("})")},
      {"truncated UTF-8 sequence", expand(R"({"type":"clock","ts":$T,"note":")" "\xe2\x82" R"("})")},
      {"lone continuation byte", expand(R"({"type":"clock","ts":$T,"note":")" "\x80" R"("})")},
      {"raw control char in a string", expand(R"({"type":"clock","ts":$T,"note":"a)" "\x01" R"("})")},
      {"NUL after the object", expand(R"({"type":"clock","ts":$T})") + std::string(1, '\0')},
      {"NUL inside the object", expand(R"({"type":"clock",)") + std::string(1, '\0') + expand(R"("ts":$T})")},
      {"binary junk", std::string("\x00\x01\x02\x03{\x7f}", 8)},
  });
}

TEST_CASE("input: fuzzed lines never crash, an error always has a message", "[input]") {
  std::mt19937 rng(12345);
  const std::vector<std::string> seeds = {
      kFirst,
      expand(R"({"type":"replace","ts":$T,"account":"A","cl_id":"a1","new_cl_id":"a2","price":"2.05","qty":16})"),
      expand(R"({"type":"cancel","ts":$T,"account":"A","order_id":1})"),
      expand(R"({"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","order_type":"market","qty":8,"tif":"fok","min_qty":8,"stp":"cancel_both"})"),
      expand(R"({"type":"halt","ts":$T,"product":"H100.MEM1"})"),
  };
  std::unique_ptr<Scenario> s;
  for (int i = 0; i < 3000; ++i) {
    std::string line;
    if (i % 3 == 0) {
      const std::size_t n = rng() % 80;
      for (std::size_t k = 0; k < n; ++k) line += static_cast<char>(rng() % 256);
    } else {
      line = seeds[rng() % seeds.size()];
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !line.empty(); ++e) {
        const std::size_t pos = rng() % line.size();
        switch (rng() % 3) {
          case 0: line[pos] = static_cast<char>(rng() % 256); break;
          case 1: line.erase(pos, 1); break;
          default: line.insert(pos, 1, static_cast<char>(rng() % 256)); break;
        }
      }
    }
    line.erase(std::remove(line.begin(), line.end(), '\n'), line.end());
    // A fresh engine now and then; in between, lines that pass change its state, which is fine.
    if (i % 50 == 0) {
      s = std::make_unique<Scenario>();
      std::string first;
      REQUIRE(s->replayer().line(kFirst, first));
    }
    std::string out;
    const bool ok = s->replayer().line(line, out);
    if (!ok) {
      INFO("line: " << line);
      CHECK(!s->replayer().error().empty());
      CHECK(out.empty());
    }
  }
}

TEST_CASE("input: very long and deeply nested lines do not crash", "[input]") {
  Scenario s;
  std::string out;
  const std::string long_note = expand(R"({"type":"clock","ts":$T,"note":")") + std::string(1 << 20, 'x') + "\"}";
  const bool ok = s.replayer().line(long_note, out);
  if (!ok) CHECK(!s.replayer().error().empty());
  CHECK(out.empty());
  const std::string deep = expand(R"({"type":"clock","ts":$T,"note":)") + std::string(100000, '[') +
                           std::string(100000, ']') + "}";
  out.clear();
  const bool ok2 = s.replayer().line(deep, out);
  if (!ok2) CHECK(!s.replayer().error().empty());
  CHECK(out.empty());
  const std::string huge_cl = expand(R"({"type":"new","ts":$T,"account":"A","cl_id":")") + std::string(1 << 20, 'c') +
                              expand(R"(","instrument":"$I","side":"buy","price":"2.0","qty":8})");
  out.clear();
  CHECK_FALSE(s.replayer().line(huge_cl, out));
  CHECK(!s.replayer().error().empty());
  CHECK(out.empty());
}

// ---------------------------------------------------------------------------------------------
// Not input errors

TEST_CASE("input: blank lines are skipped and use no seq", "[input]") {
  Scenario s;
  RunResult r = s.run_raw({"", kFirst, "   ", "\t", "",
                           expand(R"({"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":8})")});
  CHECK(r.error_line == 0);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0] == kFirstAccepted);
  CHECK(r.events[1].value("seq", 0) == 2);
  CHECK(r.events[1].value("order_id", 0) == 2);
}

TEST_CASE("input: whitespace around the object, and a CR line ending, are fine", "[input]") {
  Scenario s;
  RunResult r = s.run_raw({"  " + kFirst + "  \t",
                           expand(R"({"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":8})") + "\r"});
  CHECK(r.error_line == 0);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0] == kFirstAccepted);
  CHECK(r.events[1].value("order_id", 0) == 2);
}

TEST_CASE("input: unknown fields and fields of other command types are ignored", "[input]") {
  expect_events(R"({"type":"clock","ts":$T,"foo":{"bar":[1,2,null]},"qty":"x","price":5,"account":"","cl_id":7,"side":"up"}
{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8,"order_id":"x","new_cl_id":5,"product":7,"extra":null}
{"type":"cancel","ts":$T,"account":"A","order_id":2,"price":5,"qty":"x","side":null,"instrument":4}
{"type":"halt","ts":$T,"product":"H200.MEM1","account":5,"qty":null}
{"type":"kill","ts":$T,"account":"B","instrument":false,"cl_id":""}
{"type":"mass_cancel","ts":$T,"account":"A","cl_id":3,"price":1.5})",
                R"({"type":"accepted","seq":2,"order_id":2,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","order_type":"limit","price":"2.0000","qty":8,"tif":"gtc","post_only":false,"stp":"cancel_resting"}
{"type":"canceled","seq":3,"order_id":2,"account":"A","cl_id":"a1","leaves":8,"reason":"user"}
{"type":"halted","seq":4,"product":"H200.MEM1"}
{"type":"killed","seq":5,"account":"B"})");
}

TEST_CASE("input: int64 extremes and odd price strings are rejections, not input errors", "[input]") {
  expect_events(R"({"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":9223372036854775807}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":-9223372036854775808}
{"type":"new","ts":$T,"account":"A","cl_id":"a3","instrument":"$I","side":"buy","price":"two","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a4","instrument":"$I","side":"buy","price":"1e3","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a5","instrument":"$I","side":"buy","price":"99999999999999999999999999","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a6","instrument":"$I","side":"buy","price":"","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a7","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":-9223372036854775808}
{"type":"new","ts":$T,"account":"A","cl_id":"a8","instrument":"$I","side":"buy","price":"2.0","qty":8,"min_qty":9223372036854775807}
{"type":"new","ts":$T,"account":"A","cl_id":"a9","instrument":"$I","side":"buy","price":"2.0","qty":16,"display_qty":-9223372036854775808}
{"type":"replace","ts":$T,"account":"A","order_id":9223372036854775807,"price":"x","qty":-9223372036854775808})",
                R"({"type":"rejected","seq":1,"account":"A","cl_id":"a1","reason":"bad_qty"}
{"type":"rejected","seq":2,"account":"A","cl_id":"a2","reason":"bad_qty"}
{"type":"rejected","seq":3,"account":"A","cl_id":"a3","reason":"bad_price"}
{"type":"rejected","seq":4,"account":"A","cl_id":"a4","reason":"bad_price"}
{"type":"rejected","seq":5,"account":"A","cl_id":"a5","reason":"bad_price"}
{"type":"rejected","seq":6,"account":"A","cl_id":"a6","reason":"bad_price"}
{"type":"rejected","seq":7,"account":"A","cl_id":"a7","reason":"bad_tif"}
{"type":"rejected","seq":8,"account":"A","cl_id":"a8","reason":"bad_min_qty"}
{"type":"rejected","seq":9,"account":"A","cl_id":"a9","reason":"bad_display_qty"}
{"type":"replace_rejected","seq":10,"account":"A","order_id":9223372036854775807,"reason":"unknown_order"})");
}

TEST_CASE("input: a bad line prints nothing and the lines before it keep their events", "[input]") {
  Scenario s;
  RunResult r = s.run(R"({"type":"new","ts":$T,"account":"B","cl_id":"b1","instrument":"$I","side":"sell","price":"2.0","qty":8}

{"type":"new","ts":$T,"account":"A","cl_id":"a1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a2","instrument":"$I","side":"buy","price":"2.0","qty":"8"}
{"type":"clock","ts":$T})");
  CHECK(r.error_line == 4);
  CHECK(!r.error.empty());
  REQUIRE(r.events.size() == 3);
  CHECK(r.events[0].value("type", "") == "accepted");
  CHECK(r.events[1].value("type", "") == "accepted");
  CHECK(r.events[2].value("type", "") == "trade");
}
