#include "bench/workloads.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include "bench/rng.hpp"
#include "engine/catalog.hpp"
#include "engine/engine.hpp"
#include "engine/symbol.hpp"

namespace gpux::bench {

void EventTally::add(const EventBuffer& ev) {
  events += ev.size();
  for (const Event& e : ev) {
    by_type[static_cast<std::size_t>(e.type)]++;
    switch (e.type) {
      case EventType::rejected:
      case EventType::cancel_rejected:
      case EventType::replace_rejected:
        rejected_by_reason[static_cast<std::size_t>(e.reason)]++;
        break;
      case EventType::canceled:
      case EventType::expired:
        canceled_by_reason[static_cast<std::size_t>(e.reason)]++;
        break;
      default:
        break;
    }
  }
}

std::uint64_t EventTally::rejections() const {
  return count(EventType::rejected) + count(EventType::cancel_rejected) +
         count(EventType::replace_rejected);
}

namespace {

constexpr Ts kTs0 = 1795219200000000000;  // 2026-11-21T00:00:00Z
constexpr std::int64_t kNsPerSec = 1'000'000'000;
constexpr std::int64_t kNsPerMs = 1'000'000;

std::string base36(std::uint64_t v) {
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  char buf[16];
  int i = 16;
  do {
    buf[--i] = digits[v % 36];
    v /= 36;
  } while (v);
  return std::string(buf + i, buf + 16);
}

// A resting order as the generator knows it, rebuilt from the generator engine's events.
struct Live {
  OrderId id;
  std::uint32_t account;
  std::uint32_t instr;  // the generator's instrument index
  Side side;
  Price price;
  Qty open;
  bool post_only;
  Ts expire_ts;  // gtd only, else INT64_MAX
  FixedString<kMaxClIdLen> cl_id;
};

class Tracker {
 public:
  void apply(const Command& c, std::uint32_t account, std::uint32_t instr, const EventBuffer& ev) {
    for (const Event& e : ev) {
      switch (e.type) {
        case EventType::accepted:
          if (e.seq == c.seq && (e.tif == Tif::gtc || e.tif == Tif::gtd)) {
            pos_[e.order_id] = static_cast<std::uint32_t>(live_.size());
            live_.push_back(Live{e.order_id, account, instr, e.side, e.price, e.qty, e.post_only,
                                 e.tif == Tif::gtd ? e.expire_ts : INT64_MAX, e.cl_id});
          }
          break;
        case EventType::trade:
          leaves(e.buy_order_id, e.buy_leaves);
          leaves(e.sell_order_id, e.sell_leaves);
          break;
        case EventType::canceled:
        case EventType::expired:
          remove(e.order_id);
          break;
        case EventType::replaced: {
          auto it = pos_.find(e.order_id);
          if (it != pos_.end()) {
            Live& o = live_[it->second];
            o.price = e.price;
            o.open = e.qty;
            o.cl_id = e.cl_id;
          }
          break;
        }
        default:
          break;
      }
    }
  }
  std::size_t size() const { return live_.size(); }
  const Live& pick(Rng& rng) const { return live_[rng.below(live_.size())]; }

 private:
  void leaves(OrderId id, Qty q) {
    auto it = pos_.find(id);
    if (it == pos_.end()) return;  // the incoming ioc/fok/market order, or one not resting yet
    if (q == 0)
      remove(id);
    else
      live_[it->second].open = q;
  }
  void remove(OrderId id) {
    auto it = pos_.find(id);
    if (it == pos_.end()) return;
    std::uint32_t i = it->second;
    pos_.erase(it);
    if (i + 1 != live_.size()) {
      live_[i] = live_.back();
      pos_[live_[i].id] = i;
    }
    live_.pop_back();
  }

  std::vector<Live> live_;
  std::unordered_map<OrderId, std::uint32_t> pos_;
};

// Builds a stream by running each command through a generator engine at once, so the next
// command can be drawn from the book as it really is (which orders rest, at what quantity).
class Builder {
 public:
  explicit Builder(std::uint32_t max_orders)
      : engine(Catalog::builtin(), EngineConfig{max_orders}), ev(4096) {}

  void send(Command c, std::uint32_t account, std::uint32_t instr, const char* kind) {
    c.seq = cmds.size() + 1;
    c.ts = ts;
    ev.clear();
    engine.process(c, ev, nullptr);
    tracker.apply(c, account, instr, ev);
    if (measuring) {
      tally.add(ev);
      mix[kind]++;
    }
    cmds.push_back(c);
  }

  void sample_book() {
    std::size_t levels = 0;
    engine.instruments(listed);
    for (const InstrumentId i : listed) {
      for (Side s : {Side::buy, Side::sell}) {
        engine.levels(i, s, scratch);
        levels += scratch.size();
      }
    }
    level_sum += static_cast<double>(levels);
    resting_sum += static_cast<double>(engine.resting_orders());
    tracked_sum += static_cast<double>(tracker.size());
    samples++;
  }

  void finish(Workload& w, std::size_t untimed, std::uint32_t max_orders) {
    w.cmds = std::move(cmds);
    w.untimed = untimed;
    w.max_orders = max_orders;
    w.has_expected = true;
    w.expected = tally;
    for (auto& [k, v] : mix) w.mix.emplace_back(k, v);
    if (samples) {
      w.book.emplace_back("avg_resting_orders", resting_sum / samples);
      w.book.emplace_back("avg_price_levels", level_sum / samples);
      if (tracked_sum != resting_sum)
        w.book.emplace_back("avg_resting_orders_tracked_by_bench", tracked_sum / samples);
    }
  }

  Engine engine;
  EventBuffer ev;
  Tracker tracker;
  std::vector<Command> cmds;
  Ts ts = kTs0;
  bool measuring = false;
  EventTally tally;
  std::map<std::string, std::uint64_t> mix;

 private:
  std::vector<LevelView> scratch;
  std::vector<InstrumentId> listed;
  double level_sum = 0, resting_sum = 0, tracked_sum = 0;
  std::size_t samples = 0;
};

}  // namespace

// ---------------------------------------------------------------------------------------------

Workload make_add_only(std::size_t n) {
  Workload w;
  w.name = "add-only";
  w.cmds.reserve(n);
  const char* sym = "H100.MEM1@2026-12-01T00Z+24h";
  constexpr Price kTick = 10;
  constexpr Qty kLot = 8;
  std::srand(3);
  for (std::size_t i = 0; i < n; ++i) {
    bool buy = i % 2 == 0;
    Price price_ticks = std::rand() % 10 + (buy ? 1880 : 1884);
    Qty lots = (std::rand() % 10 + 1) * 100;
    Command c = make_command(CommandType::new_order, i + 1, kTs0 + static_cast<Ts>(i));
    c.account.assign(buy ? "buyer" : "seller");
    c.cl_id.assign(base36(i + 1));
    c.instrument.assign(sym);
    c.side = buy ? Side::buy : Side::sell;
    c.price = PriceField{true, true, price_ticks * kTick};
    c.qty = lots * kLot;
    w.cmds.push_back(c);
  }
  w.untimed = 0;
  w.max_orders = static_cast<std::uint32_t>(std::min<std::size_t>(n + 1024, 0xFFFFFFF0u));
  w.mix.emplace_back("new_gtc", n);
  return w;
}

// ---------------------------------------------------------------------------------------------

Workload make_mixed(std::size_t n, std::size_t warmup, std::uint64_t seed) {
  constexpr std::size_t kTarget = 1000;  // resting orders
  constexpr std::int64_t kMid = 2100;    // ticks: H100.MEM1's reference price
  constexpr std::int64_t kSpan = 750;    // a passive price is 1..kSpan ticks behind mid
  constexpr Price kTick = 10;
  constexpr Qty kLot = 8;
  constexpr std::uint32_t kMaxOrders = 1u << 16;
  const char* sym = "H100.MEM1@2026-12-01T00Z+24h";

  std::vector<std::string> accounts;
  for (int i = 0; i < 100; ++i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "acct%02d", i);
    accounts.emplace_back(buf);
  }

  Builder b(kMaxOrders);
  b.cmds.reserve(kTarget + warmup + n);
  Rng rng{seed};
  std::uint64_t next_cl = 0;

  auto passive = [&](Side s) {
    std::int64_t t = static_cast<std::int64_t>(rng.below(kSpan)) + 1;
    return (s == Side::buy ? kMid - t : kMid + t) * kTick;
  };
  // Crosses up to 4 ticks past mid: takes out the best few levels of the other side.
  auto aggressive = [&](Side s) {
    std::int64_t t = static_cast<std::int64_t>(rng.below(4)) + 1;
    return (s == Side::buy ? kMid + t : kMid - t) * kTick;
  };
  auto send_new = [&](Side side, Price price, Tif tif, const char* kind) {
    std::uint32_t a = static_cast<std::uint32_t>(rng.below(accounts.size()));
    Command c = make_command(CommandType::new_order, 0, 0);
    c.account.assign(accounts[a]);
    c.cl_id.assign(base36(++next_cl));
    c.instrument.assign(sym);
    c.side = side;
    c.price = PriceField{true, true, price};
    c.qty = kLot * rng.range(1, 10);
    if (tif != Tif::gtc) {
      c.has_tif = true;
      c.tif = tif;
    }
    b.send(c, a, 0, kind);
  };

  // The initial book: kTarget passive orders, untimed.
  for (std::size_t i = 0; i < kTarget; ++i) {
    Side s = i % 2 ? Side::sell : Side::buy;
    send_new(s, passive(s), Tif::gtc, "prefill");
  }
  const std::size_t untimed = b.cmds.size() + warmup;
  const std::size_t total = untimed + n;

  while (b.cmds.size() < total) {
    if (b.cmds.size() == untimed) b.measuring = true;
    if (b.measuring && (b.cmds.size() - untimed) % 1000 == 0) b.sample_book();
    b.ts += 1000;  // 1 us a command; nothing in this workload expires
    std::size_t live = b.tracker.size();
    // Population control without changing the mix: above the target, new GTC orders turn
    // aggressive (they consume instead of rest); below it they are all passive.
    double excess = (static_cast<double>(live) - kTarget) / kTarget;
    double p_aggr = std::clamp(excess * 10.0, 0.0, 0.6);
    std::uint64_t r = rng.below(100);
    if (r < 9 || live == 0) {
      Side s = rng.below(2) ? Side::sell : Side::buy;
      send_new(s, rng.chance(p_aggr) ? aggressive(s) : passive(s), Tif::gtc, "new_gtc");
    } else if (r < 12) {
      Side s = rng.below(2) ? Side::sell : Side::buy;
      send_new(s, aggressive(s), Tif::ioc, "new_ioc");
    } else if (r < 18) {
      const Live& o = b.tracker.pick(rng);
      Command c = make_command(CommandType::cancel, 0, 0);
      c.account.assign(accounts[o.account]);
      c.has_order_id = true;
      c.order_id = o.id;
      b.send(c, o.account, 0, "cancel");
    } else {
      const Live o = b.tracker.pick(rng);
      Price p;
      do p = passive(o.side);
      while (p == o.price);
      Command c = make_command(CommandType::replace, 0, 0);
      c.account.assign(accounts[o.account]);
      c.has_order_id = true;
      c.order_id = o.id;
      c.price = PriceField{true, true, p};
      c.qty = o.open;
      b.send(c, o.account, 0, "replace_price");
    }
  }
  b.sample_book();

  Workload w;
  w.name = "mixed";
  b.finish(w, untimed, kMaxOrders);
  return w;
}

// ---------------------------------------------------------------------------------------------

Workload make_blocks(std::size_t n, std::size_t warmup, std::uint64_t seed) {
  constexpr std::size_t kWindows = 20;
  constexpr std::size_t kTarget = 6000;
  constexpr std::int64_t kSpan = 40;  // passive prices: 1..kSpan ticks behind the product's ref
  constexpr std::uint32_t kMaxOrders = 1u << 18;

  struct Instr {
    std::string sym;
    std::int64_t mid;  // ticks
    Price tick;
    Qty lot;
    Ts closes;  // gate closure
  };
  const Catalog catalog = Catalog::builtin();
  std::vector<Instr> instrs;
  std::vector<std::uint32_t> hot;
  // Window k of every product starts k days after 2026-11-21T01Z; k = 0 closes (gate at
  // 00:55) about 3,300 s of simulated time into the stream, so its orders expire mid-run.
  const std::int64_t first_hour = kTs0 / kNsPerHour + 1;
  const std::int64_t hours_of[5] = {1, 4, 8, 24, 168};
  for (const Product& p : catalog.products()) {
    for (std::size_t k = 0; k < kWindows; ++k) {
      std::int64_t start = first_hour + static_cast<std::int64_t>(k) * 24;
      std::int64_t hours = hours_of[k % 5];
      if (k == 1 || k == 2) hot.push_back(static_cast<std::uint32_t>(instrs.size()));
      instrs.push_back(Instr{format_symbol(p.id, start, hours), p.ref_price / p.tick, p.tick,
                             p.lot, start * kNsPerHour - p.gate_minutes * kNsPerMinute});
    }
  }
  std::vector<std::string> accounts;
  for (int i = 0; i < 8; ++i) accounts.push_back("desk" + std::to_string(i));

  Builder b(kMaxOrders);
  b.cmds.reserve(kTarget + warmup + n);
  Rng rng{seed};
  std::uint64_t next_cl = 0;

  auto pick_instr = [&]() {
    for (;;) {
      std::uint32_t i = rng.below(2) ? hot[rng.below(hot.size())]
                                     : static_cast<std::uint32_t>(rng.below(instrs.size()));
      if (b.ts < instrs[i].closes - kNsPerSec) return i;
    }
  };
  auto passive = [&](std::uint32_t i, Side s) {
    std::int64_t t = static_cast<std::int64_t>(rng.below(kSpan)) + 1;
    return (s == Side::buy ? instrs[i].mid - t : instrs[i].mid + t) * instrs[i].tick;
  };
  auto aggressive = [&](std::uint32_t i, Side s) {
    std::int64_t t = static_cast<std::int64_t>(rng.below(5)) + 1;
    return (s == Side::buy ? instrs[i].mid + t : instrs[i].mid - t) * instrs[i].tick;
  };
  auto base_new = [&](std::uint32_t i, std::uint32_t a, Side s) {
    Command c = make_command(CommandType::new_order, 0, 0);
    c.account.assign(accounts[a]);
    c.cl_id.assign(base36(++next_cl));
    c.instrument.assign(instrs[i].sym);
    c.side = s;
    c.qty = instrs[i].lot * rng.range(1, 10);
    std::uint64_t stp = rng.below(100);
    if (stp >= 85)
      c.stp = Stp::cancel_both;
    else if (stp >= 70)
      c.stp = Stp::cancel_aggressor;
    return c;
  };
  // A resting order that no expiry before the next command can remove (gtd deadline or gate
  // closure at or before b.ts would expire it first and the command would meet unknown_order).
  auto pick_live = [&]() -> std::optional<Live> {
    for (int tries = 0; tries < 64 && b.tracker.size(); ++tries) {
      const Live& o = b.tracker.pick(rng);
      if (o.expire_ts > b.ts && instrs[o.instr].closes > b.ts) return o;
    }
    return std::nullopt;
  };
  auto set_tif = [](Command& c, Tif t) {
    c.has_tif = true;
    c.tif = t;
  };

  // The initial book: passive GTC orders over all instruments, untimed.
  for (std::size_t k = 0; k < kTarget; ++k) {
    b.ts += static_cast<Ts>(rng.below(kNsPerMs));
    std::uint32_t i = pick_instr();
    std::uint32_t a = static_cast<std::uint32_t>(rng.below(accounts.size()));
    Side s = rng.below(2) ? Side::sell : Side::buy;
    Command c = base_new(i, a, s);
    c.price = PriceField{true, true, passive(i, s)};
    b.send(c, a, i, "prefill");
  }
  const std::size_t untimed = b.cmds.size() + warmup;
  const std::size_t total = untimed + n;

  while (b.cmds.size() < total) {
    if (b.cmds.size() == untimed) b.measuring = true;
    if (b.measuring && (b.cmds.size() - untimed) % 1000 == 0) b.sample_book();
    b.ts += static_cast<Ts>(rng.below(10 * kNsPerMs));  // 5 ms a command on average
    std::size_t live = b.tracker.size();
    double excess = (static_cast<double>(live) - kTarget) / kTarget;
    double p_aggr = std::clamp(0.1 + excess * 10.0, 0.05, 0.9);
    std::uint64_t top = rng.below(1000);
    if (live == 0 && top >= 500 && top < 950) top = 0;

    if (top < 500 || top >= 992) {  // new order
      std::uint32_t i = pick_instr();
      std::uint32_t a = static_cast<std::uint32_t>(rng.below(accounts.size()));
      Side s = rng.below(2) ? Side::sell : Side::buy;
      Command c = base_new(i, a, s);
      const Qty lot = instrs[i].lot;
      auto limit = [&](bool aggr) {
        c.price = PriceField{true, true, aggr ? aggressive(i, s) : passive(i, s)};
      };
      const char* kind;
      std::uint64_t k = rng.below(100);
      if (k < 40) {
        kind = "new_gtc";
        limit(rng.chance(p_aggr));
      } else if (k < 55) {
        kind = "new_gtd";
        limit(rng.chance(p_aggr));
        set_tif(c, Tif::gtd);
        c.has_expire_ts = true;
        c.expire_ts = b.ts + rng.range(1, 120) * kNsPerSec;
      } else if (k < 63) {
        kind = "new_iceberg";
        limit(rng.chance(p_aggr));
        c.qty = lot * rng.range(4, 20);
        c.has_display_qty = true;
        c.display_qty = lot * rng.range(1, 3);
      } else if (k < 68) {
        kind = "new_min_qty";
        limit(rng.chance(0.5));
        std::int64_t lots = rng.range(2, 10);
        c.qty = lot * lots;
        c.has_min_qty = true;
        c.min_qty = lot * rng.range(1, lots);
      } else if (k < 72) {
        kind = "new_post_only";
        limit(false);
        c.post_only = true;
      } else if (k < 82) {
        kind = "new_ioc";
        limit(true);
        set_tif(c, Tif::ioc);
      } else if (k < 88) {
        kind = "new_fok";
        limit(true);
        set_tif(c, Tif::fok);
        c.qty = lot * rng.range(1, 15);
      } else if (k < 94) {
        kind = "new_market";
        c.order_type = OrderType::market;
        c.price = PriceField{false, false, 0};
        c.qty = lot * rng.range(1, 5);
      } else if (k < 97) {
        kind = "new_market_fok";
        c.order_type = OrderType::market;
        c.price = PriceField{false, false, 0};
        c.qty = lot * rng.range(1, 5);
        set_tif(c, Tif::fok);
      } else {
        kind = "new_gtd_iceberg";
        limit(rng.chance(p_aggr));
        set_tif(c, Tif::gtd);
        c.has_expire_ts = true;
        c.expire_ts = b.ts + rng.range(1, 120) * kNsPerSec;
        c.qty = lot * rng.range(4, 20);
        c.has_display_qty = true;
        c.display_qty = lot * rng.range(1, 3);
      }
      b.send(c, a, i, kind);
    } else if (top < 830) {  // replace
      auto found = pick_live();
      if (!found) {
        b.send(make_command(CommandType::clock, 0, 0), 0, 0, "clock");
        continue;
      }
      const Live o = *found;
      const Instr& in = instrs[o.instr];
      Command c = make_command(CommandType::replace, 0, 0);
      c.account.assign(accounts[o.account]);
      if (rng.below(2)) {
        c.has_cl_id = true;
        c.cl_id = o.cl_id;
      } else {
        c.has_order_id = true;
        c.order_id = o.id;
      }
      if (rng.below(100) < 20) {
        c.has_new_cl_id = true;
        c.new_cl_id.assign(base36(++next_cl));
      }
      const char* kind;
      std::uint64_t k = rng.below(100);
      if (k < 35) {
        kind = "replace_qty_down";  // keeps priority
        c.price = PriceField{true, true, o.price};
        c.qty = in.lot * rng.range(1, o.open / in.lot);
      } else {
        Price p;
        bool aggr = rng.chance(p_aggr / 2);
        do p = aggr ? aggressive(o.instr, o.side) : passive(o.instr, o.side);
        while (p == o.price);
        c.price = PriceField{true, true, p};
        if (k < 85) {
          kind = "replace_price";
          c.qty = o.open;
        } else {
          kind = "replace_price_qty";
          c.qty = in.lot * rng.range(1, 10);
        }
      }
      b.send(c, o.account, o.instr, kind);
    } else if (top < 950) {  // cancel
      auto found = pick_live();
      if (!found) {
        b.send(make_command(CommandType::clock, 0, 0), 0, 0, "clock");
        continue;
      }
      const Live o = *found;
      Command c = make_command(CommandType::cancel, 0, 0);
      c.account.assign(accounts[o.account]);
      if (rng.below(2)) {
        c.has_cl_id = true;
        c.cl_id = o.cl_id;
      } else {
        c.has_order_id = true;
        c.order_id = o.id;
      }
      b.send(c, o.account, o.instr, "cancel");
    } else if (top < 990) {  // time passes: up to 100 ms more
      b.ts += static_cast<Ts>(rng.below(100 * kNsPerMs));
      b.send(make_command(CommandType::clock, 0, 0), 0, 0, "clock");
    } else {  // one account's orders on one instrument
      std::uint32_t i = pick_instr();
      std::uint32_t a = static_cast<std::uint32_t>(rng.below(accounts.size()));
      Command c = make_command(CommandType::mass_cancel, 0, 0);
      c.account.assign(accounts[a]);
      c.has_instrument = true;
      c.instrument.assign(instrs[i].sym);
      b.send(c, a, i, "mass_cancel");
    }
  }
  b.sample_book();

  Workload w;
  w.name = "blocks";
  b.finish(w, untimed, kMaxOrders);
  return w;
}

}  // namespace gpux::bench
