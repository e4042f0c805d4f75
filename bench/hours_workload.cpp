#include "bench/hours_workload.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include "engine/catalog.hpp"
#include "engine/engine.hpp"
#include "engine/symbol.hpp"
#include "bench/hours_tracker.hpp"
#include "bench/rng.hpp"

namespace gpux::bench {

const char* to_string(HoursKind k) {
  switch (k) {
    case HoursKind::prefill_owner: return "prefill_owner";
    case HoursKind::prefill_lab: return "prefill_lab";
    case HoursKind::block_ioc: return "block_ioc";
    case HoursKind::block_gtc: return "block_gtc";
    case HoursKind::block_fok: return "block_fok";
    case HoursKind::block_min_qty: return "block_min_qty";
    case HoursKind::probe_block720: return "probe_block720";
    case HoursKind::div_buy_ioc: return "div_buy_ioc";
    case HoursKind::div_buy_gtc: return "div_buy_gtc";
    case HoursKind::owner_post: return "owner_post";
    case HoursKind::owner_repost_cancel: return "owner_repost_cancel";
    case HoursKind::owner_cancel: return "owner_cancel";
    case HoursKind::owner_replace_price: return "owner_replace_price";
    case HoursKind::owner_replace_down: return "owner_replace_down";
    case HoursKind::probe_div720: return "probe_div720";
    case HoursKind::probe_div720_cancel: return "probe_div720_cancel";
    case HoursKind::lab_cancel_block: return "lab_cancel_block";
    case HoursKind::lab_cancel_div: return "lab_cancel_div";
    case HoursKind::lab_replace_block: return "lab_replace_block";
    case HoursKind::clock: return "clock";
    case HoursKind::ledger: return "ledger";
    case HoursKind::count_: break;
  }
  return "?";
}

namespace {

constexpr Ts kTs0 = 1795219200000000000;  // 2026-11-21T00:00:00Z, as the v1 workloads
constexpr std::int64_t kNsPerMs = 1'000'000;
constexpr std::int64_t kLeadHours = 4;      // the horizon starts at 04:00Z
constexpr std::int64_t kHorizon = 720;      // hours
constexpr int kOwners = 200;
constexpr int kLabs = 20;
constexpr std::size_t kLabTarget = 120;     // resting lab orders: standing blocks + divisible buys
constexpr std::size_t kProbePeriod = 200;   // one probe of each kind per this many commands
constexpr std::uint32_t kMaxOrders = 1u << 18;
// ~100,000 slices rest: 2^20 (40 MiB of pool) leaves room, where the default 2^24 would map and,
// with prefault, touch 640 MiB for every pass.
constexpr std::uint32_t kMaxSlices = 1u << 20;

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


}  // namespace

HoursWorkload make_hours(std::size_t n, std::size_t warmup, std::uint64_t seed, const HoursLedger& ledger) {
  const Catalog catalog = Catalog::builtin();
  const std::int32_t pi = catalog.find("H100.MEM1");
  const Product& prod = catalog.products()[static_cast<std::size_t>(pi)];
  const ProductId pid = static_cast<ProductId>(pi);
  const Price tick = prod.tick;
  const Qty lot = prod.lot;
  const std::int64_t ref = prod.ref_price / tick;  // ticks
  const std::int64_t h0 = kTs0 / kNsPerHour + kLeadHours;

  HoursWorkload out;
  out.product = prod.id;
  out.first_hour = h0;
  out.horizon = kHorizon;
  out.max_slices = kMaxSlices;

  std::vector<std::string> accounts;
  for (int i = 0; i < kOwners; ++i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "own%03d", i);
    accounts.emplace_back(buf);
  }
  const std::uint32_t lab0 = static_cast<std::uint32_t>(accounts.size());
  for (int i = 0; i < kLabs; ++i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "lab%02d", i);
    accounts.emplace_back(buf);
  }
  const std::uint32_t probe_account = static_cast<std::uint32_t>(accounts.size());
  accounts.emplace_back("probe");

  const std::size_t prefill_labs = kLabTarget;
  // The ledger prefix (HoursLedger): per account its deposits and a fund, then `risk on`.
  const std::size_t ledger_cmds =
      ledger.on ? accounts.size() * (static_cast<std::size_t>(ledger.deposits) + 1) + 1 : 0;
  const std::size_t untimed = ledger_cmds + kOwnerSlots + prefill_labs + warmup;
  const std::size_t total = untimed + n;
  // ts advances ~1.5 x step per command on average (clocks add 100 steps): the whole stream
  // stays within 3 hours, so no hour of the horizon reaches its gate while it runs. The ledger
  // prefix does not count, so that the commands after it are the same with it or without.
  const std::int64_t step = std::max<std::int64_t>(
      1, std::min<std::int64_t>(kNsPerMs, 3 * kNsPerHour / (2 * static_cast<std::int64_t>(total - ledger_cmds))));

  EngineConfig config;
  config.max_orders = kMaxOrders;
  config.max_orders_per_account = kMaxOrders;
  config.max_slices = kMaxSlices;
  Engine engine(catalog, config);
  EventBuffer ev(1 << 14);
  Tracker tr;
  Rng rng{seed};
  Ts ts = kTs0;
  std::uint64_t next_cl = 0;
  bool measuring = false;
  EventTally tally;
  std::map<std::string, std::uint64_t> mix;
  std::vector<Command>& cmds = out.w.cmds;
  cmds.reserve(total);
  out.kind.reserve(total);
  out.hours.reserve(total);

  auto send = [&](Command c, const Meta& m, HoursKind k) {
    c.seq = static_cast<Seq>(cmds.size() + 1);
    c.ts = ts;
    ev.clear();
    tr.touched.clear();
    engine.process(c, ev, nullptr);
    tr.apply(c, m, engine, ev);
    for (OrderId id : tr.touched) tr.check_owner(id);
    if (measuring) {
      tally.add(ev);
      mix[to_string(k)]++;
    }
    cmds.push_back(c);
    out.kind.push_back(k);
    out.hours.push_back(static_cast<std::uint16_t>(m.hours));
  };
  auto new_order = [&](std::uint32_t a, Side s, std::int64_t start, std::int64_t hours,
                       std::int64_t price_ticks, Qty qty, bool divisible) {
    Command c = make_command(CommandType::new_order, 0, 0);
    c.account.assign(accounts[a]);
    c.cl_id.assign(base36(++next_cl));
    c.instrument.assign(format_symbol(prod.id, start, hours));
    c.side = s;
    c.price = PriceField{true, true, price_ticks * tick};
    c.qty = qty;
    c.divisible = divisible;
    return c;
  };
  auto set_tif = [](Command& c, Tif t) {
    c.has_tif = true;
    c.tif = t;
  };
  auto cancel_of = [&](const Tracked& o) {
    Command c = make_command(CommandType::cancel, 0, 0);
    c.account.assign(accounts[o.account]);
    c.has_order_id = true;
    c.order_id = o.id;
    return c;
  };
  auto meta_of = [&](const Tracked& o) {
    Meta m;
    m.owner = o.owner;
    m.probe = o.probe;
    m.account = o.account;
    m.start = o.start;
    m.hours = o.hours;
    return m;
  };

  // An owner's divisible gtc sell: 24-720 hours placed so that every hour of the horizon is
  // covered about equally often (a window may start before the horizon or end after it and is
  // then cut to it, keeping at least 24 hours), 20 price levels from the reference up.
  auto owner_post = [&](int slot, HoursKind k) {
    const std::int64_t len = rng.range(24, kHorizon);
    const std::int64_t s = rng.range(h0 - len + 24, h0 + kHorizon - 24);
    const std::int64_t a = std::max(s, h0), b = std::min(s + len, h0 + kHorizon);
    const auto acct = static_cast<std::uint32_t>(slot % kOwners);
    Command c = new_order(acct, Side::sell, a, b - a, ref + rng.range(0, 19), lot * rng.range(2, 16), true);
    send(c, Meta{slot, false, acct, a, b - a}, k);
  };
  // A lab's block buy: log-uniform 1-720 hours anywhere in the horizon, 4 ticks under the
  // reference to 12 over it (the owners ask from the reference up), 1-8 nodes.
  auto block_buy = [&](HoursKind forced) {
    const std::int64_t len = forced == HoursKind::probe_block720 ? kHorizon : rng.log_uniform(kHorizon);
    const std::int64_t start = rng.range(h0, h0 + kHorizon - len);
    const auto acct = lab0 + static_cast<std::uint32_t>(rng.below(kLabs));
    const std::int64_t lots = rng.range(1, 8);
    Command c = new_order(acct, Side::buy, start, len, ref + rng.range(-4, 12), lot * lots, false);
    HoursKind k = forced;
    if (k != HoursKind::probe_block720 && k != HoursKind::prefill_lab) {
      const std::uint64_t t = rng.below(100);
      k = t < 60 ? HoursKind::block_ioc
                 : t < 80 ? HoursKind::block_gtc : t < 90 ? HoursKind::block_fok : HoursKind::block_min_qty;
    }
    switch (k) {
      case HoursKind::block_ioc:
      case HoursKind::probe_block720:
        set_tif(c, Tif::ioc);
        break;
      case HoursKind::block_fok:
        set_tif(c, Tif::fok);
        break;
      case HoursKind::block_min_qty:
        set_tif(c, Tif::ioc);
        c.has_min_qty = true;
        c.min_qty = lot * rng.range(1, lots);
        break;
      default:
        break;  // gtc
    }
    send(c, Meta{-1, false, acct, start, len}, k);
  };
  // A lab's divisible buy: log-uniform 1-168 hours, 12 ticks under the reference to 4 over it.
  auto div_buy = [&](HoursKind forced) {
    const std::int64_t len = rng.log_uniform(168);
    const std::int64_t start = rng.range(h0, h0 + kHorizon - len);
    const auto acct = lab0 + static_cast<std::uint32_t>(rng.below(kLabs));
    Command c = new_order(acct, Side::buy, start, len, ref + rng.range(-12, 4), lot * rng.range(1, 8), true);
    HoursKind k = forced;
    if (k != HoursKind::prefill_lab) k = rng.chance(0.6) ? HoursKind::div_buy_ioc : HoursKind::div_buy_gtc;
    if (k == HoursKind::div_buy_ioc) set_tif(c, Tif::ioc);
    send(c, Meta{-1, false, acct, start, len}, k);
  };
  auto pick_owner_order = [&]() -> const Tracked* {
    for (int tries = 0; tries < 32; ++tries) {
      const OrderId id = tr.owner_order[rng.below(kOwnerSlots)];
      if (id) return tr.find(id);
    }
    return nullptr;
  };
  auto clock = [&]() {
    ts += 100 * step;
    send(make_command(CommandType::clock, 0, 0), Meta{}, HoursKind::clock);
  };

  // Book shape, sampled outside the measured commands' events (the generator's engine only).
  std::vector<InstrumentId> hour_ids;
  std::vector<LevelView> levels;
  double samples = 0, slices_sum = 0, ask_slices = 0, ask_levels = 0, bid_slices = 0, bid_levels = 0,
         owner_sum = 0, standing_sum = 0, div_buy_sum = 0, resting_sum = 0, tracked_slices = 0,
         books_sum = 0;
  auto sample = [&]() {
    engine.hour_books(pid, hour_ids);
    books_sum += static_cast<double>(hour_ids.size());
    for (InstrumentId id : hour_ids) {
      engine.levels(id, Side::sell, levels, BookKind::hours);
      ask_levels += static_cast<double>(levels.size());
      for (const LevelView& l : levels) ask_slices += l.orders;
      engine.levels(id, Side::buy, levels, BookKind::hours);
      bid_levels += static_cast<double>(levels.size());
      for (const LevelView& l : levels) bid_slices += l.orders;
    }
    slices_sum += static_cast<double>(engine.memory().resting_slices);
    resting_sum += static_cast<double>(engine.resting_orders());
    double owners = 0, standing = 0, div_buys = 0, slices = 0;
    for (const auto& [id, o] : tr.orders) {
      if (o.divisible) slices += static_cast<double>(o.open_hours);
      if (o.owner >= 0) owners += 1;
      else if (!o.probe && o.divisible) div_buys += 1;
      else if (!o.probe) standing += 1;
    }
    owner_sum += owners;
    standing_sum += standing;
    div_buy_sum += div_buys;
    tracked_slices += slices;
    samples += 1;
  };

  // Ledger prefix (untimed, HoursLedger::on only): at kTs0, before anything else.
  if (ledger.on) {
    const std::string horizon = format_symbol(prod.id, h0, kHorizon);
    const std::string amount = std::to_string(ledger.cash / 10000) + "." + [&] {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(ledger.cash % 10000));
      return std::string(buf);
    }();
    for (std::uint32_t a = 0; a < accounts.size(); ++a) {
      for (int d = 0; d < ledger.deposits; ++d) {
        Command c = make_command(CommandType::deposit, 0, 0);
        c.account.assign(accounts[a]);
        c.has_instrument = true;
        c.instrument.assign(horizon);
        c.qty = ledger.qty;
        send(c, Meta{}, HoursKind::ledger);
        if (ev.size() != 1 || ev[0].type != EventType::deposited) {
          std::fprintf(stderr, "gpux-bench: the ledger prefix's deposit was refused\n");
          std::abort();
        }
      }
      Command c = make_command(CommandType::fund, 0, 0);
      c.account.assign(accounts[a]);
      c.amount = AmountField{true, ledger.cash};
      c.amount_text.assign(amount);
      send(c, Meta{}, HoursKind::ledger);
      if (ev.size() != 1 || ev[0].type != EventType::funded) {
        std::fprintf(stderr, "gpux-bench: the ledger prefix's fund was refused\n");
        std::abort();
      }
    }
    Command c = make_command(CommandType::risk, 0, 0);
    c.risk_on = true;
    send(c, Meta{}, HoursKind::ledger);
  }

  // Prefill (untimed): every owner's first order, then the labs' resting orders.
  for (int o = 0; o < kOwnerSlots; ++o) {
    ts += step;
    owner_post(o, HoursKind::prefill_owner);
  }
  for (std::size_t k = 0; k < prefill_labs; ++k) {
    ts += step;
    if (k % 3 == 2)
      div_buy(HoursKind::prefill_lab);
    else
      block_buy(HoursKind::prefill_lab);
  }

  while (cmds.size() < total) {
    const std::size_t g = cmds.size();
    if (g == untimed) measuring = true;
    if (measuring && (g - untimed) % 10'000 == 0) sample();
    ts += static_cast<Ts>(rng.below(static_cast<std::uint64_t>(2 * step + 1)));

    // Probes at fixed places: a 720-hour divisible sell (it rests until its cancel 100
    // commands later), and a 720-hour ioc block buy.
    const std::size_t phase = (g - ledger_cmds) % kProbePeriod;  // as without the ledger prefix
    if (phase == 0 && tr.probe_order == 0) {
      const std::int64_t lots = rng.range(1, 4);
      Command c = new_order(probe_account, Side::sell, h0, kHorizon, ref + rng.range(0, 19), lot * lots, true);
      send(c, Meta{-1, true, probe_account, h0, kHorizon}, HoursKind::probe_div720);
      continue;
    }
    if (phase == kProbePeriod / 2 && tr.probe_order != 0) {
      const Tracked& o = *tr.find(tr.probe_order);
      send(cancel_of(o), meta_of(o), HoursKind::probe_div720_cancel);
      continue;
    }
    if (phase == kProbePeriod / 4) {
      block_buy(HoursKind::probe_block720);
      continue;
    }

    // Owners whose order was consumed or canceled: cancel what is left, then post anew.
    if (!tr.needy.empty() &&
        rng.chance(0.1 + 0.9 * static_cast<double>(tr.needy.size()) / kOwnerSlots)) {
      const int owner = tr.needy.front();
      const OrderId id = tr.owner_order[static_cast<std::size_t>(owner)];
      if (id) {
        const Tracked& o = *tr.find(id);
        send(cancel_of(o), meta_of(o), HoursKind::owner_repost_cancel);
      } else {
        tr.pop_needy();
        owner_post(owner, HoursKind::owner_post);
      }
      continue;
    }

    // Labs cancel resting orders about as fast as they add them.
    const double lab_excess =
        (static_cast<double>(tr.lab_ids.size()) - static_cast<double>(kLabTarget)) / kLabTarget;
    if (!tr.lab_ids.empty() && rng.chance(std::clamp(0.05 + lab_excess * 0.5, 0.0, 0.5))) {
      const Tracked& o = *tr.find(tr.lab_ids[rng.below(tr.lab_ids.size())]);
      send(cancel_of(o), meta_of(o), o.divisible ? HoursKind::lab_cancel_div : HoursKind::lab_cancel_block);
      continue;
    }

    const std::uint64_t r = rng.below(1000);
    if (r < 600) {
      block_buy(HoursKind::block_ioc);
    } else if (r < 700) {
      div_buy(HoursKind::div_buy_ioc);
    } else if (r < 800) {  // an owner moves its price, or lowers its slices at the same price
      const Tracked* found = pick_owner_order();
      if (!found) {
        clock();
        continue;
      }
      const Tracked o = *found;
      Command c = make_command(CommandType::replace, 0, 0);
      c.account.assign(accounts[o.account]);
      c.has_order_id = true;
      c.order_id = o.id;
      Qty smallest = INT64_MAX;
      for (Qty q : o.open)
        if (q > 0) smallest = std::min(smallest, q);
      HoursKind k;
      if (rng.chance(0.25) && smallest != INT64_MAX && smallest >= lot) {
        k = HoursKind::owner_replace_down;
        c.price = PriceField{true, true, o.price};
        c.qty = lot * rng.range(1, smallest / lot);
      } else {
        k = HoursKind::owner_replace_price;
        std::int64_t p;
        do p = ref + rng.range(0, 19);
        while (p * tick == o.price);
        c.price = PriceField{true, true, p * tick};
        c.qty = o.qty0;
      }
      send(c, meta_of(o), k);
    } else if (r < 840) {  // an owner takes its capacity off the market (and re-posts later)
      const Tracked* found = pick_owner_order();
      if (!found) {
        clock();
        continue;
      }
      const Tracked o = *found;
      send(cancel_of(o), meta_of(o), HoursKind::owner_cancel);
    } else if (r < 890) {  // a lab raises a standing block's price: it sweeps again
      const Tracked* found = nullptr;
      for (int tries = 0; tries < 16 && !tr.lab_ids.empty() && !found; ++tries) {
        const Tracked* o = tr.find(tr.lab_ids[rng.below(tr.lab_ids.size())]);
        if (o && !o->divisible && o->price < (ref + 12) * tick) found = o;
      }
      if (!found) {
        block_buy(HoursKind::block_ioc);
        continue;
      }
      const Tracked o = *found;
      Command c = make_command(CommandType::replace, 0, 0);
      c.account.assign(accounts[o.account]);
      c.has_order_id = true;
      c.order_id = o.id;
      c.price = PriceField{true, true, std::min(o.price + rng.range(1, 3) * tick, (ref + 12) * tick)};
      c.qty = o.block_open;
      send(c, meta_of(o), HoursKind::lab_replace_block);
    } else if (r < 895) {
      clock();
    } else {
      block_buy(HoursKind::block_ioc);
    }
  }
  sample();

  Workload& w = out.w;
  w.name = "hours";
  w.untimed = untimed;
  w.max_orders = kMaxOrders;
  w.has_expected = true;
  w.expected = tally;
  for (auto& [k, v] : mix) w.mix.emplace_back(k, v);
  const double hz = static_cast<double>(kHorizon) * samples;
  w.book.emplace_back("avg_resting_orders", resting_sum / samples);
  w.book.emplace_back("avg_owner_orders", owner_sum / samples);
  w.book.emplace_back("avg_standing_blocks", standing_sum / samples);
  w.book.emplace_back("avg_resting_divisible_buys", div_buy_sum / samples);
  w.book.emplace_back("avg_resting_slices", slices_sum / samples);
  if (tracked_slices != slices_sum)
    w.book.emplace_back("avg_resting_slices_tracked_by_bench", tracked_slices / samples);
  w.book.emplace_back("avg_hour_books", books_sum / samples);
  w.book.emplace_back("avg_ask_slices_per_hour", ask_slices / hz);
  w.book.emplace_back("avg_ask_levels_per_hour", ask_levels / hz);
  w.book.emplace_back("avg_bid_slices_per_hour", bid_slices / hz);
  w.book.emplace_back("avg_bid_levels_per_hour", bid_levels / hz);
  return out;
}

}  // namespace gpux::bench
