// Crash recovery (tools/journal/recovery.hpp): an engine rebuilt from a journal directory, with
// or without snapshots, must be in the state of an engine that ran every command and never
// stopped (compared by Engine::state_digest), and must go on producing the same events byte
// for byte. Then the whole threaded path in-process: the pipeline's engine thread handing
// commands to a Journaler thread, output released only once kept, and a recovery afterwards.
//
// Environment: GPUX_RECOVERY_SEEDS (default 30, 10 under ASan) random logs of
// GPUX_RECOVERY_COMMANDS (default 400) commands each, from GPUX_RECOVERY_SEED (default 1).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "engine/engine.hpp"
#include "gateway/pipeline/pipeline.hpp"
#include "tests/model/model.hpp"
#include "tests/model/random_log.hpp"
#include "tests/support/env.hpp"
#include "tests/support/live_orders.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/watchdog.hpp"
#include "gateway/storage/files.hpp"
#include "gateway/pipeline/journaler.hpp"
#include "gateway/storage/reader.hpp"
#include "gateway/storage/record.hpp"
#include "gateway/storage/recovery.hpp"
#include "gateway/storage/writer.hpp"
#include "tools/orderlog/command_parser.hpp"

namespace {

using namespace gpux;
using namespace gpux::storage;
using gpux::test::TempDir;
using Bytes = std::vector<std::uint8_t>;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::uint64_t kDefaultSeeds = 10;
#else
constexpr std::uint64_t kDefaultSeeds = 30;
#endif

using gpux::test::env_u64;

EngineConfig small_pool() {
  EngineConfig c;
  c.max_orders = 1 << 14;
  return c;
}

std::unique_ptr<Engine> fresh() { return std::make_unique<Engine>(Catalog::builtin(), small_pool()); }

// `n` commands of a random log (tests/model/random_log), renumbered 1..n as gpuxd's sequencer
// numbers them (the log format allows gaps; the journal does not).
std::vector<Command> random_log(std::uint64_t seed, std::size_t n) {
  const Catalog catalog = Catalog::builtin();
  model::Model model(catalog);
  model::RandomLog gen(seed, catalog);
  CommandParser parser;
  std::vector<Command> cmds;
  while (cmds.size() < n) {
    const model::LogLine line = gen.next(model);
    Command c;
    const ParseResult r = parser.parse(line.text, c);
    INFO(line.text << ": " << parser.error());
    REQUIRE(r != ParseResult::error);
    if (r == ParseResult::blank) continue;
    model.process(c);  // the generator aims at the model's resting orders
    c.seq = static_cast<Seq>(cmds.size()) + 1;
    cmds.push_back(c);
  }
  return cmds;
}

using gpux::test::run;  // the events of one command as the event writer prints them

void run_all(Engine& e, std::span<const Command> cmds) {
  EventBuffer events;
  for (const Command& c : cmds) {
    events.clear();
    e.process(c, events);
  }
}

// Appends `cmds` to the journal in `dir` as the journal thread would (a new segment at the
// first seq, group commits of 1-8 records, rotation past `segment_bytes`).
void journal_commands(const std::string& dir, std::span<const Command> cmds, std::uint64_t segment_bytes,
                      std::mt19937_64& rng) {
  SegmentWriter w;
  std::string error;
  const bool opened = w.open(dir, cmds.front().seq, segment_bytes, error);
  INFO("open at seq " << cmds.front().seq << ": " << error);
  REQUIRE(opened);
  std::size_t i = 0;
  while (i < cmds.size()) {
    const std::size_t k = std::min<std::size_t>(cmds.size() - i, 1 + rng() % 8);
    Bytes batch;
    for (std::size_t j = i; j < i + k; ++j) append_record(cmds[j], cmds[j].session, batch);
    // A sync now and then (each costs a few ms on a real disk; what is read back is the same).
    const bool ok = w.append(batch, cmds[i].seq, error) && (rng() % 16 != 0 || w.sync(error));
    INFO(error);
    REQUIRE(ok);
    i += k;
  }
  w.close();
}

// Engine state after the first `k` commands, as a snapshot file in `dir`.
void snapshot_at(const std::string& dir, std::span<const Command> cmds, std::size_t k) {
  auto b = fresh();
  run_all(*b, cmds.first(k));
  Bytes state;
  b->save_state(state);
  std::string error;
  const bool ok = write_snapshot(dir, cmds[k - 1].seq, cmds[k - 1].ts, state, 10, error);
  INFO(error);
  REQUIRE(ok);
}

struct Recovery {
  bool ok = false;
  std::string error;
  Recovered out;
  std::vector<std::string> log;
};

Recovery recover_into(const std::string& dir, Engine& engine) {
  Recovery r;
  r.ok = recover(dir, engine, r.out, r.error, [&](std::string_view line) { r.log.emplace_back(line); });
  return r;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

void corrupt_snapshot(const std::string& dir, Seq seq, std::size_t byte_from_end = 1) {
  const std::string path = (fs::path(dir) / snapshot_name(seq)).string();
  Bytes b;
  std::string error;
  REQUIRE(read_file(path, b, error));
  b[b.size() - byte_from_end] ^= 0x20;
  fs::remove(path);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(write_all(fd, b, error));
  ::close(fd);
}

std::vector<DirEntry> segments_of(const std::string& dir) {
  std::vector<DirEntry> out;
  std::string error;
  REQUIRE(list_segments(dir, out, error));
  return out;
}

// The recovered engine and its position match an engine that ran the first `n` commands.
void check_recovered(const Recovery& r, const Engine& c, const Engine& a, std::span<const Command> cmds, std::size_t n) {
  INFO(r.error << "\nlog:\n" << joined(r.log));
  REQUIRE(r.ok);
  CHECK(r.out.seq == (n ? cmds[n - 1].seq : 0));
  CHECK(r.out.ts == (n ? cmds[n - 1].ts : 0));
  CHECK(r.out.replayed == n - static_cast<std::size_t>(r.out.snapshot_seq));
  REQUIRE(c.state_digest() == a.state_digest());
  CHECK(c.resting_orders() == a.resting_orders());
}

}  // namespace

TEST_CASE("recovery: journal and snapshots give the state of a run that never stopped", "[recovery]") {
  const std::uint64_t seeds = env_u64("GPUX_RECOVERY_SEEDS", kDefaultSeeds);
  const std::uint64_t n = env_u64("GPUX_RECOVERY_COMMANDS", 400);
  const std::uint64_t first = env_u64("GPUX_RECOVERY_SEED", 1);
  std::uint64_t fallbacks = 0;
  for (std::uint64_t seed = first; seed < first + seeds; ++seed) {
    INFO("seed " << seed);
    const auto cmds = random_log(seed, n);
    auto a = fresh();
    run_all(*a, cmds);
    std::mt19937_64 rng(seed);
    TempDir dir("gpux-recovery");
    const std::uint64_t segment_bytes = std::vector<std::uint64_t>{12000, 40000, 1 << 20}[seed % 3];
    journal_commands(dir.path(), cmds, segment_bytes, rng);

    // The journal alone.
    {
      auto c = fresh();
      const Recovery r = recover_into(dir.path(), *c);
      check_recovered(r, *c, *a, cmds, n);
      CHECK(r.out.snapshot_seq == 0);
      CHECK(r.log.empty());
    }
    // Two snapshots: the newer is used. Now and then the newer is as of the last command.
    const std::size_t k2 = seed % 5 == 0 ? n : 2 + rng() % (n - 1);
    const std::size_t k1 = 1 + rng() % (k2 - 1);
    snapshot_at(dir.path(), cmds, k1);
    snapshot_at(dir.path(), cmds, k2);
    {
      auto c = fresh();
      const Recovery r = recover_into(dir.path(), *c);
      check_recovered(r, *c, *a, cmds, n);
      CHECK(r.out.snapshot_seq == static_cast<Seq>(k2));
    }
    // The newer one damaged: passed over with a log line for the older one.
    corrupt_snapshot(dir.path(), static_cast<Seq>(k2), 1 + rng() % 100);
    {
      auto c = fresh();
      const Recovery r = recover_into(dir.path(), *c);
      check_recovered(r, *c, *a, cmds, n);
      CHECK(r.out.snapshot_seq == static_cast<Seq>(k1));
      REQUIRE(r.log.size() == 1);
      CHECK(r.log[0].find(snapshot_name(static_cast<Seq>(k2))) != std::string::npos);
      ++fallbacks;
    }
    // Both damaged (one in its state, one cut short): the journal from its start.
    const std::string older = (fs::path(dir.path()) / snapshot_name(static_cast<Seq>(k1))).string();
    fs::resize_file(older, fs::file_size(older) / 2);
    {
      auto c = fresh();
      const Recovery r = recover_into(dir.path(), *c);
      check_recovered(r, *c, *a, cmds, n);
      CHECK(r.out.snapshot_seq == 0);
      CHECK(r.log.size() == 2);
    }
  }
  CHECK(fallbacks == seeds);
}

TEST_CASE("recovery: a snapshot from another catalog is passed over", "[recovery]") {
  const auto cmds = random_log(99, 200);
  auto a = fresh();
  run_all(*a, cmds);
  std::mt19937_64 rng(1);
  TempDir dir("gpux-recovery");
  journal_commands(dir.path(), cmds, 1 << 20, rng);
  Catalog other;
  Product p;
  p.id = "OTHER.X1";
  p.ref_price = 10000;
  REQUIRE_FALSE(other.add(p));
  Engine stranger(other, small_pool());
  Bytes state;
  stranger.save_state(state);
  std::string error;
  REQUIRE(write_snapshot(dir.path(), 150, cmds[149].ts, state, 2, error));
  auto c = fresh();
  const Recovery r = recover_into(dir.path(), *c);
  check_recovered(r, *c, *a, cmds, 200);
  CHECK(r.out.snapshot_seq == 0);
  CHECK(r.log.size() == 1);
}

TEST_CASE("recovery: a recovered engine goes on exactly as the one that never stopped", "[recovery]") {
  const std::uint64_t seeds = std::max<std::uint64_t>(1, env_u64("GPUX_RECOVERY_SEEDS", kDefaultSeeds) / 2);
  const std::uint64_t first = env_u64("GPUX_RECOVERY_SEED", 1);
  for (std::uint64_t seed = first; seed < first + seeds; ++seed) {
    INFO("seed " << seed);
    const std::size_t n = 300, m = 300;
    const auto cmds = random_log(seed + 1000, n + m);
    const std::span<const Command> all(cmds);
    std::mt19937_64 rng(seed);
    TempDir dir("gpux-recovery");
    journal_commands(dir.path(), all.first(n), 16384, rng);
    const bool with_snapshot = seed % 4 != 0;
    const std::size_t k = 1 + rng() % n;
    if (with_snapshot) snapshot_at(dir.path(), all, k);

    auto a = fresh();
    run_all(*a, all.first(n));
    auto c = fresh();
    const Recovery r = recover_into(dir.path(), *c);
    check_recovered(r, *c, *a, all, n);
    CHECK(r.out.snapshot_seq == (with_snapshot ? static_cast<Seq>(k) : 0));

    // Both go on with the same commands: the same events, byte for byte.
    for (std::size_t i = n; i < n + m; ++i) {
      const std::string expected = run(*a, cmds[i]);
      const std::string actual = run(*c, cmds[i]);
      INFO("command " << i << " (seq " << cmds[i].seq << ")");
      REQUIRE(actual == expected);
    }
    REQUIRE(c->state_digest() == a->state_digest());

    // The journal goes on from the recovered seq (a new segment, as gpuxd opens one), and a
    // second recovery reaches the end.
    journal_commands(dir.path(), all.subspan(n), 16384, rng);
    if (with_snapshot) snapshot_at(dir.path(), all, n + 1 + rng() % m);
    auto d = fresh();
    const Recovery again = recover_into(dir.path(), *d);
    check_recovered(again, *d, *a, all, n + m);
  }
}

TEST_CASE("recovery: a torn last record is dropped with a log line and the journal goes on", "[recovery]") {
  const auto cmds = random_log(7, 250);
  const std::span<const Command> all(cmds);
  std::mt19937_64 rng(7);
  TempDir dir("gpux-recovery");
  journal_commands(dir.path(), all.first(200), 1 << 20, rng);
  const auto segments = segments_of(dir.path());
  REQUIRE(segments.size() == 1);
  const auto size = fs::file_size(segments[0].path);
  fs::resize_file(segments[0].path, size - 20);  // the last record cut short

  auto a = fresh();
  run_all(*a, all.first(199));
  auto c = fresh();
  const Recovery r = recover_into(dir.path(), *c);
  check_recovered(r, *c, *a, all, 199);
  REQUIRE(r.log.size() == 1);
  CHECK(r.log[0].find("torn") != std::string::npos);
  CHECK(r.log[0].find(segments[0].path) != std::string::npos);
  CHECK(fs::file_size(segments[0].path) < size - 20);  // truncated to the last whole record

  journal_commands(dir.path(), all.subspan(199), 1 << 20, rng);
  run_all(*a, all.subspan(199));
  auto d = fresh();
  const Recovery again = recover_into(dir.path(), *d);
  check_recovered(again, *d, *a, all, 250);
  CHECK(again.log.empty());
}

// gpuxd recovers, then opens the journal at the next seq: a new segment named after it. A crash
// before that segment got its first record (or a torn tail that took its only record) leaves a
// segment holding a header and nothing else; the next start must not trip over it.
TEST_CASE("recovery: a crash before the first record of a new segment does not block the next start", "[recovery]") {
  const auto cmds = random_log(8, 120);
  const std::span<const Command> all(cmds);
  std::mt19937_64 rng(8);
  TempDir dir("gpux-recovery");
  auto a = fresh();

  SECTION("a segment created at start-up, then the crash") {
    journal_commands(dir.path(), all.first(100), 1 << 20, rng);
    {
      auto c = fresh();
      const Recovery r = recover_into(dir.path(), *c);
      REQUIRE(r.ok);
      REQUIRE(r.out.seq == 100);
      SegmentWriter w;  // as gpuxd's Journaler::open, then SIGKILL before any command
      std::string error;
      REQUIRE(w.open(dir.path(), r.out.seq + 1, 1 << 20, error));
    }
    REQUIRE(segments_of(dir.path()).size() == 2);
    run_all(*a, all.first(100));
    auto c = fresh();
    const Recovery r = recover_into(dir.path(), *c);
    check_recovered(r, *c, *a, all, 100);
  }
  SECTION("a torn tail that took the only record of the last segment") {
    journal_commands(dir.path(), all.first(99), 1 << 20, rng);
    journal_commands(dir.path(), all.subspan(99, 1), 1 << 20, rng);
    const auto segments = segments_of(dir.path());
    REQUIRE(segments.size() == 2);
    REQUIRE(segments[1].seq == 100);
    fs::resize_file(segments[1].path, fs::file_size(segments[1].path) - 10);
    run_all(*a, all.first(99));
    auto c = fresh();
    const Recovery r = recover_into(dir.path(), *c);
    check_recovered(r, *c, *a, all, 99);
  }
  // What gpuxd does next: open the journal after the recovered seq, and go on.
  const Seq next = static_cast<Seq>(segments_of(dir.path()).back().seq);
  SegmentWriter w;
  std::string error;
  const bool opened = w.open(dir.path(), next, 1 << 20, error);
  INFO("SegmentWriter::open at seq " << next << " after recovery: " << error);
  CHECK(opened);
}

TEST_CASE("recovery: a damaged journal is refused, naming the damage", "[recovery]") {
  const auto cmds = random_log(9, 200);
  const std::span<const Command> all(cmds);
  std::mt19937_64 rng(9);
  TempDir dir("gpux-recovery");
  journal_commands(dir.path(), all, 3000, rng);
  const auto segments = segments_of(dir.path());
  REQUIRE(segments.size() >= 4);

  SECTION("a flipped byte in a middle segment") {
    const std::string path = segments[1].path;
    Bytes b;
    std::string error;
    REQUIRE(read_file(path, b, error));
    b[kSegmentHeader + 30] ^= 0x40;
    fs::remove(path);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    REQUIRE(write_all(fd, b, error));
    ::close(fd);
    auto c = fresh();
    const Recovery r = recover_into(dir.path(), *c);
    REQUIRE_FALSE(r.ok);
    CHECK(r.error.find(path + " at offset " + std::to_string(kSegmentHeader)) != std::string::npos);
  }
  SECTION("the first segments gone and no snapshot to cover them") {
    fs::remove(segments[0].path);
    auto c = fresh();
    const Recovery r = recover_into(dir.path(), *c);
    INFO(r.error);
    REQUIRE_FALSE(r.ok);
    CHECK(r.error.find("resumes at seq " + std::to_string(segments[1].seq)) != std::string::npos);
  }
  SECTION("segments older than the snapshot gone: nothing is missing") {
    const std::size_t k = static_cast<std::size_t>(segments[2].seq) + 3;
    snapshot_at(dir.path(), all, k);
    fs::remove(segments[0].path);
    fs::remove(segments[1].path);
    auto a = fresh();
    run_all(*a, all);
    auto c = fresh();
    const Recovery r = recover_into(dir.path(), *c);
    check_recovered(r, *c, *a, all, 200);
    CHECK(r.out.snapshot_seq == static_cast<Seq>(k));
  }
  SECTION("a snapshot older than the first segment left") {
    snapshot_at(dir.path(), all, static_cast<std::size_t>(segments[1].seq) - 5);
    fs::remove(segments[0].path);
    auto c = fresh();
    const Recovery r = recover_into(dir.path(), *c);
    INFO(r.error);
    REQUIRE_FALSE(r.ok);
    CHECK(r.error.find("resumes at seq") != std::string::npos);
  }
}

// A snapshot's header says which seq it is as of, and recovery resumes the journal after it.
// A flipped bit there (the state's checksum does not cover the header) must not make recovery
// replay from the wrong place: the snapshot should be refused and an older start used.
TEST_CASE("recovery: a snapshot whose header seq was damaged is not trusted", "[recovery]") {
  const auto cmds = random_log(10, 300);
  const std::span<const Command> all(cmds);
  std::mt19937_64 rng(10);
  TempDir dir("gpux-recovery");
  journal_commands(dir.path(), all, 1 << 20, rng);
  snapshot_at(dir.path(), all, 200);
  // The header: magic (8), version (4), header size (4), then the seq (8, little-endian).
  corrupt_snapshot(dir.path(), 200, fs::file_size(fs::path(dir.path()) / snapshot_name(200)) - 16);
  auto a = fresh();
  run_all(*a, all);
  auto c = fresh();
  const Recovery r = recover_into(dir.path(), *c);
  INFO("snapshot_seq " << r.out.snapshot_seq << ", replayed " << r.out.replayed << ", log:\n" << joined(r.log));
  REQUIRE(r.ok);
  CHECK(r.out.snapshot_seq != 200 + 0x20);
  CHECK(c->state_digest() == a->state_digest());
}

// ---- the threaded path: pipeline, journal thread, recovery ------------------------------------

namespace {

using gateway::Inbound;
using gateway::Outbound;
using gateway::Pipeline;
using gateway::PipelineConfig;


// What identifies an event, from the fields its type uses (the rest are uninitialised).
struct EventKey {
  EventType type;
  Seq seq;
  OrderId order_id = 0;
  std::uint32_t match = 0;
  OrderId buy = 0, sell = 0;
  Qty qty = 0;
  Price price = 0;
  Qty leaves = 0;
  int reason = -1;
  std::string cl_id;
  bool operator==(const EventKey&) const = default;
};

EventKey key_of(const Event& e) {
  EventKey k{e.type, e.seq};
  switch (e.type) {
    case EventType::accepted:
      k.order_id = e.order_id, k.qty = e.qty, k.price = e.price, k.cl_id = std::string(e.cl_id.view());
      break;
    case EventType::rejected: k.reason = static_cast<int>(e.reason), k.cl_id = std::string(e.cl_id.view()); break;
    case EventType::trade:
      k.match = e.match, k.buy = e.buy_order_id, k.sell = e.sell_order_id, k.qty = e.qty, k.price = e.price;
      break;
    case EventType::canceled:
    case EventType::expired:
      k.order_id = e.order_id, k.leaves = e.leaves, k.reason = static_cast<int>(e.reason);
      k.cl_id = std::string(e.cl_id.view());
      break;
    case EventType::replaced: k.order_id = e.order_id, k.qty = e.qty, k.price = e.price; break;
    case EventType::cancel_rejected:
    case EventType::replace_rejected: k.reason = static_cast<int>(e.reason); break;
    default: break;
  }
  return k;
}

std::string describe(const EventKey& k) {
  return std::string(to_string(k.type)) + " seq " + std::to_string(k.seq) + " order " + std::to_string(k.order_id) +
         " match " + std::to_string(k.match) + " qty " + std::to_string(k.qty) + " price " + std::to_string(k.price) +
         " cl_id " + k.cl_id;
}

// A random flow as sessions would submit it: orders that cross, cancels, replaces, mass
// cancels, the sequencer's clock, and list_orders queries.
class Flow {
 public:
  explicit Flow(std::uint64_t seed, const char* prefix) : rng_(seed), prefix_(prefix), instruments_(test::live_instruments()) {}

  Inbound next() {
    const std::size_t a = rng_() % 4;
    const std::string account = kAccounts[a];
    auto& mine = cl_ids_[a];
    const unsigned r = static_cast<unsigned>(rng_() % 100);
    Command c;
    Inbound::Kind kind = Inbound::Kind::command;
    if (r < 55 || mine.empty()) {
      const std::string cl = test::live_numbered(prefix_, ++n_);
      c = test::live_random_new(rng_, cl, instruments_[rng_() % instruments_.size()]);
      mine.push_back(cl);
    } else if (r < 75) {
      c = test::live_cancel(mine[rng_() % mine.size()]);
    } else if (r < 85) {
      const std::string cl = test::live_numbered(prefix_, ++n_);
      const auto& in = instruments_[rng_() % instruments_.size()];
      c = test::live_replace(mine[rng_() % mine.size()], in.ref + 10 * static_cast<Price>(rng_() % 7) - 30,
                             8 * static_cast<Qty>(1 + rng_() % 4), cl);
      mine.push_back(cl);
    } else if (r < 87) {
      c = make_command(CommandType::mass_cancel, 0, 0);
    } else if (r < 94) {
      c = make_command(CommandType::clock, 0, 0);
    } else {
      c = make_command(CommandType::clock, 0, 0);
      kind = Inbound::Kind::list_orders;
    }
    if (mine.size() > 64) mine.erase(mine.begin(), mine.begin() + 32);
    c.account.assign(account);
    const bool sequencer = c.type == CommandType::clock && kind == Inbound::Kind::command;
    return Inbound{c, sequencer ? 0u : static_cast<std::uint32_t>(a + 1), kind};
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  static constexpr const char* kAccounts[4] = {"lab-x", "lab-y", "maker-1", "maker-2"};
  std::mt19937_64 rng_;
  const char* prefix_;
  std::vector<test::LiveInstrument> instruments_;
  std::vector<std::string> cl_ids_[4];
  long n_ = 0;
};

struct PipelineRun {
  std::vector<EventKey> events;   // every event drained, in order
  std::size_t commands = 0;       // sequenced commands submitted
  std::size_t queries = 0;        // list_orders submitted
  std::size_t answers = 0;        // orders_end drained
  std::size_t outputs = 0;
  std::size_t early = 0;          // outputs drained above the released seq
  std::string first_early;
  std::size_t unkept = 0;         // outputs drained whose command was not yet in the journal files
  std::string first_unkept;
  std::size_t durability_checks = 0;
  std::uint64_t syncs = 0;
  std::vector<std::string> log;   // the journal thread's
};

// Runs `commands` commands of `flow` through a journaled pipeline over `engine`, resumed after
// `after`, and stops it.
PipelineRun run_pipeline(const std::string& dir, Engine& engine, const Recovered& after, bool durable,
                         std::size_t commands, Flow& flow) {
  PipelineRun out;
  PipelineConfig pc;
  pc.journal = true;
  pc.snapshot_every = 50;
  pc.inbound_capacity = 1 << 8;  // small rings: back pressure on every side
  pc.outbound_capacity = 1 << 10;
  pc.journal_capacity = 1 << 8;
  std::atomic<std::uint64_t> notified{0};
  Pipeline p(engine, pc, [&] { notified.fetch_add(1, std::memory_order_relaxed); });
  p.resume_after(after.seq, after.ts);
  gateway::JournalConfig jc;
  jc.dir = dir;
  jc.durable = durable;
  jc.segment_bytes = 32 << 10;
  jc.keep_snapshots = 2;
  std::mutex log_mutex;
  gateway::Journaler j(p.journal(), jc, [&](std::string_view line) {
    std::lock_guard lock(log_mutex);
    out.log.emplace_back(line);
  });
  std::string error;
  const bool opened = j.open(after.seq + 1, error);
  INFO(error);
  REQUIRE(opened);
  p.start();
  j.start();

  Seq on_disk = after.seq;  // the journal files hold every record up to here (last scan)
  const auto on_output = [&](Outbound& o) {
    const Seq s = Pipeline::seq_of(o);
    ++out.outputs;
    if (s > p.released_seq() && out.early++ == 0)
      out.first_early = "seq " + std::to_string(s) + " released " + std::to_string(p.released_seq());
    // Output beyond what the journal files were last seen to hold: read them again. A
    // command's output is out only once its record is in them.
    if (s > on_disk) {
      ScanResult scanned;
      std::string e;
      if (scan(dir, {}, [](const Record&) {}, scanned, e)) on_disk = scanned.last_seq;
      ++out.durability_checks;
      if (s > on_disk && out.unkept++ == 0)
        out.first_unkept = "seq " + std::to_string(s) + " out, journal files hold up to " + std::to_string(on_disk) +
                           (e.empty() ? "" : " (" + e + ")");
    }
    if (o.kind == Outbound::Kind::event) {
      Event e;
      o.event.get(o.seq, e);
      out.events.push_back(key_of(e));
    }
    if (o.kind == Outbound::Kind::rare && o.rare->kind == gateway::Rare::Kind::event) out.events.push_back(key_of(o.rare->event));
    if (o.kind == Outbound::Kind::rare && o.rare->kind == gateway::Rare::Kind::orders_end) ++out.answers;
  };
  const auto drain = [&] { return p.drain(on_output); };

  while (out.commands < commands) {
    const std::size_t chunk = 1 + flow.rng()() % 40;
    for (std::size_t i = 0; i < chunk && out.commands < commands; ++i) {
      const Inbound in = flow.next();
      while (!p.submit(in)) {
        p.flush_submissions();
        if (drain() == 0) std::this_thread::yield();
      }
      if (in.kind == Inbound::Kind::command) ++out.commands;
      else ++out.queries;
    }
    p.flush_submissions();
    drain();
    // Pauses, so the journal thread's releases interleave with the drains.
    std::this_thread::sleep_for(std::chrono::microseconds(flow.rng()() % 4 == 0 ? 2000 : 200));
  }
  // Everything sequenced and released, then quiet: all output is in the ring and drained.
  const Seq last = after.seq + static_cast<Seq>(out.commands);
  auto quiet_since = std::chrono::steady_clock::now();
  while (true) {
    if (drain() > 0 || p.released_seq() != last || p.last_seq() != last || out.answers != out.queries) {
      quiet_since = std::chrono::steady_clock::now();
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      continue;
    }
    if (std::chrono::steady_clock::now() - quiet_since > 30ms) break;
    std::this_thread::sleep_for(1ms);
  }
  p.stop();
  j.stop();
  drain();
  out.syncs = j.syncs();
  CHECK(p.released_seq() == last);
  return out;
}

// Every event of the journal in `dir`, replayed from its start in a fresh engine.
std::vector<EventKey> replay_events(const std::string& dir, Engine& engine, Seq& last) {
  std::vector<EventKey> out;
  EventBuffer events;
  ScanResult scanned;
  std::string error;
  const bool ok = scan(
      dir, {},
      [&](const Record& r) {
        events.clear();
        engine.process(r.command, events);
        for (const Event& e : events) out.push_back(key_of(e));
      },
      scanned, error);
  INFO(error);
  REQUIRE(ok);
  CHECK_FALSE(scanned.torn);
  last = scanned.last_seq;
  return out;
}

void check_same_events(const std::vector<EventKey>& drained, const std::vector<EventKey>& replayed) {
  const std::size_t n = std::min(drained.size(), replayed.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!(drained[i] == replayed[i]))
      FAIL("event " << i << " differs: drained " << describe(drained[i]) << ", replayed " << describe(replayed[i]));
  }
  REQUIRE(drained.size() == replayed.size());
}

}  // namespace

TEST_CASE("recovery: a journaled pipeline releases output only once kept and recovers to its state",
          "[recovery][journal_threads]") {
  const bool durable = GENERATE(true, false);
  CAPTURE(durable);
  test::Watchdog watchdog(std::chrono::seconds(150));
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  const std::size_t n1 = 800, n2 = 300;
#else
  const std::size_t n1 = 3000, n2 = 1000;
#endif
  TempDir dir("gpux-pipeline");
  Flow flow(durable ? 101 : 202, "p");

  // A first run from an empty journal.
  auto engine = fresh();
  const PipelineRun first = run_pipeline(dir.path(), *engine, Recovered{}, durable, n1, flow);
  INFO("journal log:\n" << joined(first.log));
  CHECK(first.log.empty());
  CHECK(first.early == 0);
  CHECK(first.first_early == "");
  CHECK(first.unkept == 0);
  CHECK(first.first_unkept == "");
  CHECK(first.durability_checks > 5);
  CHECK(first.answers == first.queries);
  if (durable) CHECK(first.syncs > 0);

  std::vector<DirEntry> snapshots;
  std::string error;
  REQUIRE(list_snapshots(dir.path(), snapshots, error));
  CHECK_FALSE(snapshots.empty());
  CHECK(snapshots.size() <= 2);

  // Recovery reaches the pipeline engine's state, from the newest snapshot.
  auto c = fresh();
  const Recovery r = recover_into(dir.path(), *c);
  INFO(r.error << "\n" << joined(r.log));
  REQUIRE(r.ok);
  CHECK(r.out.seq == static_cast<Seq>(n1));
  CHECK(r.out.snapshot_seq > 0);
  CHECK(r.out.snapshot_seq == snapshots.back().seq);
  REQUIRE(c->state_digest() == engine->state_digest());

  // A second run, resumed on the recovered engine, appends to the same journal.
  const PipelineRun second = run_pipeline(dir.path(), *c, r.out, durable, n2, flow);
  INFO("journal log:\n" << joined(second.log));
  CHECK(second.log.empty());
  CHECK(second.early == 0);
  CHECK(second.first_early == "");
  CHECK(second.unkept == 0);
  CHECK(second.answers == second.queries);
  auto d = fresh();
  const Recovery again = recover_into(dir.path(), *d);
  INFO(again.error);
  REQUIRE(again.ok);
  CHECK(again.out.seq == static_cast<Seq>(n1 + n2));
  REQUIRE(d->state_digest() == c->state_digest());

  // Every event clients would have heard is what the journal replays to, in the same order.
  auto replayer = fresh();
  Seq last = 0;
  const std::vector<EventKey> replayed = replay_events(dir.path(), *replayer, last);
  CHECK(last == static_cast<Seq>(n1 + n2));
  std::vector<EventKey> drained = first.events;
  drained.insert(drained.end(), second.events.begin(), second.events.end());
  check_same_events(drained, replayed);
  CHECK(replayer->state_digest() == d->state_digest());
  std::size_t trades = 0;
  for (const auto& k : replayed) trades += k.type == EventType::trade;
  CHECK(trades > 50);  // the flow crosses
}
