// The ledger in snapshots (docs/snapshot.md format 3, docs/ledger.md): cash, holdings, the risk
// mode and, rebuilt from the resting orders, commitments. Restored before every command of a
// market with deposits, funds, resales and resting orders on both sides, an engine goes on
// exactly as the one that never stopped, and its ledger reads the same.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/script.hpp"

namespace {

using gpux::Catalog;
using gpux::Command;
using gpux::Engine;
using Bytes = std::vector<std::uint8_t>;

Bytes saved(const Engine& e) {
  Bytes b;
  e.save_state(b);
  return b;
}

gpux::EngineConfig small_pool() {
  gpux::EngineConfig c;
  c.max_orders = 4096;
  return c;
}

// Everything the ledger answers for these accounts, as text.
std::string ledger_of(const Engine& e, const std::vector<std::string>& accounts) {
  std::string out = e.risk_checks() ? "risk on\n" : "risk off\n";
  std::vector<gpux::HoldingRun> runs;
  for (const std::string& a : accounts) {
    const gpux::Balance b = e.balance(a);
    out += a + " cash " + std::to_string(static_cast<long long>(b.cash)) + " committed " +
           std::to_string(static_cast<long long>(b.committed_cash)) + "\n";
    for (gpux::ProductId p = 0; p < e.catalog().products().size(); ++p) {
      e.holdings(a, p, runs);
      for (const gpux::HoldingRun& r : runs)
        out += "  " + std::to_string(p) + " " + std::to_string(r.start_hour) + "+" + std::to_string(r.hours) + " " +
               std::to_string(r.holdings) + "/" + std::to_string(r.free) + "\n";
    }
  }
  return out;
}

}  // namespace

TEST_CASE("snapshot: the ledger restores exactly, commitments rebuilt from the book", "[snapshot][ledger]") {
  const std::string log = R"(
{"type":"risk","ts":$T,"mode":"on"}
{"type":"deposit","ts":$T,"account":"O1","instrument":"H100.MEM1@2026-11-22T00Z+48h","qty":64}
{"type":"deposit","ts":$T,"account":"O2","instrument":"H100.MEM1@2026-11-22T12Z+24h","qty":32}
{"type":"fund","ts":$T,"account":"L1","amount":"5000"}
{"type":"fund","ts":$T,"account":"L2","amount":"800.5"}
{"type":"new","ts":$T,"account":"O1","cl_id":"a","instrument":"H100.MEM1@2026-11-22T00Z+24h","side":"sell","price":"2.10","qty":32,"divisible":true}
{"type":"new","ts":$T,"account":"O2","cl_id":"b","instrument":"H100.MEM1@2026-11-22T12Z+12h","side":"sell","price":"2.00","qty":16}
{"type":"new","ts":$T,"account":"L1","cl_id":"x","instrument":"H100.MEM1@2026-11-22T00Z+6h","side":"buy","price":"2.20","qty":16}
{"type":"new","ts":$T,"account":"L1","cl_id":"y","instrument":"H100.MEM1@2026-11-22T12Z+12h","side":"buy","price":"2.05","qty":8}
{"type":"new","ts":$T,"account":"L2","cl_id":"z","instrument":"H100.MEM1@2026-11-22T06Z+6h","side":"buy","price":"1.90","qty":16,"divisible":true}
{"type":"new","ts":$T,"account":"L1","cl_id":"r","instrument":"H100.MEM1@2026-11-22T02Z+2h","side":"sell","price":"2.50","qty":8}
{"type":"replace","ts":$T,"account":"O1","cl_id":"a","price":"2.10","qty":24}
{"type":"withdraw","ts":$T,"account":"O1","instrument":"H100.MEM1@2026-11-23T00Z+24h","qty":64}
{"type":"fund","ts":$T,"account":"L2","amount":"-100"}
{"type":"risk","ts":$T,"mode":"off"}
{"type":"new","ts":$T,"account":"L2","cl_id":"w","instrument":"H100.MEM1@2026-11-22T02Z+2h","side":"buy","price":"2.50","qty":8}
{"type":"cancel","ts":$T,"account":"L2","cl_id":"z"}
)";
  gpux::test::Script script;
  const std::vector<Command> cmds = script(log);
  const std::vector<std::string> accounts = {"O1", "O2", "L1", "L2"};
  Engine a(Catalog::builtin(), small_pool());
  std::vector<std::string> expected;
  std::vector<std::string> ledgers;
  for (const Command& c : cmds) {
    expected.push_back(gpux::test::run(a, c));
    ledgers.push_back(ledger_of(a, accounts));
  }
  // The log did what it says: a lab resold, some trades went through, a check refused nothing
  // it should have let through.
  CHECK(a.balance("L1").cash != 5000'0000);
  CHECK_FALSE(a.risk_checks());
  for (std::size_t cut = 1; cut < cmds.size(); ++cut) {
    Engine b(Catalog::builtin(), small_pool());
    for (std::size_t i = 0; i < cut; ++i) (void)gpux::test::run(b, cmds[i]);
    const Bytes bytes = saved(b);
    Engine c(Catalog::builtin(), small_pool());
    std::string error;
    INFO("restored before command " << cut);
    REQUIRE(c.load_state(bytes, error));
    REQUIRE(saved(c) == bytes);
    CHECK(ledger_of(c, accounts) == ledgers[cut - 1]);
    for (std::size_t i = cut; i < cmds.size(); ++i) {
      CHECK(gpux::test::run(c, cmds[i]) == expected[i]);
      CHECK(ledger_of(c, accounts) == ledgers[i]);
    }
    CHECK(saved(c) == saved(a));
  }
}
