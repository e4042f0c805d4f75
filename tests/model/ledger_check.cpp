// The ledger comparison of the differential test: see ledger_check.hpp.
#include "tests/model/ledger_check.hpp"

#include <set>
#include <sstream>

namespace gpux::model {

namespace {

// Maximal runs of equal (holdings, free): over all time leaving out (0, 0) hours (len 0), or
// over [first, first + len) with zeros included.
std::vector<HoldingRun> to_runs(const std::map<std::int64_t, Model::HourLedger>& hours, std::int64_t first,
                                std::int64_t len) {
  std::vector<HoldingRun> out;
  auto add = [&](std::int64_t h, Wide held, Wide free) {
    const auto q = static_cast<Qty>(held), f = static_cast<Qty>(free);
    if (!out.empty() && out.back().start_hour + out.back().hours == h && out.back().holdings == q &&
        out.back().free == f)
      ++out.back().hours;
    else
      out.push_back({h, 1, q, f});
  };
  if (len == 0) {
    for (const auto& [h, l] : hours) add(h, l.holdings, l.free);
    return out;
  }
  for (std::int64_t h = first; h < first + len; ++h) {
    auto it = hours.find(h);
    if (it == hours.end()) add(h, 0, 0);
    else add(h, it->second.holdings, it->second.free);
  }
  return out;
}

bool same_runs(const std::vector<HoldingRun>& a, const std::vector<HoldingRun>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].start_hour != b[i].start_hour || a[i].hours != b[i].hours || a[i].holdings != b[i].holdings ||
        a[i].free != b[i].free)
      return false;
  return true;
}

std::string show(const std::vector<HoldingRun>& runs) {
  std::ostringstream s;
  for (std::size_t i = 0; i < runs.size() && i < 12; ++i)
    s << "[" << runs[i].start_hour << "+" << runs[i].hours << "h " << runs[i].holdings << "/" << runs[i].free << "] ";
  if (runs.size() > 12) s << "... (" << runs.size() << " runs)";
  return s.str();
}

}  // namespace

std::string ledger_diff(const Model& model, const Engine& engine, std::uint64_t salt) {
  std::ostringstream s;
  if (engine.risk_checks() != model.risk_checks())
    s << "risk checks: model " << model.risk_checks() << ", engine " << engine.risk_checks() << "\n";
  std::set<std::string> names = model.ledger_accounts();
  for (std::size_t i = 0; i < engine.accounts(); ++i)
    names.insert(std::string(engine.account_name(static_cast<AccountId>(i))));
  const auto& products = engine.catalog().products();
  std::vector<HoldingRun> runs;
  for (const std::string& a : names) {
    const Balance b = engine.balance(a);
    const Wide cash = model.cash(a), committed = model.committed_cash(a);
    if (b.cash != cash || b.committed_cash != committed)
      s << a << ": cash/committed model " << format_money(cash) << "/" << format_money(committed) << ", engine "
        << format_money(b.cash) << "/" << format_money(b.committed_cash) << "\n";
    for (std::size_t pid = 0; pid < products.size(); ++pid) {
      const std::string& product = products[pid].id;
      const auto hours = model.ledger_hours(a, product);
      engine.holdings(a, static_cast<ProductId>(pid), runs);
      const auto want = to_runs(hours, 0, 0);
      if (!same_runs(want, runs)) {
        s << a << " " << product << " holdings over all time:\n  model  " << show(want) << "\n  engine "
          << show(runs) << "\n";
        continue;
      }
      if (hours.empty()) continue;
      // A few windows: around a held hour, over its edges, and far off.
      std::vector<std::int64_t> keys;
      for (const auto& [h, l] : hours) keys.push_back(h);
      for (int k = 0; k < 3; ++k) {
        const std::uint64_t r = (salt + 7919u * k + pid * 104729u) * 0x9E3779B97F4A7C15ull;
        const std::int64_t h = keys[(r >> 7) % keys.size()];
        const std::int64_t first = h - static_cast<std::int64_t>((r >> 20) % 30);
        const std::int64_t len = 1 + static_cast<std::int64_t>((r >> 33) % (k == 2 ? 2000 : 60));
        engine.holdings(a, static_cast<ProductId>(pid), first, len, runs);
        const auto in_window = to_runs(hours, first, len);
        if (!same_runs(in_window, runs))
          s << a << " " << product << " holdings over [" << first << ", +" << len << "h):\n  model  "
            << show(in_window) << "\n  engine " << show(runs) << "\n";
      }
    }
  }
  return s.str();
}

}  // namespace gpux::model
