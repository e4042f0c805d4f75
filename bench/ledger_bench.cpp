#include "bench/ledger_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/engine_bench.hpp"
#include "bench/hours_bench.hpp"
#include "bench/hours_workload.hpp"
#include "bench/machine.hpp"
#include "bench/report.hpp"
#include "bench/rng.hpp"
#include "bench/timing.hpp"
#include "engine/hour_runs.hpp"
#include "engine/types.hpp"

namespace gpux::bench {
namespace {

using clk = std::chrono::steady_clock;

constexpr std::int64_t kH0 = 1795219200000000000 / kNsPerHour;  // 2026-11-21T00:00Z, in hours
constexpr std::int64_t kThreeYears = 26'280;                   // hours: a product's max_hours
constexpr std::int64_t kWindow = 720;                          // the sell being checked
constexpr std::int64_t kGpus = 4'096;                          // the deposit
constexpr std::size_t kStarts = 4'096;                         // window starts, cycled through

volatile std::int64_t g_sink;  // keeps results alive

void log(const LedgerBenchOptions& opt, const char* what) {
  if (opt.json) return;
  std::fprintf(stderr, "# ledger: %s\n", what);
  std::fflush(stderr);
}

// Per-operation cost from batches: each batch runs `op` back to back for ~batch_ms (the count is
// found once, doubling from 1 until a run takes 1 ms), timed by one steady_clock pair. Median
// over `repeat` batches, with the fastest and slowest batch.
struct Batches {
  double median = 0, min = 0, max = 0;
  std::size_t per_batch = 0;
  std::size_t batches = 0;
};

template <class Op>
Batches batches(Op&& op, const LedgerBenchOptions& opt) {
  std::int64_t sink = 0;
  std::size_t k = 1;
  std::size_t per = 1;
  for (;;) {
    const auto t0 = clk::now();
    for (std::size_t i = 0; i < k; ++i) sink += op(i);
    const double s = std::chrono::duration<double>(clk::now() - t0).count();
    if (s >= 1e-3 || k >= (std::size_t{1} << 30)) {
      per = std::max<std::size_t>(1, static_cast<std::size_t>(static_cast<double>(k) * opt.batch_ms * 1e-3 / s));
      break;
    }
    k *= 2;
  }
  std::vector<double> ns;
  for (std::size_t r = 0; r < std::max<std::size_t>(1, opt.repeat); ++r) {
    const auto t0 = clk::now();
    for (std::size_t i = 0; i < per; ++i) sink += op(i);
    const double s = std::chrono::duration<double, std::nano>(clk::now() - t0).count();
    ns.push_back(s / static_cast<double>(per));
  }
  g_sink = sink;
  std::sort(ns.begin(), ns.end());
  return {ns[ns.size() / 2], ns.front(), ns.back(), per, ns.size()};
}

// Per-operation TSC intervals over `count` operations (each interval includes the timer's own
// ~20 ns: machine.timer_overhead_ns).
template <class Op>
Percentiles each(Op&& op, std::size_t count, const TscClock& clock) {
  std::vector<std::uint64_t> ticks(count);
  std::int64_t sink = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t a = tsc_begin();
    sink += op(i);
    const std::uint64_t b = tsc_end();
    ticks[i] = b - a;
  }
  g_sink = sink;
  return Percentiles::of(std::move(ticks), clock);
}

// One operation that needs an untimed reset after it (filling a map): steady_clock around each,
// median over `repeat`.
Batches singles(const std::function<std::int64_t()>& op, const std::function<void()>& reset,
                const LedgerBenchOptions& opt) {
  std::vector<double> ns;
  std::int64_t sink = op();  // warm
  reset();
  for (std::size_t r = 0; r < std::max<std::size_t>(1, opt.repeat); ++r) {
    const auto t0 = clk::now();
    sink += op();
    const double s = std::chrono::duration<double, std::nano>(clk::now() - t0).count();
    reset();
    ns.push_back(s);
  }
  g_sink = sink;
  std::sort(ns.begin(), ns.end());
  return {ns[ns.size() / 2], ns.front(), ns.back(), 1, ns.size()};
}

std::string spread(const Batches& b) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "median of %zu batches of %zu; min %.1f, max %.1f", b.batches, b.per_batch, b.min,
                b.max);
  return buf;
}

// Free capacity per hour over three years, held four ways: runs (the engine's), and for the
// baseline a std::map and a std::unordered_map with an entry per hour, and (for scale only: 210
// KB per account and product) a dense array.
struct Holdings {
  HourRuns runs;
  std::map<std::int64_t, std::int64_t> map;
  std::unordered_map<std::int64_t, std::int64_t> umap;
  std::vector<std::int64_t> dense;

  explicit Holdings(const std::vector<std::int64_t>& per_hour) {
    dense = per_hour;
    for (std::int64_t h = 0; h < kThreeYears; ++h) {
      const std::int64_t v = per_hour[static_cast<std::size_t>(h)];
      map.emplace(kH0 + h, v);
      umap.emplace(kH0 + h, v);
    }
  }

  std::int64_t by_runs(std::int64_t s) const { return runs.min(s, kWindow); }
  std::int64_t by_map(std::int64_t s) const {
    std::int64_t m = INT64_MAX;
    for (std::int64_t h = s; h < s + kWindow; ++h) {
      const auto it = map.find(h);
      m = std::min(m, it == map.end() ? 0 : it->second);
    }
    return m;
  }
  std::int64_t by_umap(std::int64_t s) const {
    std::int64_t m = INT64_MAX;
    for (std::int64_t h = s; h < s + kWindow; ++h) {
      const auto it = umap.find(h);
      m = std::min(m, it == umap.end() ? 0 : it->second);
    }
    return m;
  }
  // One lower_bound, then walking the tree: what a map user who knows the hours are dense would
  // write (a missing hour would count as 0; none is missing here).
  std::int64_t by_map_walk(std::int64_t s) const {
    std::int64_t m = INT64_MAX;
    auto it = map.lower_bound(s);
    for (std::int64_t h = s; h < s + kWindow; ++h, ++it) m = std::min(m, it->second);
    return m;
  }
  std::int64_t by_dense(std::int64_t s) const {
    const std::int64_t* p = dense.data() + (s - kH0);
    std::int64_t m = INT64_MAX;
    for (std::int64_t k = 0; k < kWindow; ++k) m = std::min(m, p[k]);
    return m;
  }
};

void micro_check(Report& r, const Holdings& h, const std::vector<std::int64_t>& starts, const LedgerBenchOptions& opt,
                 const TscClock& clock) {
  const std::size_t mask = starts.size() - 1;
  // Same answer from every representation, for every start.
  for (std::int64_t s : starts) {
    const std::int64_t want = h.by_dense(s);
    if (h.by_runs(s) != want || h.by_map(s) != want || h.by_umap(s) != want || h.by_map_walk(s) != want) {
      std::fprintf(stderr, "gpux-bench ledger: the representations disagree at hour %lld\n", static_cast<long long>(s));
      std::abort();
    }
  }
  std::size_t runs_in_windows = 0;
  for (std::int64_t s : starts) {
    const auto& v = h.runs.runs();
    const auto lo = std::upper_bound(v.begin(), v.end(), s, [](std::int64_t x, const HourRuns::Run& run) { return x < run.hour; });
    const auto hi = std::lower_bound(v.begin(), v.end(), s + kWindow,
                                     [](const HourRuns::Run& run, std::int64_t x) { return run.hour < x; });
    runs_in_windows += static_cast<std::size_t>(hi - lo) + 1;  // + the run the window starts in
  }
  r.integer("runs_total", static_cast<std::int64_t>(h.runs.runs().size()), "runs of the 3-year function");
  r.number("runs_read_per_check", static_cast<double>(runs_in_windows) / static_cast<double>(starts.size()),
           "the run the window starts in + the runs starting inside it, averaged over the starts");

  const auto s_of = [&](std::size_t i) { return starts[i & mask]; };
  log(opt, "micro: checks");
  const Batches runs = batches([&](std::size_t i) { return h.by_runs(s_of(i)); }, opt);
  const Batches map = batches([&](std::size_t i) { return h.by_map(s_of(i)); }, opt);
  const Batches umap = batches([&](std::size_t i) { return h.by_umap(s_of(i)); }, opt);
  const Batches walk = batches([&](std::size_t i) { return h.by_map_walk(s_of(i)); }, opt);
  const Batches dense = batches([&](std::size_t i) { return h.by_dense(s_of(i)); }, opt);
  r.number("runs_ns", runs.median, "HourRuns::min(start, 720); " + spread(runs));
  r.number("map_ns", map.median, "720 x std::map::find; " + spread(map));
  r.number("unordered_map_ns", umap.median, "720 x std::unordered_map::find; " + spread(umap));
  r.number("map_walk_ns", walk.median, "std::map lower_bound + 719 x ++it; " + spread(walk));
  r.number("dense_array_ns", dense.median, "720 contiguous int64 (for scale; 210 KB per account and product); " + spread(dense));
  r.number("ratio_map_over_runs", map.median / runs.median);
  r.number("ratio_unordered_map_over_runs", umap.median / runs.median);
  r.number("ratio_map_walk_over_runs", walk.median / runs.median);
  r.number("ratio_dense_array_over_runs", dense.median / runs.median);

  // Per check, TSC around each (timer overhead included): the spread of single checks.
  const std::size_t n = starts.size();
  const Percentiles pr = each([&](std::size_t i) { return h.by_runs(s_of(i)); }, n, clock);
  const Percentiles pm = each([&](std::size_t i) { return h.by_map(s_of(i)); }, n, clock);
  const Percentiles pu = each([&](std::size_t i) { return h.by_umap(s_of(i)); }, n, clock);
  Report& each_r = r.child("each");
  each_r.integer("checks", static_cast<std::int64_t>(n), "one TSC interval per check, timer overhead included");
  each_r.number("runs_p50_ns", pr.p50);
  each_r.number("runs_p99_ns", pr.p99);
  each_r.number("map_p50_ns", pm.p50);
  each_r.number("map_p99_ns", pm.p99);
  each_r.number("unordered_map_p50_ns", pu.p50);
  each_r.number("unordered_map_p99_ns", pu.p99);
}

void run_micro(Report& root, const LedgerBenchOptions& opt, const TscClock& clock) {
  Report& r = root.child("micro");
  r.integer("window_hours", kWindow);
  r.integer("horizon_hours", kThreeYears, "every function covers 3 years: a map has an entry per hour");
  Rng rng{opt.seed};
  std::vector<std::int64_t> starts(kStarts);
  for (auto& s : starts) s = kH0 + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(kThreeYears - kWindow + 1)));

  // (a) An owner who deposited once: 4,096 GPUs over three years, one run (two entries).
  log(opt, "micro: building the deposited-once owner");
  {
    Holdings once(std::vector<std::int64_t>(static_cast<std::size_t>(kThreeYears), kGpus));
    once.runs.add(kH0, kThreeYears, kGpus);
    micro_check(r.child("check_deposited_once"), once, starts, opt, clock);
  }

  // (b) An owner whose free capacity differs every hour: 26,280 runs, 720 in every window.
  log(opt, "micro: building the fragmented owner");
  std::vector<std::int64_t> per_hour(static_cast<std::size_t>(kThreeYears));
  std::int64_t prev = 0;
  for (auto& v : per_hour) {
    do v = 1 + static_cast<std::int64_t>(rng.below(kGpus));
    while (v == prev);
    prev = v;
  }
  Holdings frag(per_hour);
  for (std::int64_t h = 0; h < kThreeYears; ++h) frag.runs.add(kH0 + h, 1, per_hour[static_cast<std::size_t>(h)]);
  micro_check(r.child("check_fragmented"), frag, starts, opt, clock);

  // A 3-year deposit: one range add, against an entry per hour.
  log(opt, "micro: deposits");
  Report& d = r.child("deposit_3y");
  HourRuns empty;
  const Batches runs_empty = batches(
      [&](std::size_t) {
        empty.add(kH0, kThreeYears, kGpus);
        const auto n = static_cast<std::int64_t>(empty.runs().size());
        empty.clear();  // keeps the capacity: no allocation after the first
        return n;
      },
      opt);
  const Batches runs_fresh = batches(
      [&](std::size_t) {
        HourRuns fresh;  // allocates its vector, as a first deposit of a product does
        fresh.add(kH0, kThreeYears, kGpus);
        return static_cast<std::int64_t>(fresh.runs().size());
      },
      opt);
  // Onto the fragmented owner: every one of its 26,280 runs moves (+4,096, then -4,096).
  std::int64_t sign = 1;
  const Batches runs_frag = batches(
      [&](std::size_t) {
        frag.runs.add(kH0, kThreeYears, sign * kGpus);
        sign = -sign;
        return static_cast<std::int64_t>(frag.runs.runs().size());
      },
      opt);
  if (sign < 0) frag.runs.add(kH0, kThreeYears, -kGpus);
  std::map<std::int64_t, std::int64_t> m;
  const Batches map_fill = singles(
      [&] {
        for (std::int64_t h = kH0; h < kH0 + kThreeYears; ++h) m[h] += kGpus;
        return static_cast<std::int64_t>(m.size());
      },
      [&] { m.clear(); }, opt);
  std::unordered_map<std::int64_t, std::int64_t> um;
  const Batches umap_fill = singles(
      [&] {
        for (std::int64_t h = kH0; h < kH0 + kThreeYears; ++h) um[h] += kGpus;
        return static_cast<std::int64_t>(um.size());
      },
      [&] { um = {}; }, opt);
  for (std::int64_t h = kH0; h < kH0 + kThreeYears; ++h) m[h] += kGpus;
  sign = 1;
  const Batches map_existing = singles(
      [&] {
        for (std::int64_t h = kH0; h < kH0 + kThreeYears; ++h) m[h] += sign * kGpus;
        return static_cast<std::int64_t>(m.size());
      },
      [&] { sign = -sign; }, opt);
  d.number("runs_ns", runs_empty.median,
           "HourRuns::add(start, 26280, 4096) on an empty function (capacity kept); " + spread(runs_empty));
  d.number("runs_fresh_ns", runs_fresh.median, "the same into a new HourRuns (allocates its vector); " + spread(runs_fresh));
  d.number("runs_onto_fragmented_ns", runs_frag.median,
           "onto the fragmented owner's 26,280 runs (+/- 4096 alternately); " + spread(runs_frag));
  d.number("map_fill_ns", map_fill.median, "26,280 x std::map operator[] += into an empty map; " + spread(map_fill));
  d.number("unordered_map_fill_ns", umap_fill.median,
           "26,280 x std::unordered_map operator[] += into an empty one; " + spread(umap_fill));
  d.number("map_add_existing_ns", map_existing.median,
           "26,280 x std::map operator[] += onto existing entries; " + spread(map_existing));
  d.number("ratio_map_fill_over_runs", map_fill.median / runs_empty.median);
  d.number("ratio_unordered_map_fill_over_runs", umap_fill.median / runs_empty.median);
  d.number("ratio_map_fill_over_runs_fresh", map_fill.median / runs_fresh.median);
  d.integer("runs_bytes", static_cast<std::int64_t>(2 * sizeof(HourRuns::Run)), "2 runs x 16 bytes");
  d.integer("map_entries", kThreeYears, "one node per hour (~48+ bytes each with the allocator's)");
}

// ---- engine ------------------------------------------------------------------------------------

void run_engine(Report& root, const LedgerBenchOptions& opt, const TscClock& clock) {
  Report& r = root.child("engine");
  EngineBenchOptions eo;
  eo.workload = "hours";
  eo.n = opt.n;
  eo.warmup = opt.warmup;
  eo.depth = opt.depth;
  eo.prefault = true;
  eo.seed = opt.seed;

  HoursLedger led;
  led.on = true;
  led.qty = opt.deposit_qty;
  led.deposits = opt.deposits;
  led.cash = opt.fund;
  log(opt, "engine: generating (risk off)");
  const HoursWorkload off = make_hours(opt.n, opt.warmup, opt.seed);
  log(opt, "engine: generating (risk on, ledger prefix)");
  const HoursWorkload on = make_hours(opt.n, opt.warmup, opt.seed, led);
  const std::size_t prefix = on.w.untimed - off.w.untimed;
  // Past the ledger prefix, the same commands (their seqs, and so order ids, moved by `prefix`).
  bool same_stream = on.w.cmds.size() == off.w.cmds.size() + prefix;
  for (std::size_t k = 0; same_stream && k < off.w.cmds.size(); ++k) {
    const Command& a = off.w.cmds[k];
    const Command& b = on.w.cmds[prefix + k];
    same_stream = a.type == b.type && a.side == b.side && a.qty == b.qty && a.price.value == b.price.value &&
                  a.instrument.view() == b.instrument.view() && a.ts == b.ts && a.seq + static_cast<Seq>(prefix) == b.seq &&
                  (!a.has_order_id || a.order_id + static_cast<OrderId>(prefix) == b.order_id) && off.kind[k] == on.kind[prefix + k];
  }

  r.text("workload", "hours (gpux-bench engine --workload hours)");
  r.integer("n", static_cast<std::int64_t>(opt.n));
  r.integer("untimed_prefix_off", static_cast<std::int64_t>(off.w.untimed));
  r.integer("untimed_prefix_on", static_cast<std::int64_t>(on.w.untimed),
            "+ " + std::to_string(prefix) + " ledger commands: per account " + std::to_string(opt.deposits) +
                " deposit(s) and a fund, then risk on");
  r.integer("deposit_qty", opt.deposit_qty, "GPUs per deposit, over the 720-hour horizon");
  r.integer("fund", opt.fund, "$0.0001 per account");
  r.text("depth", opt.depth ? "on" : "off");
  r.text("same_commands_after_prefix", same_stream ? "yes" : "NO");

  // Throughput: off and on interleaved, each pass on a fresh engine; medians.
  std::vector<double> t_off, t_on;
  for (std::size_t k = 0; k < std::max<std::size_t>(1, opt.engine_repeat); ++k) {
    log(opt, "engine: throughput pass, risk off");
    t_off.push_back(hours_throughput_pass(off, eo).seconds);
    log(opt, "engine: throughput pass, risk on");
    t_on.push_back(hours_throughput_pass(on, eo).seconds);
  }
  std::sort(t_off.begin(), t_off.end());
  std::sort(t_on.begin(), t_on.end());
  const double measured = static_cast<double>(off.w.measured());
  const double s_off = t_off[t_off.size() / 2], s_on = t_on[t_on.size() / 2];
  Report& tp = r.child("throughput");
  const std::string note = "median of " + std::to_string(t_off.size()) + " passes, interleaved off/on";
  tp.number("off_cmds_per_sec", measured / s_off, note);
  tp.number("on_cmds_per_sec", measured / s_on, note);
  tp.number("ratio_on_over_off", s_off / s_on, "throughput with checks / without");
  tp.number("off_ns_per_cmd", s_off * 1e9 / measured);
  tp.number("on_ns_per_cmd", s_on * 1e9 / measured);
  tp.number("off_cmds_per_sec_best", measured / t_off.front());
  tp.number("on_cmds_per_sec_best", measured / t_on.front());

  log(opt, "engine: service-time pass, risk off");
  const HoursService v_off = hours_service_pass(off, eo);
  log(opt, "engine: service-time pass, risk on");
  const HoursService v_on = hours_service_pass(on, eo);
  Report& sv = r.child("service");
  const Percentiles p_off = Percentiles::of(v_off.ticks, clock), p_on = Percentiles::of(v_on.ticks, clock);
  sv.number("off_p50_ns", p_off.p50);
  sv.number("on_p50_ns", p_on.p50);
  sv.number("off_p99_ns", p_off.p99);
  sv.number("on_p99_ns", p_on.p99);
  sv.number("off_mean_ns", p_off.mean);
  sv.number("on_mean_ns", p_on.mean);

  // By kind: what each command costs with and without its check.
  const auto n_kinds = static_cast<std::size_t>(HoursKind::count_);
  std::vector<std::vector<std::uint64_t>> k_off(n_kinds), k_on(n_kinds);
  for (std::size_t k = 0; k < v_off.ticks.size(); ++k)
    k_off[static_cast<std::size_t>(off.kind[off.w.untimed + k])].push_back(v_off.ticks[k]);
  for (std::size_t k = 0; k < v_on.ticks.size(); ++k)
    k_on[static_cast<std::size_t>(on.kind[on.w.untimed + k])].push_back(v_on.ticks[k]);
  Report& bk = r.child("service_by_kind");
  for (std::size_t i = 0; i < n_kinds; ++i) {
    if (k_off[i].empty()) continue;
    const Percentiles a = Percentiles::of(k_off[i], clock), b = Percentiles::of(k_on[i], clock);
    Report& x = bk.child(to_string(static_cast<HoursKind>(i)));
    x.integer("commands", static_cast<std::int64_t>(a.n));
    x.number("p50_off_ns", a.p50);
    x.number("p50_on_ns", b.p50);
    x.number("p99_off_ns", a.p99);
    x.number("p99_on_ns", b.p99);
  }

  // The checks refused nothing: the same trades and events as without them.
  const auto trades_off = static_cast<std::int64_t>(v_off.tally.count(EventType::trade));
  const auto trades_on = static_cast<std::int64_t>(v_on.tally.count(EventType::trade));
  const auto no_cap = static_cast<std::int64_t>(v_on.tally.rejected_by_reason[static_cast<std::size_t>(Reason::no_capacity)]);
  const auto no_credit = static_cast<std::int64_t>(v_on.tally.rejected_by_reason[static_cast<std::size_t>(Reason::no_credit)]);
  Report& c = r.child("check");
  c.integer("trades_off", trades_off);
  c.integer("trades_on", trades_on);
  c.integer("rejections_off", static_cast<std::int64_t>(v_off.tally.rejections()));
  c.integer("rejections_on", static_cast<std::int64_t>(v_on.tally.rejections()));
  c.integer("no_capacity_on", no_cap);
  c.integer("no_credit_on", no_credit);
  c.integer("resting_at_end_off", static_cast<std::int64_t>(v_off.resting_at_end));
  c.integer("resting_at_end_on", static_cast<std::int64_t>(v_on.resting_at_end));
  const bool same = trades_off == trades_on && no_cap == 0 && no_credit == 0 && v_off.tally.same_events(v_on.tally) &&
                    v_off.resting_at_end == v_on.resting_at_end;
  c.text("checks_refused_nothing", same ? "yes (same trades, same events, no no_capacity/no_credit)" : "NO");
  std::string det = "ok";
  if (!off.w.expected.same_events(v_off.tally) || !on.w.expected.same_events(v_on.tally))
    det = "MISMATCH: events differ from the generator's run";
  c.text("determinism_check", det);
}

}  // namespace

int run_ledger_bench(const LedgerBenchOptions& opt) {
  const TscClock clock = TscClock::calibrate();
  Report root;
  Report& machine = put_machine(root, clock);
  const CpuJiffies start = CpuJiffies::now();
  if (opt.part == "micro" || opt.part == "all") run_micro(root, opt, clock);
  if (opt.part == "engine" || opt.part == "all") run_engine(root, opt, clock);
  put_steal(machine, start);
  root.print(stdout, opt.json);
  return 0;
}

}  // namespace gpux::bench
