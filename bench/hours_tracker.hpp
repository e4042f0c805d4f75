// The hours workload's view of the market (bench/hours_workload.cpp): every resting order as
// the generator knows it, rebuilt from the events of the engine that generates the commands, so
// that owners re-post what was consumed and labs cancel and replace orders that really rest.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "engine/engine.hpp"
#include "engine/symbol.hpp"

namespace gpux::bench {

// Orders owners keep resting: owner i holds slot i and, for half of them, slot i + 200 too. With
// windows cut to the horizon (223 hours on average) that is ~95 slices in every hour.
constexpr int kOwnerSlots = 300;

// Who sent a command, and the window it concerns.
struct Meta {
  int owner = -1;  // the owner's slot (kOwnerSlots), -1 for a lab or the probe account
  bool probe = false;
  std::uint32_t account = 0;
  std::int64_t start = 0, hours = 0;
};

// A resting order as the generator knows it, rebuilt from the generator engine's events.
struct Tracked {
  OrderId id;
  int owner;
  bool probe;
  std::uint32_t account;
  Side side;
  bool divisible;
  Price price;
  std::int64_t start, hours;
  Qty qty0;
  std::vector<Qty> open;   // divisible: per hour of the window (0: no slice rests there)
  std::int64_t open_hours;  // divisible: hours with a resting slice
  Qty gpu_hours;            // divisible: sum of open
  Qty block_open;           // block: open quantity
};

class Tracker {
 public:
  Tracker() : owner_order(kOwnerSlots, 0), needy_flag(kOwnerSlots, false) {}

  void apply(const Command& c, const Meta& m, const Engine& engine, const EventBuffer& ev) {
    for (const Event& e : ev) {
      switch (e.type) {
        case EventType::accepted:
          if (e.seq == c.seq && (e.tif == Tif::gtc || e.tif == Tif::gtd)) add(c, m, e);
          break;
        case EventType::trade: {
          Symbol sym{};
          const bool rect = parse_symbol(engine.symbol(e.instrument), sym);
          fill(e.buy_order_id, e.buy_leaves, rect, sym);
          fill(e.sell_order_id, e.sell_leaves, rect, sym);
          break;
        }
        case EventType::canceled:
        case EventType::expired: {
          auto it = orders.find(e.order_id);
          if (it == orders.end()) break;
          Symbol sym{};
          if (it->second.divisible && e.has_instrument &&
              parse_symbol(engine.symbol(e.instrument), sym))
            set_hours(it->second, sym.start_hour, sym.hours, 0);
          else
            set_hours(it->second, it->second.start, it->second.hours, 0);
          if (it->second.open_hours == 0) remove(it);
          break;
        }
        case EventType::replaced: {
          auto it = orders.find(e.order_id);
          if (it == orders.end()) break;
          Tracked& o = it->second;
          o.price = e.price;
          if (o.divisible) {
            for (Qty& q : o.open)
              if (q > 0) {
                o.gpu_hours += e.qty - q;
                q = e.qty;
              }
          } else {
            o.block_open = e.qty;
          }
          break;
        }
        default:
          break;
      }
    }
  }

  // An owner whose order has lost half the GPU-hours it offered goes to the needy queue (it
  // will cancel what is left and post anew); checked after every command that traded with it.
  void check_owner(OrderId id) {
    auto it = orders.find(id);
    if (it == orders.end()) return;
    const Tracked& o = it->second;
    if (o.owner >= 0 && 2 * o.gpu_hours < o.qty0 * o.hours) make_needy(o.owner);
  }

  void make_needy(int owner) {
    if (needy_flag[static_cast<std::size_t>(owner)]) return;
    needy_flag[static_cast<std::size_t>(owner)] = true;
    needy.push_back(owner);
  }
  int pop_needy() {
    int o = needy.front();
    needy.erase(needy.begin());
    needy_flag[static_cast<std::size_t>(o)] = false;
    return o;
  }

  const Tracked* find(OrderId id) const {
    auto it = orders.find(id);
    return it == orders.end() ? nullptr : &it->second;
  }

  std::unordered_map<OrderId, Tracked> orders;
  std::vector<OrderId> lab_ids;  // resting lab orders, any order
  std::vector<OrderId> owner_order;  // per owner slot, 0 when none rests
  std::vector<bool> needy_flag;
  std::vector<int> needy;  // owner slots that should (cancel what is left and) post again
  OrderId probe_order = 0;
  std::vector<OrderId> touched;  // owner orders whose quantity went down in this command

 private:
  void add(const Command& c, const Meta& m, const Event& e) {
    Tracked t{};
    t.id = e.order_id;
    t.owner = m.owner;
    t.probe = m.probe;
    t.account = m.account;
    t.side = e.side;
    t.divisible = c.divisible;
    t.price = e.price;
    t.start = m.start;
    t.hours = m.hours;
    t.qty0 = e.qty;
    if (t.divisible) {
      t.open.assign(static_cast<std::size_t>(m.hours), e.qty);
      t.open_hours = m.hours;
      t.gpu_hours = e.qty * m.hours;
    } else {
      t.open_hours = 1;
      t.block_open = e.qty;
    }
    orders.emplace(t.id, std::move(t));
    if (m.owner >= 0)
      owner_order[static_cast<std::size_t>(m.owner)] = e.order_id;
    else if (m.probe)
      probe_order = e.order_id;
    else {
      lab_pos[e.order_id] = lab_ids.size();
      lab_ids.push_back(e.order_id);
    }
  }

  void fill(OrderId id, Qty leaves, bool rect, const Symbol& sym) {
    auto it = orders.find(id);
    if (it == orders.end()) return;  // the incoming ioc/fok order, or one not tracked
    Tracked& o = it->second;
    if (!o.divisible) {
      o.block_open = leaves;
      if (leaves == 0) remove(it);
      return;
    }
    if (rect)
      set_hours(o, sym.start_hour, sym.hours, leaves);
    else
      set_hours(o, o.start, o.hours, leaves);
    if (o.owner >= 0) touched.push_back(id);
    if (o.open_hours == 0) remove(it);
  }

  // Sets the open quantity of the order's hours within [start, start + n).
  static void set_hours(Tracked& o, std::int64_t start, std::int64_t n, Qty q) {
    if (!o.divisible) {
      o.block_open = q;
      o.open_hours = q > 0;
      return;
    }
    const std::int64_t a = std::max(start, o.start), b = std::min(start + n, o.start + o.hours);
    for (std::int64_t h = a; h < b; ++h) {
      Qty& s = o.open[static_cast<std::size_t>(h - o.start)];
      if (s > 0 && q == 0) --o.open_hours;
      if (s == 0 && q > 0) ++o.open_hours;
      o.gpu_hours += q - s;
      s = q;
    }
  }

  void remove(std::unordered_map<OrderId, Tracked>::iterator it) {
    const Tracked& o = it->second;
    if (o.owner >= 0) {
      owner_order[static_cast<std::size_t>(o.owner)] = 0;
      make_needy(o.owner);
    } else if (o.probe) {
      probe_order = 0;
    } else {
      auto p = lab_pos.find(o.id);
      if (p != lab_pos.end()) {
        const std::size_t i = p->second;
        lab_pos.erase(p);
        if (i + 1 != lab_ids.size()) {
          lab_ids[i] = lab_ids.back();
          lab_pos[lab_ids[i]] = i;
        }
        lab_ids.pop_back();
      }
    }
    orders.erase(it);
  }

  std::unordered_map<OrderId, std::size_t> lab_pos;
};

}  // namespace gpux::bench
