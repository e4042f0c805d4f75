// The ledger's section of a snapshot (docs/snapshot.md, format 3): the risk mode, and for each
// account with cash or holdings, its cash and its holdings per product as runs. Commitments and
// free capacity are not written: loading rests every order again, which commits them anew, so
// they can never disagree with the book.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/engine_impl.hpp"

namespace gpux {

void Engine::Impl::save_ledger(snapshot::Writer& w) const {
  w.u8(risk_on);
  const std::size_t count_at = w.size();
  w.u32(0);
  std::uint32_t n = 0;
  for (AccountId a = 0; a < ledger.size(); ++a) {
    const Ledger::Account& acc = *ledger.find(a);
    std::uint32_t held = 0;
    for (const Ledger::Holding& h : acc.products) held += !h.holdings.empty();
    if (acc.cash == 0 && held == 0) continue;
    ++n;
    w.u32(a);
    w.u64(static_cast<std::uint64_t>(static_cast<U128>(acc.cash)));
    w.u64(static_cast<std::uint64_t>(static_cast<U128>(acc.cash) >> 64));
    w.u32(held);
    for (ProductId p = 0; p < acc.products.size(); ++p) {
      const std::vector<HourRuns::Run>& runs = acc.products[p].holdings.runs();
      if (runs.empty()) continue;
      w.u32(p);
      w.u32(static_cast<std::uint32_t>(runs.size()));
      for (const HourRuns::Run& r : runs) {
        w.i64(r.hour);
        w.i64(r.value);
      }
    }
  }
  w.patch_u32(count_at, n);
}

std::size_t Engine::Impl::ledger_bound() const {
  std::size_t bytes = 1 + 4;
  for (AccountId a = 0; a < ledger.size(); ++a) {
    bytes += 4 + 16 + 4;
    for (const Ledger::Holding& h : ledger.find(a)->products) bytes += 8 + 16 * h.holdings.runs().size();
  }
  return bytes;
}

// Before the instruments: their orders commit capacity and cash against what is loaded here.
bool Engine::Impl::load_ledger(snapshot::Reader& r, std::string& error) {
  auto corrupt = [&](const std::string& what) {
    error = "corrupt snapshot: " + what;
    return false;
  };
  const std::uint8_t mode = r.u8();
  const std::uint32_t n = r.count(4 + 16 + 4);
  if (!r.ok() || mode > 1) return corrupt("its ledger's header is malformed");
  risk_on = mode;
  std::vector<HourRuns::Run> runs;
  std::int64_t last = -1;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t a = r.u32();
    const std::uint64_t lo = r.u64();
    const std::uint64_t hi = r.u64();
    const std::uint32_t held = r.count(8);
    if (!r.ok()) break;
    if (a >= accounts.size() || std::int64_t{a} <= last)
      return corrupt("ledger entry " + std::to_string(i) + " names account " + std::to_string(a));
    last = a;
    ledger.account(a).cash = static_cast<I128>((U128{hi} << 64) | lo);
    std::int64_t last_product = -1;
    for (std::uint32_t k = 0; k < held && r.ok(); ++k) {
      const std::uint32_t p = r.u32();
      const std::uint32_t count = r.count(16);
      if (!r.ok()) break;
      if (p >= catalog.products().size() || std::int64_t{p} <= last_product || count == 0)
        return corrupt("the ledger of account " + std::to_string(a) + " names product " + std::to_string(p));
      last_product = p;
      runs.clear();
      for (std::uint32_t j = 0; j < count; ++j) runs.push_back({r.i64(), r.i64()});
      if (!r.ok()) break;
      Ledger::Holding& h = ledger.holding(a, p);
      if (!h.holdings.assign(runs) || !h.free.assign(runs))
        return corrupt("the holdings of account " + std::to_string(a) + " are not minimal runs");
    }
  }
  if (!r.ok()) {
    error = "corrupt snapshot: ends inside the ledger (byte " + std::to_string(r.offset()) + ")";
    return false;
  }
  return true;
}

}  // namespace gpux
