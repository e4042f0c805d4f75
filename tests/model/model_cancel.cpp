// The model's expiries, cancels, mass cancels and kills, of blocks and of divisible orders
// (SPEC §3 "Time", "Cancel", "Kill"; §6 "Time", "Cancel, mass cancel, kill").
#include <algorithm>
#include <tuple>

#include "tests/model/model.hpp"
#include "tests/model/model_internal.hpp"

namespace gpux::model {

using nlohmann::json;
using namespace detail;

void Model::div_cancel_events(const DivOrder& d, const std::map<std::int64_t, std::int64_t>& open, const char* type,
                              const char* reason, Seq seq, Ts ts, std::vector<json>& out) {
  // Runs of consecutive hours with the same open quantity, ascending.
  std::vector<std::pair<std::int64_t, std::int64_t>> runs;  // (first hour, length)
  std::vector<std::int64_t> leaves;
  std::int64_t prev_hour = 0;
  for (const auto& [hour, q] : open) {
    if (!runs.empty() && hour == prev_hour + 1 && leaves.back() == q) {
      ++runs.back().second;
    } else {
      runs.push_back({hour, 1});
      leaves.push_back(q);
    }
    prev_hour = hour;
  }
  if (runs.size() > 1) ++coverage_[std::string("hours: one ") + type + " split in runs"];
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].second > 1) ++coverage_[std::string("hours: merged ") + type];
    json e = event(type, seq, ts);
    e["order_id"] = d.id;
    e["account"] = d.account;
    e["cl_id"] = d.cl_id;
    e["instrument"] = hours_symbol(d.product, runs[i].first, runs[i].second);
    e["leaves"] = leaves[i];
    e["reason"] = reason;
    out.push_back(e);
  }
}

void Model::run_expiries(const Command& c, std::vector<json>& out) {
  // Everything due: (deadline, order_id, hour-or-block); slices of one order at one deadline
  // go out together, merged.
  struct Due {
    std::int64_t deadline;
    OrderId id;
    bool block;
  };
  std::vector<Due> due;
  for (const Order& o : st_.book)
    if (o.deadline <= c.ts) due.push_back({o.deadline, o.id, true});
  for (const auto& [id, d] : st_.divs) {
    const Product* p = find_product(d.product);
    std::set<std::int64_t> deadlines;
    for (const auto& [hour, s] : d.slices) {
      const std::int64_t gate = hour * kHourNs - p->gate_minutes * kMinuteNs;
      const std::int64_t deadline = d.gtd ? std::min(d.expire_ts, gate) : gate;
      if (deadline <= c.ts) deadlines.insert(deadline);
    }
    for (std::int64_t dl : deadlines) due.push_back({dl, id, false});
  }
  std::sort(due.begin(), due.end(), [](const Due& a, const Due& b) {
    return std::tie(a.deadline, a.id) < std::tie(b.deadline, b.id);
  });
  if (due.size() > 1) ++coverage_["expiry: batch"];
  for (std::size_t i = 0; i + 1 < due.size(); ++i)
    if (due[i].deadline == due[i + 1].deadline && due[i].block && due[i + 1].block &&
        st_.book[static_cast<std::size_t>(find_order(st_, due[i].id))].symbol !=
            st_.book[static_cast<std::size_t>(find_order(st_, due[i + 1].id))].symbol)
      ++coverage_["expiry: equal deadlines across instruments"];
  for (std::size_t i = 0; i + 1 < due.size(); ++i)
    if (due[i].deadline == due[i + 1].deadline && due[i].block != due[i + 1].block)
      ++coverage_["hours: block and slices expire together"];

  for (const Due& x : due) {
    if (x.block) {
      const int idx = find_order(st_, x.id);
      const Order o = st_.book[static_cast<std::size_t>(idx)];
      json e = event("expired", c.seq, o.deadline);
      e["order_id"] = o.id;
      e["account"] = o.account;
      e["cl_id"] = o.cl_id;
      e["leaves"] = o.open;
      e["reason"] = o.gate_reason ? "gate_closed" : "gtd";
      out.push_back(e);
      st_.book.erase(st_.book.begin() + idx);
      continue;
    }
    DivOrder& d = st_.divs.at(x.id);
    const Product* p = find_product(d.product);
    // The slices due at this deadline, split by reason; each reason's runs are merged, and
    // runs go out in ascending hour whatever their reason.
    std::map<std::int64_t, std::int64_t> gate_closed, gtd;
    for (const auto& [hour, s] : d.slices) {
      const std::int64_t gate = hour * kHourNs - p->gate_minutes * kMinuteNs;
      const std::int64_t deadline = d.gtd ? std::min(d.expire_ts, gate) : gate;
      if (deadline != x.deadline) continue;
      const bool gate_reason = !d.gtd || gate <= d.expire_ts;
      (gate_reason ? gate_closed : gtd)[hour] = s.open;
    }
    std::vector<json> events;
    div_cancel_events(d, gate_closed, "expired", "gate_closed", c.seq, x.deadline, events);
    div_cancel_events(d, gtd, "expired", "gtd", c.seq, x.deadline, events);
    // Ascending first hour of each run (the two sets of runs interleave by hour).
    std::stable_sort(events.begin(), events.end(), [](const json& a, const json& b) {
      return parse_symbol(a["instrument"].get<std::string>())->start_ns <
             parse_symbol(b["instrument"].get<std::string>())->start_ns;
    });
    ++coverage_[gtd.empty() ? "hours: slice expiry, gate_closed" : "hours: slice expiry, gtd"];
    for (json& e : events) out.push_back(e);
    for (const auto& [hour, q] : gate_closed) d.slices.erase(hour);
    for (const auto& [hour, q] : gtd) d.slices.erase(hour);
    if (d.slices.empty()) st_.divs.erase(x.id);
  }
}

void Model::do_cancel(const Command& c, std::vector<json>& out) {
  const std::string account = str(c.account.view());
  int idx = -1;
  OrderId div = 0;
  if (c.has_order_id) {
    idx = find_order(st_, c.order_id);
    if (idx >= 0 && st_.book[static_cast<std::size_t>(idx)].account != account) idx = -1;
    auto it = st_.divs.find(c.order_id);
    if (it != st_.divs.end() && it->second.account == account) div = c.order_id;
  } else {
    idx = find_by_cl_id(st_, account, c.cl_id.view());
    div = find_div_by_cl_id(st_, account, c.cl_id.view());
  }
  if (div != 0) {
    const DivOrder d = st_.divs.at(div);
    std::map<std::int64_t, std::int64_t> open;
    for (const auto& [hour, s] : d.slices) open[hour] = s.open;
    div_cancel_events(d, open, "canceled", "user", c.seq, c.ts, out);
    st_.divs.erase(div);
    return;
  }
  if (idx < 0) {
    json e = event("cancel_rejected", c.seq, c.ts);
    e["account"] = account;
    if (c.has_cl_id) e["cl_id"] = str(c.cl_id.view());
    if (c.has_order_id) e["order_id"] = c.order_id;
    e["reason"] = "unknown_order";
    out.push_back(e);
    return;
  }
  const Order o = st_.book[static_cast<std::size_t>(idx)];
  out.push_back(canceled_event(c.seq, c.ts, o.id, o.account, o.cl_id, o.open, "user"));
  st_.book.erase(st_.book.begin() + idx);
}

// Cancels the given orders (blocks and divisible orders) in ascending order_id.
static void cancel_all(std::vector<OrderId> ids, const std::function<void(OrderId)>& one) {
  std::sort(ids.begin(), ids.end());
  for (OrderId id : ids) one(id);
}

void Model::do_mass_cancel(const Command& c, std::vector<json>& out, const char* reason) {
  const std::string account = str(c.account.view());
  auto selected = [&](const std::string& acct, const std::string& symbol, const std::string& product) {
    if (acct != account) return false;
    if (c.has_instrument) return symbol == c.instrument.view();
    if (c.has_product) return product == c.product.view();
    return true;
  };
  std::vector<OrderId> ids;
  for (const Order& o : st_.book)
    if (selected(o.account, o.symbol, o.product)) ids.push_back(o.id);
  for (const auto& [id, d] : st_.divs)
    if (selected(d.account, d.symbol, d.product)) ids.push_back(id);
  cancel_all(ids, [&](OrderId id) { cancel_any(id, reason, c.seq, c.ts, out); });
}

void Model::do_kill(const Command& c, std::vector<json>& out) {
  const std::string account = str(c.account.view());
  json e = event("killed", c.seq, c.ts);
  e["account"] = account;
  out.push_back(e);
  st_.killed_accounts.insert(account);
  std::vector<OrderId> ids;
  for (const Order& o : st_.book)
    if (o.account == account) ids.push_back(o.id);
  for (const auto& [id, d] : st_.divs)
    if (d.account == account) ids.push_back(id);
  cancel_all(ids, [&](OrderId id) { cancel_any(id, "kill", c.seq, c.ts, out); });
}

void Model::cancel_any(OrderId id, const char* reason, Seq seq, Ts ts, std::vector<json>& out) {
  auto it = st_.divs.find(id);
  if (it != st_.divs.end()) {
    std::map<std::int64_t, std::int64_t> open;
    for (const auto& [hour, s] : it->second.slices) open[hour] = s.open;
    div_cancel_events(it->second, open, "canceled", reason, seq, ts, out);
    st_.divs.erase(it);
    return;
  }
  const int idx = find_order(st_, id);
  const Order o = st_.book[static_cast<std::size_t>(idx)];
  out.push_back(canceled_event(seq, ts, o.id, o.account, o.cl_id, o.open, reason));
  st_.book.erase(st_.book.begin() + idx);
}

}  // namespace gpux::model
