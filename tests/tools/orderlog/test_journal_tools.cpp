// The operator tools' core promise: a journal dumped as an order log (write_command) replays to
// exactly the events of the journal itself. Checked on random logs that reach every command
// type, field and rejection, through the journal library's own writer and reader.
//
// Also a hidden generator of large journals for timing `gpux replay DIR`:
//   GPUX_JOURNAL_DIR=/tmp/big GPUX_JOURNAL_COMMANDS=5000000 gpux_tests "[.journal-generate]"
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/engine.hpp"
#include "tests/model/model.hpp"
#include "tests/model/random_log.hpp"
#include "tests/support/env.hpp"
#include "tests/support/random_commands.hpp"
#include "gateway/storage/reader.hpp"
#include "gateway/storage/record.hpp"
#include "gateway/storage/writer.hpp"
#include "tools/orderlog/command_parser.hpp"
#include "tools/orderlog/replayer.hpp"

namespace {

using gpux::Catalog;
using gpux::Command;
using gpux::CommandType;

using gpux::test::env_u64;

// Random commands of every type, decoded from RandomLog's JSON, with a few commands turned
// into the gateway's `disconnect` (same seq and ts), which a hand-written order log has no
// reason to hold (docs/order-log.md "The `disconnect` extension").
std::vector<Command> random_log_commands(std::uint64_t seed, std::size_t n) {
  const Catalog catalog = Catalog::builtin();
  gpux::model::Model model(catalog);
  gpux::model::RandomLog gen(seed, catalog);
  gpux::CommandParser parser;
  std::vector<Command> out;
  while (out.size() < n) {
    Command c;
    const gpux::ParseResult r = parser.parse(gen.next(model).text, c);
    REQUIRE(r != gpux::ParseResult::error);
    if (r == gpux::ParseResult::blank) continue;
    model.process(c);
    if (c.type == CommandType::cancel && out.size() % 7 == 0) {
      const gpux::Seq seq = c.seq;
      const gpux::Ts ts = c.ts;
      const Command account = c;
      c = gpux::make_command(CommandType::disconnect, seq, ts);
      c.account = account.account;
    }
    out.push_back(c);
  }
  return out;
}

// A journal's seqs run on without gaps; a random log's may not. Renumbers, order_ids included,
// so that cancels and replaces still find their orders.
std::vector<Command> contiguous(std::vector<Command> cmds) {
  std::unordered_map<gpux::Seq, gpux::Seq> renumbered;
  for (std::size_t i = 0; i < cmds.size(); ++i) {
    Command& c = cmds[i];
    renumbered[c.seq] = static_cast<gpux::Seq>(i + 1);
    c.seq = static_cast<gpux::Seq>(i + 1);
    if (c.has_order_id && renumbered.contains(c.order_id)) c.order_id = renumbered[c.order_id];
  }
  return cmds;
}

std::string replay_commands(const std::vector<Command>& cmds) {
  gpux::Replayer replayer(Catalog::builtin());
  std::string out;
  for (const Command& c : cmds) replayer.command(c, out);
  return out;
}

std::string dump(const std::vector<Command>& cmds) {
  std::string log, error;
  for (const Command& c : cmds) {
    INFO("seq " << c.seq << ": " << error);
    REQUIRE(gpux::write_command(c, log, error));
  }
  return log;
}

std::string replay_log(const std::string& log) {
  gpux::Replayer replayer(Catalog::builtin());
  std::string out;
  std::size_t line_no = 0, start = 0;
  while (start < log.size()) {
    const std::size_t nl = log.find('\n', start);
    const std::string_view line(log.data() + start, nl - start);
    ++line_no;
    INFO("line " << line_no << ": " << line << "\n" << replayer.error());
    REQUIRE(replayer.line(line, out));
    start = nl + 1;
  }
  return out;
}

struct TempDir {
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "gpux-journal-tools-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string path;
};

// Writes `cmds` as the journal thread does: batches of records, a new segment past `segment_bytes`.
void write_journal(const std::string& dir, const std::vector<Command>& cmds, std::uint64_t segment_bytes) {
  gpux::storage::SegmentWriter writer;
  std::string error;
  REQUIRE(writer.open(dir, cmds.front().seq, segment_bytes, error));
  std::vector<std::uint8_t> batch;
  for (std::size_t i = 0; i < cmds.size(); i += 100) {
    batch.clear();
    for (std::size_t j = i; j < std::min(cmds.size(), i + 100); ++j) gpux::storage::append_record(cmds[j], 1, batch);
    INFO(error);
    REQUIRE(writer.append(batch, cmds[i].seq, error));
  }
  REQUIRE(writer.sync(error));
}

std::vector<Command> read_journal(const std::string& dir) {
  std::vector<Command> out;
  gpux::storage::ScanResult result;
  std::string error;
  const bool ok = gpux::storage::scan(
      dir, {}, [&](const gpux::storage::Record& r) { out.push_back(r.command); }, result, error);
  INFO(error);
  REQUIRE(ok);
  REQUIRE_FALSE(result.torn);
  return out;
}

Command new_order(gpux::Seq seq) {
  Command c = gpux::make_command(CommandType::new_order, seq, 1795251601000000000);
  c.account.assign("lab-x");
  c.cl_id.assign("x1");
  c.instrument.assign("H100.MEM1@2026-12-01T00Z+24h");
  c.has_instrument = true;
  c.side = gpux::Side::buy;
  c.price = gpux::PriceField{true, true, 21500};
  c.qty = 16;
  return c;
}

}  // namespace

TEST_CASE("journal tools: a dumped random log replays to the same events as its commands", "[journal-tools]") {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    INFO("seed " << seed);
    const std::vector<Command> cmds = random_log_commands(seed, 3000);
    const std::string expected = replay_commands(cmds);
    REQUIRE(replay_log(dump(cmds)) == expected);
  }
}

TEST_CASE("journal tools: the engine's random command stream survives a dump", "[journal-tools]") {
  gpux::Ts ts = gpux::kRandomStart;
  const std::vector<Command> cmds = gpux::random_commands(20000, 7, 1, ts);
  REQUIRE(replay_log(dump(cmds)) == replay_commands(cmds));
}

TEST_CASE("journal tools: a journal over many segments, replayed or dumped and replayed, gives its events",
          "[journal-tools]") {
  const std::vector<Command> cmds = contiguous(random_log_commands(42, 5000));
  TempDir dir;
  write_journal(dir.path, cmds, 64 << 10);
  REQUIRE(std::distance(std::filesystem::directory_iterator(dir.path), std::filesystem::directory_iterator()) > 3);
  const std::vector<Command> read = read_journal(dir.path);
  REQUIRE(read.size() == cmds.size());
  const std::string expected = replay_commands(cmds);
  CHECK(replay_commands(read) == expected);
  CHECK(replay_log(dump(read)) == expected);
}

TEST_CASE("journal tools: write_command leaves defaults out and writes disconnect as the extension",
          "[journal-tools]") {
  std::string out, error;
  REQUIRE(gpux::write_command(new_order(3), out, error));
  CHECK(out ==
        "{\"type\":\"new\",\"seq\":3,\"ts\":1795251601000000000,\"account\":\"lab-x\",\"cl_id\":\"x1\","
        "\"instrument\":\"H100.MEM1@2026-12-01T00Z+24h\",\"side\":\"buy\",\"price\":\"2.1500\",\"qty\":16}\n");

  Command d = gpux::make_command(CommandType::disconnect, 4, 1795251602000000000);
  d.account.assign("lab-x");
  out.clear();
  REQUIRE(gpux::write_command(d, out, error));
  CHECK(out == "{\"type\":\"disconnect\",\"seq\":4,\"ts\":1795251602000000000,\"account\":\"lab-x\"}\n");

  gpux::CommandParser parser;
  Command back;
  REQUIRE(parser.parse(out.substr(0, out.size() - 1), back) == gpux::ParseResult::command);
  CHECK(back.type == CommandType::disconnect);
  CHECK(back.account.view() == "lab-x");
  CHECK(parser.parse(R"({"type":"disconnect","ts":1795251603000000000})", back) == gpux::ParseResult::error);
  CHECK(parser.error() == "missing field 'account'");
}

TEST_CASE("journal tools: an unparsable price stays unparsable, so the engine still refuses it", "[journal-tools]") {
  Command c = new_order(1);
  c.price = gpux::PriceField{true, false, 0};
  std::string out, error;
  REQUIRE(gpux::write_command(c, out, error));
  CHECK(out.find("\"price\":\"invalid\"") != std::string::npos);
  CHECK(replay_log(out).find("\"reason\":\"bad_price\"") != std::string::npos);
}

TEST_CASE("journal tools: prices round-trip through the log at the ends of int64", "[journal-tools]") {
  for (const gpux::Price price : {std::numeric_limits<gpux::Price>::min(), gpux::Price{-1}, gpux::Price{0},
                                  std::numeric_limits<gpux::Price>::max()}) {
    Command c = new_order(1);
    c.price.value = price;
    std::string out, error;
    REQUIRE(gpux::write_command(c, out, error));
    gpux::CommandParser parser;
    Command back;
    INFO(out);
    REQUIRE(parser.parse(out.substr(0, out.size() - 1), back) == gpux::ParseResult::command);
    CHECK(back.price.valid);
    CHECK(back.price.value == price);
  }
}

TEST_CASE("journal tools: write_command refuses what the log format cannot carry, writing nothing",
          "[journal-tools]") {
  std::string out = "kept", error;
  Command c = new_order(1);
  c.account.assign("no spaces");
  CHECK_FALSE(gpux::write_command(c, out, error));
  CHECK(error.find("account") != std::string::npos);

  c = new_order(1);
  c.instrument.assign("H100\xff");
  CHECK_FALSE(gpux::write_command(c, out, error));
  CHECK(error == "instrument is not valid UTF-8");

  c = gpux::make_command(CommandType::cancel, 1, 1);
  c.account.assign("lab-x");
  CHECK_FALSE(gpux::write_command(c, out, error));
  CHECK(error == "needs cl_id or order_id");

  c = gpux::make_command(CommandType::halt, 1, 1);
  CHECK_FALSE(gpux::write_command(c, out, error));
  CHECK(error == "needs instrument or product");
  CHECK(out == "kept");
}

TEST_CASE("journal tools: generate a large journal for timing replay", "[.journal-generate]") {
  const char* dir = std::getenv("GPUX_JOURNAL_DIR");
  REQUIRE(dir != nullptr);
  const std::uint64_t total = env_u64("GPUX_JOURNAL_COMMANDS", 5'000'000);
  gpux::storage::SegmentWriter writer;
  std::string error;
  REQUIRE(writer.open(dir, 1, 256u << 20, error));
  gpux::Ts ts = gpux::kRandomStart;
  std::vector<std::uint8_t> batch;
  gpux::Seq seq = 1;
  // In chunks, so memory stays small; each chunk's own seed keeps the mix the same throughout.
  for (std::uint32_t chunk = 0; seq <= static_cast<gpux::Seq>(total); ++chunk) {
    const std::size_t n = std::min<std::uint64_t>(100'000, total - static_cast<std::uint64_t>(seq) + 1);
    std::vector<Command> cmds = gpux::random_commands(n, chunk + 1, seq, ts);
    if (cmds.size() > n) cmds.resize(n);  // a halt brings its resume along
    batch.clear();
    for (const Command& c : cmds) gpux::storage::append_record(c, 1, batch);
    INFO(error);
    REQUIRE(writer.append(batch, seq, error));
    seq += static_cast<gpux::Seq>(cmds.size());
  }
  REQUIRE(writer.sync(error));
}
