#include "bench/engine_bench.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>

#include "bench/hours_bench.hpp"
#include "bench/machine.hpp"
#include "bench/report.hpp"
#include "bench/timing.hpp"
#include "bench/workloads.hpp"
#include "bench/yardstick.hpp"
#include "engine/catalog.hpp"
#include "engine/engine.hpp"

namespace gpux::bench {
namespace {

constexpr std::size_t kDefaultN = 1'000'000;

// EngineConfig::prefault for the measured engines (set once from the options).
bool g_prefault = true;

// One fresh engine with its output buffers, warm (capacity reserved) before any timing.
struct Session {
  Engine engine;
  EventBuffer ev{1 << 16};
  DepthBuffer db;
  DepthBuffer* dp;

  Session(std::uint32_t max_orders, bool depth, bool prefault)
      : engine(Catalog::builtin(), config(max_orders, prefault)), dp(depth ? &db : nullptr) {
    db.reserve(1 << 16);
  }
  static EngineConfig config(std::uint32_t max_orders, bool prefault) {
    EngineConfig c;
    c.max_orders = max_orders;
    // add-only rests about half its orders on each of its two accounts (2.45M of 10M adds):
    // the per-account bound is a policy, not what is measured.
    c.max_orders_per_account = max_orders;
    c.prefault = prefault;
    return c;
  }
  void run(const Command& c) {
    ev.clear();
    db.clear();
    engine.process(c, ev, dp);
  }
};

// A fresh engine that has already processed the workload's untimed prefix (initial book and
// warm-up); add-only has none, so a throw-away engine runs its first `warmup` adds instead.
std::unique_ptr<Session> fresh(const Workload& w, bool depth, std::size_t warmup) {
  if (w.untimed == 0 && warmup) {
    Session warm(w.max_orders, depth, false);
    std::size_t k = std::min(warmup, w.cmds.size());
    for (std::size_t i = 0; i < k; ++i) warm.run(w.cmds[i]);
  }
  auto s = std::make_unique<Session>(w.max_orders, depth, g_prefault);
  for (std::size_t i = 0; i < w.untimed; ++i) s->run(w.cmds[i]);
  return s;
}

struct Throughput {
  double seconds;
  std::size_t resting_at_end;
  Disturbance disturbance;
};

// Pass 1: back-to-back, one steady_clock pair around the whole loop, nothing else inside.
// batch == 0: one process(cmd) call per command, buffers cleared per command; batch > 0: the
// engine's prefetching process(span) over `batch` commands at a time, buffers cleared per batch.
Throughput throughput_pass(const Workload& w, bool depth, std::size_t warmup, std::size_t batch) {
  auto s = fresh(w, depth, warmup);
  const Command* cmds = w.cmds.data();
  const std::size_t begin = w.untimed, end = w.cmds.size();
  Engine& e = s->engine;
  EventBuffer& ev = s->ev;
  DepthBuffer& db = s->db;
  DepthBuffer* dp = s->dp;
  const Disturbance d0 = Disturbance::now();
  auto t0 = std::chrono::steady_clock::now();
  if (batch) {
    for (std::size_t i = begin; i < end; i += batch) {
      ev.clear();
      db.clear();
      e.process(std::span<const Command>(cmds + i, std::min(batch, end - i)), ev, dp);
    }
  } else if (depth) {
    for (std::size_t i = begin; i < end; ++i) {
      ev.clear();
      db.clear();
      e.process(cmds[i], ev, &db);
    }
  } else {
    for (std::size_t i = begin; i < end; ++i) {
      ev.clear();
      e.process(cmds[i], ev, nullptr);
    }
  }
  auto t1 = std::chrono::steady_clock::now();
  const Disturbance d = Disturbance::now().since(d0);
  return {std::chrono::duration<double>(t1 - t0).count(), e.resting_orders(), d};
}

// The yardstick (bench/yardstick.hpp) over the same commands, timed like throughput_pass's
// one-call loop: one Yardstick::add per command, nothing else inside the clock pair.
struct YardstickRun {
  double seconds;
  std::size_t resting_at_end;
  std::uint64_t trades;
  Qty traded_qty;
  Disturbance disturbance;
};

YardstickRun yardstick_pass(const Workload& w, std::size_t warmup) {
  // Warmed as fresh() warms gpux: a throw-away instance runs the first `warmup` adds, which
  // warms code and jemalloc's caches but not the timed book's own memory.
  if (w.untimed == 0 && warmup) {
    Yardstick warm;
    std::size_t k = std::min(warmup, w.cmds.size());
    for (std::size_t i = 0; i < k; ++i) warm.add(w.cmds[i]);
  }
  Yardstick y;
  for (std::size_t i = 0; i < w.untimed; ++i) y.add(w.cmds[i]);
  const Command* cmds = w.cmds.data();
  const std::size_t begin = w.untimed, end = w.cmds.size();
  const Disturbance d0 = Disturbance::now();
  auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = begin; i < end; ++i) y.add(cmds[i]);
  auto t1 = std::chrono::steady_clock::now();
  const Disturbance d = Disturbance::now().since(d0);
  return {std::chrono::duration<double>(t1 - t0).count(), y.resting_orders(), y.trades(),
          y.traded_qty(), d};
}

struct Service {
  std::vector<std::uint64_t> ticks;
  std::vector<CommandType> type;
  std::vector<std::uint32_t> events;  // events each command produced
  EventTally tally;
  Qty traded_qty = 0;  // sum of trade events' qty (the yardstick check)
  std::size_t resting_at_end;
  Disturbance disturbance;
};

// Pass 2: closed loop, rdtsc around each process() call; events are counted after the
// second read, outside the interval.
Service service_pass(const Workload& w, bool depth, std::size_t warmup) {
  auto s = fresh(w, depth, warmup);
  Service out;
  const std::size_t n = w.measured();
  out.ticks.assign(n, 0);
  out.type.resize(n);
  out.events.resize(n);
  const Disturbance d0 = Disturbance::now();
  for (std::size_t k = 0; k < n; ++k) {
    const Command& c = w.cmds[w.untimed + k];
    s->ev.clear();
    s->db.clear();
    std::uint64_t a = tsc_begin();
    s->engine.process(c, s->ev, s->dp);
    std::uint64_t b = tsc_end();
    out.ticks[k] = b - a;
    out.type[k] = c.type;
    out.events[k] = static_cast<std::uint32_t>(s->ev.size());
    out.tally.add(s->ev);
    out.tally.depth_updates += s->db.size();
    for (const Event& e : s->ev)
      if (e.type == EventType::trade) out.traded_qty += e.qty;
  }
  out.disturbance = Disturbance::now().since(d0);
  out.resting_at_end = s->engine.resting_orders();
  return out;
}

struct OpenLoop {
  std::vector<std::uint64_t> ticks;
  double offered, achieved;
  std::uint64_t late;  // commands that started after their due time
  Disturbance disturbance;
};

// Pass 3: open loop at `rate`. Command k is due at t0 + k/rate; if the engine is early it
// spins on the TSC until due; latency = completion - due, so time spent queued behind a slow
// command counts (no coordinated omission).
OpenLoop open_loop_pass(const Workload& w, bool depth, std::size_t warmup, double rate,
                        std::size_t count, const TscClock& clock) {
  auto s = fresh(w, depth, warmup);
  OpenLoop out{std::vector<std::uint64_t>(count, 0), rate, 0, 0};
  const double ticks_per_cmd = clock.ticks_per_ns * 1e9 / rate;
  const Command* cmds = w.cmds.data() + w.untimed;
  const std::uint64_t t0 = tsc_now() + clock.from_ns(1e6);
  std::uint64_t late = 0, done = t0;
  const Disturbance d0 = Disturbance::now();
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint64_t due = t0 + static_cast<std::uint64_t>(static_cast<double>(k) * ticks_per_cmd);
    std::uint64_t now = tsc_now();
    if (now > due) ++late;
    while (now < due) now = tsc_now();
    s->run(cmds[k]);
    done = tsc_end();
    out.ticks[k] = done - due;
  }
  out.disturbance = Disturbance::now().since(d0);
  out.late = late;
  out.achieved = static_cast<double>(count) * 1e9 / clock.to_ns(done - t0);
  return out;
}

void put_disturbance(Report& r, const std::string& pass, const Disturbance& d) {
  r.integer(pass + "_page_faults", d.page_faults);
  r.integer(pass + "_preemptions", d.preemptions, "involuntary context switches while timing");
}

void put_percentiles(Report& r, const Percentiles& p, bool with_9999) {
  r.number("p50_ns", p.p50);
  r.number("p90_ns", p.p90);
  r.number("p99_ns", p.p99);
  r.number("p999_ns", p.p999);
  if (with_9999) r.number("p9999_ns", p.p9999);
  r.number("max_ns", p.max);
  r.number("mean_ns", p.mean);
}

void put_tally(Report& r, const EventTally& t) {
  Report& ev = r.child("events");
  for (std::size_t i = 0; i < t.by_type.size(); ++i)
    if (t.by_type[i]) ev.integer(std::string(to_string(static_cast<EventType>(i))), static_cast<std::int64_t>(t.by_type[i]));
  if (t.depth_updates) ev.integer("depth_updates", static_cast<std::int64_t>(t.depth_updates));
  r.integer("rejections", static_cast<std::int64_t>(t.rejections()),
            "rejected + cancel_rejected + replace_rejected events");
  bool any = false;
  for (auto v : t.rejected_by_reason) any |= v != 0;
  if (any) {
    Report& rr = r.child("rejection_reasons");
    for (std::size_t i = 0; i < t.rejected_by_reason.size(); ++i)
      if (t.rejected_by_reason[i])
        rr.integer(std::string(to_string(static_cast<Reason>(i))), static_cast<std::int64_t>(t.rejected_by_reason[i]));
  }
  any = false;
  for (auto v : t.canceled_by_reason) any |= v != 0;
  if (any) {
    Report& cr = r.child("cancel_expiry_reasons");
    for (std::size_t i = 0; i < t.canceled_by_reason.size(); ++i)
      if (t.canceled_by_reason[i])
        cr.integer(std::string(to_string(static_cast<Reason>(i))), static_cast<std::int64_t>(t.canceled_by_reason[i]));
  }
}

// Latency by command type: which kinds of command are the slow ones.
void put_by_type(Report& r, const Service& s, const TscClock& clock) {
  Report& bt = r.child("service_by_type");
  for (CommandType t : {CommandType::new_order, CommandType::cancel, CommandType::replace,
                        CommandType::mass_cancel, CommandType::clock}) {
    std::vector<std::uint64_t> v;
    for (std::size_t k = 0; k < s.ticks.size(); ++k)
      if (s.type[k] == t) v.push_back(s.ticks[k]);
    if (v.empty()) continue;
    Percentiles p = Percentiles::of(std::move(v), clock);
    Report& x = bt.child(std::string(t == CommandType::new_order ? "new" : to_string(t)));
    x.integer("commands", static_cast<std::int64_t>(p.n));
    x.number("p50_ns", p.p50);
    x.number("p99_ns", p.p99);
    x.number("max_ns", p.max);
  }
}

// The slowest commands of the service pass: ones that stay slow from run to run are the
// engine's; ones that move are the machine's (a preemption, a page fault).
void put_slowest(Report& r, const Workload& w, const Service& s, const TscClock& clock) {
  std::vector<std::size_t> idx(s.ticks.size());
  for (std::size_t k = 0; k < idx.size(); ++k) idx[k] = k;
  const std::size_t top = std::min<std::size_t>(5, idx.size());
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(top), idx.end(),
                    [&](std::size_t a, std::size_t b) { return s.ticks[a] > s.ticks[b]; });
  Report& sl = r.child("slowest");
  for (std::size_t j = 0; j < top; ++j) {
    const std::size_t k = idx[j];
    const Command& c = w.cmds[w.untimed + k];
    Report& x = sl.child(std::to_string(j + 1));
    x.integer("seq", static_cast<std::int64_t>(c.seq));
    x.text("type", std::string(c.type == CommandType::new_order ? "new" : to_string(c.type)));
    x.integer("events", s.events[k]);
    x.number("ns", clock.to_ns(s.ticks[k]));
  }
}

std::string rate_key(double rate) { return "rate_" + rate_label(rate); }

// Checks the passes against each other and against the generator: the engine is
// deterministic, so every pass over the same commands must end with the same book and
// produce the same events.
void put_checks(Report& r, const Workload& w, const Throughput& t, const Service& s) {
  r.integer("resting_at_end", static_cast<std::int64_t>(s.resting_at_end));
  std::string verdict = "ok";
  if (t.resting_at_end != s.resting_at_end) verdict = "MISMATCH: passes end with different books";
  if (w.has_expected && !w.expected.same_events(s.tally))
    verdict = "MISMATCH: events differ from the generator's run";
  r.text("determinism_check", verdict);
}

void log(const EngineBenchOptions& opt, const char* fmt, const std::string& what) {
  if (opt.json) return;
  std::fprintf(stderr, fmt, what.c_str());
  std::fflush(stderr);
}

// The yardstick's figures beside gpux's, and gpux's throughput as a fraction of it with issue
// 12's targets: one call per order >= 0.5 (>= 0.4 with depth on: the yardstick keeps no depth),
// batched process(span) >= 0.8. `one`, `batched`: gpux's median adds/s (batched 0: no pass).
void put_yardstick(const EngineBenchOptions& opt, Report& r, std::vector<YardstickRun> runs,
                   double n, double one, double batched, const std::string& runs_label) {
  std::sort(runs.begin(), runs.end(),
            [](const YardstickRun& a, const YardstickRun& b) { return a.seconds < b.seconds; });
  const YardstickRun& med = runs[runs.size() / 2];
  const double rate = n / med.seconds;
  Report& y = r.child("yardstick");
  y.number("adds_per_sec", rate,
           "median of " + runs_label + "; std::map<Price, std::deque> book, one add() per order");
  y.number("ns_per_add", med.seconds * 1e9 / n);
  if (runs.size() > 1) y.number("adds_per_sec_best", n / runs.front().seconds);
  y.integer("resting_at_end", static_cast<std::int64_t>(med.resting_at_end));
  y.integer("trades", static_cast<std::int64_t>(med.trades), "fills");
  y.integer("traded_qty", med.traded_qty);
  Disturbance sum;
  for (const auto& t : runs) {
    sum.page_faults += t.disturbance.page_faults;
    sum.preemptions += t.disturbance.preemptions;
  }
  put_disturbance(y, "passes", sum);
  // The note carries two decimals: Report prints numbers with one.
  auto ratio = [&](const std::string& key, double gpux, double target, const char* what) {
    const double x = gpux / rate;
    char note[160];
    std::snprintf(note, sizeof note, "%.2f = %s / yardstick; target >= %.1f: %s", x, what, target,
                  x >= target ? "met" : "NOT met");
    r.number(key, x, note);
  };
  ratio("vs_yardstick", one, opt.depth ? 0.4 : 0.5,
        opt.depth ? "gpux one call, depth on," : "gpux one call");
  if (batched > 0) ratio("vs_yardstick_batched", batched, 0.8, "gpux batched");
}

// Runs the throughput pass `repeat` times per mode (per command, and batched when enabled),
// interleaved so a disturbance hits both alike; reports the median run as the headline figure
// and the best run beside it. With `yard` (add-only), every round also runs the yardstick, so
// noise hits it alike too, and its runs are reported and kept in *yard. Returns the first
// per-command run (for the end-of-book check).
Throughput report_throughput(const EngineBenchOptions& opt, const Workload& w, Report& r,
                             const std::string& unit, std::vector<YardstickRun>* yard = nullptr) {
  const double n = static_cast<double>(w.measured());
  const std::size_t reps = std::max<std::size_t>(1, opt.repeat);
  std::vector<Throughput> single, batched;
  for (std::size_t k = 0; k < reps; ++k) {
    log(opt, "# %s: throughput pass\n", w.name);
    single.push_back(throughput_pass(w, opt.depth, opt.warmup, 0));
    if (opt.batch) {
      log(opt, "# %s: batched throughput pass\n", w.name);
      batched.push_back(throughput_pass(w, opt.depth, opt.warmup, opt.batch));
    }
    if (yard) {
      log(opt, "# %s: yardstick throughput pass\n", w.name);
      yard->push_back(yardstick_pass(w, opt.warmup));
    }
  }
  Throughput first = single.front();
  for (const auto& t : single)
    if (t.resting_at_end != first.resting_at_end) first.resting_at_end = SIZE_MAX;
  for (const auto& t : batched)
    if (t.resting_at_end != first.resting_at_end) first.resting_at_end = SIZE_MAX;

  // Reports one mode's runs; returns its median rate.
  auto put = [&](std::vector<Throughput> runs, const std::string& suffix, const std::string& note) {
    std::sort(runs.begin(), runs.end(),
              [](const Throughput& a, const Throughput& b) { return a.seconds < b.seconds; });
    const Throughput& med = runs[runs.size() / 2];
    r.number(unit + "_per_sec" + suffix, n / med.seconds, note);
    r.number("ns_per_" + unit.substr(0, unit.size() - 1) + suffix, med.seconds * 1e9 / n);
    if (runs.size() > 1) r.number(unit + "_per_sec" + suffix + "_best", n / runs.front().seconds);
    Disturbance sum;
    for (const auto& t : runs) {
      sum.page_faults += t.disturbance.page_faults;
      sum.preemptions += t.disturbance.preemptions;
    }
    put_disturbance(r, suffix.empty() ? "throughput_passes" : "batched_passes", sum);
    return n / med.seconds;
  };
  std::string runs = std::to_string(reps) + (reps > 1 ? " runs" : " run");
  const double one = put(single, "", "median of " + runs + "; one process(cmd) per command");
  double batched_rate = 0;
  if (opt.batch)
    batched_rate = put(batched, "_batched",
                       "median of " + runs + "; process(span) of " + std::to_string(opt.batch) +
                           " commands");
  if (yard) put_yardstick(opt, r, *yard, n, one, batched_rate, runs);
  return first;
}

// The yardstick did the same matching work as gpux: every yardstick run ends with as many
// resting orders as gpux's passes, and made as many fills of as many GPUs as gpux's latency
// pass traded.
void put_yardstick_check(Report& r, const std::vector<YardstickRun>& yard, const Service& s) {
  r.integer("traded_qty", s.traded_qty, "GPUs in the latency pass's trade events");
  const std::uint64_t trades = s.tally.count(EventType::trade);
  std::string verdict = "ok";
  for (const auto& y : yard) {
    if (y.resting_at_end != s.resting_at_end)
      verdict = "MISMATCH: yardstick rests " + std::to_string(y.resting_at_end) + " orders, gpux " +
                std::to_string(s.resting_at_end);
    else if (y.traded_qty != s.traded_qty)
      verdict = "MISMATCH: yardstick traded " + std::to_string(y.traded_qty) + ", gpux " +
                std::to_string(s.traded_qty);
    else if (y.trades != trades)
      verdict = "MISMATCH: yardstick made " + std::to_string(y.trades) + " fills, gpux " +
                std::to_string(trades) + " trades";
  }
  r.text("yardstick_check", verdict);
}

void bench_add_only(const EngineBenchOptions& opt, const TscClock& clock, Report& r) {
  const std::size_t n = opt.n ? opt.n : kDefaultN;
  log(opt, "# %s: generating\n", "add-only");
  Workload w = make_add_only(n);
  r.text("workload", "add-only");
  r.integer("n", static_cast<std::int64_t>(n));
  r.text("depth", opt.depth ? "on" : "off");

  std::vector<YardstickRun> yard;
  Throughput t = report_throughput(opt, w, r, "adds", &yard);

  log(opt, "# %s: latency pass\n", "add-only");
  Service s = service_pass(w, opt.depth, opt.warmup);
  put_percentiles(r, Percentiles::of(s.ticks, clock), false);
  put_disturbance(r, "latency_pass", s.disturbance);
  put_slowest(r, w, s, clock);
  put_tally(r, s.tally);
  put_checks(r, w, t, s);
  put_yardstick_check(r, yard, s);
}

void bench_book_workload(const EngineBenchOptions& opt, const TscClock& clock, Report& r,
                         const std::string& name) {
  const std::size_t n = opt.n ? opt.n : kDefaultN;
  log(opt, "# %s: generating\n", name);
  Workload w = name == "mixed" ? make_mixed(n, opt.warmup, opt.seed)
                               : make_blocks(n, opt.warmup, opt.seed);
  r.text("workload", name);
  r.integer("n", static_cast<std::int64_t>(n));
  r.integer("untimed_prefix", static_cast<std::int64_t>(w.untimed),
            "initial book + warm-up, run before every pass's clock starts");
  r.text("depth", opt.depth ? "on" : "off");

  Throughput t = report_throughput(opt, w, r, "cmds");

  log(opt, "# %s: service-time pass\n", name);
  Service s = service_pass(w, opt.depth, opt.warmup);
  Report& sv = r.child("service");
  put_percentiles(sv, Percentiles::of(s.ticks, clock), true);
  put_disturbance(sv, "pass", s.disturbance);
  put_by_type(r, s, clock);
  put_slowest(r, w, s, clock);

  Report& ol = r.child("open_loop");
  for (double rate : opt.rates) {
    if (rate <= 0) continue;
    std::size_t count = std::min(n, static_cast<std::size_t>(rate * opt.rate_seconds));
    if (count == 0) continue;
    log(opt, "# %s: open-loop pass\n", name + " at " + rate_key(rate).substr(5) + "/s");
    OpenLoop o = open_loop_pass(w, opt.depth, opt.warmup, rate, count, clock);
    Report& x = ol.child(rate_key(rate));
    x.number("offered_per_sec", o.offered);
    x.number("achieved_per_sec", o.achieved);
    x.integer("commands", static_cast<std::int64_t>(count));
    x.integer("started_late", static_cast<std::int64_t>(o.late),
              "commands still queued at their due time");
    put_percentiles(x, Percentiles::of(std::move(o.ticks), clock), true);
    put_disturbance(x, "pass", o.disturbance);
  }

  Report& mix = r.child("mix");
  for (auto& [k, v] : w.mix) mix.integer(k, static_cast<std::int64_t>(v));
  Report& book = r.child("book");
  for (auto& [k, v] : w.book) book.number(k, v);
  put_tally(r, s.tally);
  put_checks(r, w, t, s);
}

Report& put_machine(Report& r, const TscClock& clock, const EngineBenchOptions& opt) {
  Report& m = bench::put_machine(r, clock);
  m.text("engine_prefault", opt.prefault ? "on" : "off");
  m.text("pinned", opt.pin_cpu >= 0 ? std::to_string(opt.pin_cpu) : "no");
  return m;
}

}  // namespace

int run_engine_bench(const EngineBenchOptions& opt) {
  if (opt.pin_cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(opt.pin_cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
      std::perror("gpux-bench: sched_setaffinity");
      return 1;
    }
  }
  g_prefault = opt.prefault;
  TscClock clock = TscClock::calibrate();

  Report root;
  Report& machine = put_machine(root, clock, opt);
  const CpuJiffies j0 = CpuJiffies::now();
  const bool all = opt.workload == "all";
  auto section = [&](const char* key) -> Report& { return all ? root.child(key) : root; };
  if (all || opt.workload == "add-only") bench_add_only(opt, clock, section("add_only"));
  if (all || opt.workload == "mixed") bench_book_workload(opt, clock, section("mixed"), "mixed");
  if (all || opt.workload == "blocks") bench_book_workload(opt, clock, section("blocks"), "blocks");
  // `all` stays the three v1 workloads; `hours` (divisible orders, hour books) runs alone.
  if (opt.workload == "hours") bench_hours(opt, clock, root);

  put_steal(machine, j0);

  root.print(stdout, opt.json);
  return 0;
}

}  // namespace gpux::bench
