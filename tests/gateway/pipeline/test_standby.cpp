// A standby's pipeline (docs/replication.md): commands of the replicated log applied with the
// primary's seq and ts, nothing of its own sequenced until promote(), then sequencing from the
// next seq; and the journal thread of a primary publishing before it keeps or releases.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.hpp"
#include "gateway/pipeline/journaler.hpp"
#include "gateway/pipeline/pipeline.hpp"
#include "gateway/storage/reader.hpp"
#include "tests/support/live_orders.hpp"
#include "tests/support/temp_dir.hpp"

using namespace gpux;
using namespace gpux::gateway;
using namespace std::chrono_literals;

namespace {

// What the gateway sees of one event, enough to tell two runs apart.
struct Seen {
  Seq seq;
  EventType type;
  OrderId order_id;
  bool operator==(const Seen&) const = default;
};

// A trade names two orders; every other event type here, one.
Seen seen_of(const Event& e) {
  return {e.seq, e.type, e.type == EventType::trade ? e.buy_order_id * 1'000'000 + e.sell_order_id : e.order_id};
}

// Crossing orders on one window: accepts, trades and cancels, with the log's seqs and ts.
std::vector<Command> log_commands(int n, Seq first_seq, Ts first_ts) {
  const std::string symbol = test::live_symbol("H100.MEM1");
  std::vector<Command> out;
  for (int i = 0; i < n; ++i) {
    const Side side = i % 3 == 0 ? Side::sell : Side::buy;
    Command c = test::live_new(test::live_numbered("r", i), symbol, side, 21000 + (i % 5) * 10, 8);
    c.account.assign(i % 2 ? "acct-a" : "acct-b");
    c.seq = first_seq + i;
    c.ts = first_ts + i * 1000;
    out.push_back(c);
  }
  return out;
}

// The log's first ts: now, so that the live windows (two days ahead) are open.
Ts now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<Seen> direct(const std::vector<Command>& commands) {
  Engine e(Catalog::builtin());
  EventBuffer events;
  std::vector<Seen> out;
  for (const Command& c : commands) {
    events.clear();
    e.process(c, events, nullptr);
    for (const Event& ev : events) out.push_back(seen_of(ev));
  }
  return out;
}

// Drains the pipeline into `out` until `done` holds or 10 s pass.
template <class Done>
bool drain_until(Pipeline& p, std::vector<Seen>& out, Done&& done) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    const std::size_t n = p.drain([&](Outbound& o) {
      if (o.kind == Outbound::Kind::event) {
        Event e;
        o.event.get(o.seq, e);
        out.push_back(seen_of(e));
      } else if (o.kind == Outbound::Kind::rare && o.rare->kind == Rare::Kind::event) {
        out.push_back(seen_of(o.rare->event));
      }
    });
    if (n == 0) std::this_thread::sleep_for(100us);
  }
  return true;
}

}  // namespace

TEST_CASE("standby: applies the log with its seqs, sequences nothing until promoted, then goes on",
          "[standby][journal_threads]") {
  const Ts t0 = now_ns();
  const std::vector<Command> log = log_commands(300, 1, t0);
  Engine engine(Catalog::builtin());
  PipelineConfig pc;
  pc.standby = true;
  pc.replica_capacity = 8;  // the replication thread waits on a full ring
  Pipeline p(engine, pc, [] {});
  REQUIRE_FALSE(p.primary());
  p.start();

  // A command of the gateway's own while a standby: not sequenced, and counted.
  Command own = test::live_new("own-1", test::live_symbol("H100.MEM1"), Side::buy, 21000, 8);
  own.account.assign("acct-a");
  REQUIRE(p.submit(own, 1));
  p.flush_submissions();

  std::thread replication([&] {
    for (const Command& c : log) p.push_replicated(c, 7);
    p.flush_replicated();
  });
  std::vector<Seen> seen;
  const std::vector<Seen> want = direct(log);
  REQUIRE(std::count_if(want.begin(), want.end(), [](const Seen& s) { return s.type == EventType::trade; }) > 50);
  REQUIRE(drain_until(p, seen, [&] { return seen.size() >= want.size(); }));
  replication.join();
  CHECK(seen == want);
  CHECK(p.refused_not_primary() == 1);
  CHECK_FALSE(p.primary());

  REQUIRE(p.promote());
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!p.primary() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(100us);
  REQUIRE(p.primary());
  own.cl_id.assign("own-2");
  REQUIRE(p.submit(own, 1));
  p.flush_submissions();
  seen.clear();
  REQUIRE(drain_until(p, seen, [&] { return !seen.empty(); }));
  p.stop();
  CHECK(seen.front().seq == 301);  // the next seq after the log's last
  CHECK(seen.front().type == EventType::accepted);
  CHECK(p.refused_not_primary() == 1);
}

TEST_CASE("standby: a new exchange's first primary sequences risk on first", "[standby][journal_threads]") {
  Engine engine(Catalog::builtin());
  PipelineConfig pc;
  pc.standby = true;
  pc.risk_on_when_new = true;
  Pipeline p(engine, pc, [] {});
  p.start();
  REQUIRE(p.promote());
  std::vector<Seen> seen;
  REQUIRE(drain_until(p, seen, [&] { return !seen.empty(); }));
  p.stop();
  CHECK(seen.front().seq == 1);
  CHECK(seen.front().type == EventType::risk);
}

TEST_CASE("standby: a primary's journal thread publishes its own commands before it keeps or releases them",
          "[standby][journal_threads]") {
  test::TempDir dir("gpux-standby");
  const Ts t0 = now_ns();
  const std::vector<Command> log = log_commands(50, 1, t0);
  Engine engine(Catalog::builtin());
  PipelineConfig pc;
  pc.standby = true;
  pc.journal = true;
  Pipeline p(engine, pc, [] {});
  JournalConfig jc;
  jc.dir = dir.path();
  jc.durable = false;
  Journaler j(p.journal(), jc, [](std::string_view) {});
  std::string error;
  REQUIRE(j.open(1, error));

  // The fake log: what was published, and whether the next publish is refused (a fenced
  // primary). Output must not be released before the publish returns.
  std::mutex m;
  std::vector<RecordRun> published;
  std::atomic<bool> refuse{false};
  std::atomic<Seq> released_at_publish{-1};
  j.replicate([&](std::span<const std::uint8_t> bytes, std::span<const RecordRun> runs, std::string& why) {
    released_at_publish = p.released_seq();
    std::lock_guard lock(m);
    for (const RecordRun& r : runs) {
      CHECK(r.end <= bytes.size());
      published.push_back(r);
    }
    if (refuse) {
      why = "fenced";
      return false;
    }
    return true;
  });
  p.start();
  j.start();

  for (const Command& c : log) p.push_replicated(c, 7);
  p.flush_replicated();
  std::vector<Seen> seen;
  REQUIRE(drain_until(p, seen, [&] { return p.released_seq() == 50; }));
  {
    std::lock_guard lock(m);
    CHECK(published.empty());  // the log's own commands are not published again
  }
  REQUIRE(p.promote());
  Command own = test::live_new("own-1", test::live_symbol("H100.MEM1"), Side::buy, 21000, 8);
  own.account.assign("acct-a");
  while (!p.primary()) std::this_thread::sleep_for(100us);
  REQUIRE(p.submit(own, 1));
  p.flush_submissions();
  REQUIRE(drain_until(p, seen, [&] { return p.released_seq() == 51; }));
  {
    std::lock_guard lock(m);
    REQUIRE(published.size() == 1);
    CHECK(published[0].first == 51);
    CHECK(published[0].last == 51);
  }
  CHECK(released_at_publish == 50);

  // Fenced: the command is neither kept nor released, and the journal refuses from then on.
  refuse = true;
  own.cl_id.assign("own-2");
  REQUIRE(p.submit(own, 1));
  p.flush_submissions();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!p.journal_failed() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(100us);
  CHECK(p.journal_failed());
  p.stop();
  j.stop();
  CHECK(p.released_seq() == 51);
  storage::ScanResult scanned;
  REQUIRE(storage::scan(dir.path(), {}, [](const storage::Record&) {}, scanned, error));
  CHECK(scanned.last_seq == 51);
}
