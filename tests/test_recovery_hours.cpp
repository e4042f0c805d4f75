// Crash recovery with hours (SPEC v2 §6): a journal whose commands rest divisible orders in the
// hour books and leave blocks standing, cut at every command by a snapshot, must recover to
// the state of the engine that never stopped, and that engine must go on exactly as the
// original: standing blocks that sweep new divisible capacity after the restart included.
#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "gateway/storage/files.hpp"
#include "gateway/storage/record.hpp"
#include "gateway/storage/recovery.hpp"
#include "gateway/storage/writer.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/orderlog/command_parser.hpp"

namespace {

using namespace gpux;
using namespace gpux::storage;
using Bytes = std::vector<std::uint8_t>;

// 2026-12-01T00Z; the windows start ten days later, far from their gates.
constexpr Ts kDay = 86'400'000'000'000;
constexpr Ts kStart = 1'796'083'200'000'000'000;

std::string at(int minute) { return std::to_string(kStart + minute * 60'000'000'000LL); }

// Owners post divisible capacity, labs blocks: some sweep at once, some stand until capacity
// arrives. Ends with blocks standing, slices resting in several hour books, a gtd divisible
// order, and partial cancels of a divisible order.
std::vector<std::string> before_lines() {
  return {
      // 64 GPUs in every hour of three days.
      R"({"type":"new","ts":)" + at(1) +
          R"(,"account":"maker-1","cl_id":"m1","instrument":"H100.MEM1@2026-12-11T00Z+72h","side":"sell","price":"2.3000","qty":64,"divisible":true})",
      // A block inside it: sweeps at once.
      R"({"type":"new","ts":)" + at(2) +
          R"(,"account":"lab-x","cl_id":"x1","instrument":"H100.MEM1@2026-12-11T12Z+24h","side":"buy","price":"2.4000","qty":32})",
      // A bigger block: sweeps what there is (32 in its first hours), stands for the rest.
      R"({"type":"new","ts":)" + at(3) +
          R"(,"account":"lab-y","cl_id":"y1","instrument":"H100.MEM1@2026-12-12T00Z+48h","side":"buy","price":"2.3500","qty":128})",
      // A block below every offer: stands, untouched.
      R"({"type":"new","ts":)" + at(4) +
          R"(,"account":"lab-z","cl_id":"z1","instrument":"H100.MEM1@2026-12-13T00Z+24h","side":"buy","price":"2.2000","qty":16})",
      // A gtd divisible offer that expires after the restart.
      R"({"type":"new","ts":)" + at(5) +
          R"(,"account":"maker-2","cl_id":"m2","instrument":"H100.MEM1@2026-12-14T00Z+24h","side":"sell","price":"2.5000","qty":8,"tif":"gtd","expire_ts":)" +
          std::to_string(kStart + 2 * kDay) + "}",
      // A divisible bid in another product.
      R"({"type":"new","ts":)" + at(6) +
          R"(,"account":"lab-x","cl_id":"x2","instrument":"H200.MEM1@2026-12-11T00Z+6h","side":"buy","price":"2.9000","qty":16,"divisible":true})",
      // New capacity under the standing block of lab-y: it sweeps after this command.
      R"({"type":"new","ts":)" + at(7) +
          R"(,"account":"maker-3","cl_id":"m3","instrument":"H100.MEM1@2026-12-12T00Z+48h","side":"sell","price":"2.3200","qty":48,"divisible":true})",
      R"({"type":"replace","ts":)" + at(8) + R"(,"account":"maker-1","cl_id":"m1","price":"2.3000","qty":16})",
      R"({"type":"cancel","ts":)" + at(9) + R"(,"account":"lab-x","cl_id":"x2"})",
      R"({"type":"new","ts":)" + at(10) +
          R"(,"account":"maker-4","cl_id":"m4","instrument":"H100.MEM1@2026-12-13T00Z+24h","side":"sell","price":"2.6000","qty":24,"divisible":true})",
  };
}

// After the restart: more capacity reaching the standing blocks, a cancel, the gtd expiry.
std::vector<std::string> after_lines() {
  return {
      R"({"type":"new","ts":)" + at(20) +
          R"(,"account":"maker-4","cl_id":"m5","instrument":"H100.MEM1@2026-12-12T00Z+48h","side":"sell","price":"2.3400","qty":64,"divisible":true})",
      R"({"type":"new","ts":)" + at(21) +
          R"(,"account":"maker-1","cl_id":"m6","instrument":"H100.MEM1@2026-12-13T00Z+24h","side":"sell","price":"2.2000","qty":16,"divisible":true})",
      R"({"type":"cancel","ts":)" + at(22) + R"(,"account":"maker-1","cl_id":"m1"})",
      R"({"type":"clock","ts":)" + std::to_string(kStart + 3 * kDay) + "}",
  };
}

std::vector<Command> parse(const std::vector<std::string>& lines, Seq first) {
  CommandParser parser;
  std::vector<Command> out;
  for (const std::string& line : lines) {
    Command c;
    const ParseResult r = parser.parse(line, c);
    INFO(line << ": " << parser.error());
    REQUIRE(r == ParseResult::command);
    c.seq = first + static_cast<Seq>(out.size());
    out.push_back(c);
  }
  return out;
}

std::unique_ptr<Engine> fresh() {
  EngineConfig config;
  config.max_orders = 1 << 12;
  return std::make_unique<Engine>(Catalog::builtin(), config);
}

std::string events_of(Engine& e, std::span<const Command> cmds) {
  std::string out;
  for (const Command& c : cmds) out += gpux::test::run(e, c);
  return out;
}

}  // namespace

TEST_CASE("recovery hours: divisible orders and standing blocks survive every cut", "[recovery]") {
  const std::vector<Command> before = parse(before_lines(), 1);
  const std::vector<Command> after = parse(after_lines(), static_cast<Seq>(before.size()) + 1);

  // The engine that never stops, and what it says before and after the cut.
  auto a = fresh();
  const std::string said_before = events_of(*a, before);
  // The scenario must do what it is for: divisible orders accepted, rectangles traded by
  // sweeps, hours canceled by run.
  CHECK(said_before.find(R"("divisible":true)") != std::string::npos);
  CHECK(said_before.find(R"("instrument":"H100.MEM1@2026-12-12T00Z+)") != std::string::npos);
  std::vector<OrderView> resting;
  a->account_orders("lab-y", resting);
  INFO(said_before);
  REQUIRE(resting.size() == 1);  // lab-y's block stands, part filled
  CHECK(resting[0].open < 128);
  const std::uint64_t digest = a->state_digest();
  const std::string said_after = events_of(*a, after);
  CHECK(said_after.find(R"("type":"trade")") != std::string::npos);   // standing blocks swept
  CHECK(said_after.find(R"("type":"expired")") != std::string::npos);  // the gtd hours

  // The journal alone, and the journal after a snapshot taken after each command.
  for (std::size_t k = 0; k <= before.size(); ++k) {
    INFO("snapshot after command " << k);
    gpux::test::TempDir dir("gpux-recovery-hours");
    SegmentWriter w;
    std::string error;
    REQUIRE(w.open(dir.path(), 1, 1 << 20, error));
    Bytes batch;
    for (const Command& c : before) append_record(c, c.session, batch);
    REQUIRE(w.append(batch, 1, error));
    REQUIRE(w.sync(error));
    w.close();
    if (k > 0) {
      auto b = fresh();
      events_of(*b, std::span(before).first(k));
      Bytes state;
      b->save_state(state);
      REQUIRE(write_snapshot(dir.path(), before[k - 1].seq, before[k - 1].ts, state, 2, error));
    }
    auto c = fresh();
    Recovered out;
    const bool ok = recover(dir.path(), *c, out, error, [](std::string_view) {});
    INFO(error);
    REQUIRE(ok);
    CHECK(out.seq == static_cast<Seq>(before.size()));
    CHECK(out.snapshot_seq == static_cast<Seq>(k));
    REQUIRE(c->state_digest() == digest);
    CHECK(events_of(*c, after) == said_after);
  }
}
