// Per-session cancel-on-disconnect in the engine (issue 14): orders carry the session that
// entered them (Command::session, the journal's record session), a per-session disconnect
// cancels only that session's orders of the account, a session's first command forgets the
// tags an earlier holder of its connection id left, the tags survive a snapshot, and the
// journal's records carry all of it (version 4) while older versions keep the old meaning.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "gateway/storage/record.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/script.hpp"

using namespace gpux;
using gpux::test::Script;

namespace {

Command with_session(Command c, std::uint32_t session, bool start = false) {
  c.session = session;
  c.session_start = start;
  return c;
}

Command disconnect(std::string_view account, std::uint32_t session, bool per_session = true) {
  Command c = make_command(CommandType::disconnect, 0, 0);
  c.account.assign(account);
  c.session = session;
  c.per_session = per_session;
  return c;
}

struct Run {
  Script script;
  Engine engine{Catalog::builtin(), [] {
                  EngineConfig c;
                  c.max_orders = 4096;
                  return c;
                }()};
  Seq seq = 100;
  Ts ts = 0;
  std::string operator()(Command c) {
    c.seq = ++seq;
    if (c.ts == 0) c.ts = ts;  // disconnects: at the time of the orders
    ts = c.ts;
    return gpux::test::run(engine, c);
  }
  Command order(std::string_view cl, std::string_view account = "A") {
    std::string line = R"({"type":"new","ts":$T,"account":")" + std::string(account) + R"(","cl_id":")" +
                       std::string(cl) + R"(","instrument":"$I","side":"buy","price":"2.0","qty":8})";
    return script(line).at(0);
  }
};

std::vector<std::string> canceled(const std::string& events) {
  std::vector<std::string> out;
  for (std::size_t at = 0; (at = events.find("\"canceled\"", at)) != std::string::npos; ++at) {
    const std::size_t cl = events.find("\"cl_id\":\"", at) + 9;
    out.push_back(events.substr(cl, events.find('"', cl) - cl));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("session tags: a per-session disconnect cancels only its session's orders", "[engine][sessions]") {
  Run run;
  run(with_session(run.order("a1"), 1));
  run(with_session(run.order("b1"), 2));
  run(with_session(run.order("a2"), 1));
  run(with_session(run.order("other"), 1, false));
  run(with_session(run.order("c1", "C"), 1));  // another account on the same connection id
  const std::string out = run(disconnect("A", 1));
  CHECK(canceled(out) == std::vector<std::string>{"a1", "a2", "other"});
  CHECK(out.find("\"disconnect\"") != std::string::npos);
  // The account's other session keeps its order; C's order is not A's.
  CHECK(canceled(run(disconnect("A", 2))) == std::vector<std::string>{"b1"});
  CHECK(canceled(run(disconnect("C", 1))) == std::vector<std::string>{"c1"});
}

TEST_CASE("session tags: a session's first command forgets an earlier holder's tags", "[engine][sessions]") {
  Run run;
  run(with_session(run.order("old"), 3));           // a session on connection 3 drops without cancel
  run(with_session(run.order("new"), 3, true));     // the next session on 3: its first command
  CHECK(canceled(run(disconnect("A", 3))) == std::vector<std::string>{"new"});
}

TEST_CASE("session tags: an account-wide disconnect (older journals, order logs) cancels them all", "[engine][sessions]") {
  Run run;
  run(with_session(run.order("a"), 1));
  run(with_session(run.order("b"), 2));
  CHECK(canceled(run(disconnect("A", 9, false))) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("session tags: survive a snapshot", "[engine][sessions][snapshot]") {
  Run run;
  run(with_session(run.order("a"), 1));
  run(with_session(run.order("b"), 2));
  run(with_session(run.order("c"), 1));
  std::vector<std::uint8_t> bytes;
  run.engine.save_state(bytes);
  EngineConfig config;
  config.max_orders = 4096;
  Engine back(Catalog::builtin(), config);
  std::string error;
  REQUIRE(back.load_state(bytes, error));
  std::vector<std::uint8_t> again;
  back.save_state(again);
  CHECK(again == bytes);
  Command d = disconnect("A", 1);
  d.seq = 200;
  d.ts = run.ts;
  const std::string live = gpux::test::run(run.engine, d);
  const std::string restored = gpux::test::run(back, d);
  CHECK(restored == live);
  CHECK(canceled(live) == std::vector<std::string>{"a", "c"});
}

TEST_CASE("session tags: journal records carry them (version 4), older versions do not", "[engine][sessions][journal]") {
  using namespace gpux::storage;
  Run run;
  Command first = with_session(run.order("x"), 7, true);
  first.seq = 5;
  std::vector<std::uint8_t> b;
  append_record(first, 7, b);
  Record r{};
  std::size_t size = 0;
  REQUIRE(read_record(b, r, size) == Check::ok);
  CHECK(r.session == 7);
  CHECK(r.command.session == 7);
  CHECK(r.command.session_start);
  CHECK_FALSE(r.command.per_session);
  // Version 3 has no bit 15: a record claiming session_start there is damage.
  CHECK(read_record(b, r, size, 3) == Check::bad_payload);

  Command d = disconnect("A", 7);
  d.seq = 6;
  b.clear();
  append_record(d, 7, b);
  REQUIRE(read_record(b, r, size) == Check::ok);
  CHECK(r.command.per_session);
  CHECK(r.command.session == 7);
  REQUIRE(read_record(b, r, size, 3) == Check::ok);
  CHECK_FALSE(r.command.per_session);  // before version 4, a disconnect was the whole account's
}
