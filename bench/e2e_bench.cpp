#include "bench/e2e_bench.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/e2e_load.hpp"
#include "bench/e2e_pingpong.hpp"
#include "bench/e2e_plot.hpp"
#include "bench/e2e_server.hpp"
#include "bench/machine.hpp"
#include "bench/report.hpp"
#include "schemas/codec.hpp"

namespace gpux::bench {
namespace {

// Issue targets.
constexpr double kTargetNewOrdersPerSec = 1e6;  // at kTargetConnections, saturated
constexpr double kTargetUringOverEpoll = 1.2;
constexpr std::uint32_t kTargetConnections = 64;
constexpr double kTargetP50OverPingPong = 1.2;

struct Run {
  std::string backend;
  std::uint32_t connections;
  double rate;  // 0: saturation
  LoadResult result;

  bool saturation() const { return rate == 0; }
  double per_sec(std::uint64_t n) const {
    return result.measured_seconds > 0 ? static_cast<double>(n) / result.measured_seconds : 0;
  }
  double acked_per_sec() const { return per_sec(result.measured_acks); }
  double new_orders_per_sec() const { return per_sec(result.measured_new_acks); }
  std::uint64_t failures() const {
    return result.unanswered + result.unexpected + result.protocol_rejects + (result.error.empty() ? 0 : 1);
  }
  std::uint64_t rejects() const { return result.rejected + result.cancel_rejected; }
};

std::string run_key(const Run& r, const E2eBenchOptions& opt) {
  // snprintf, not string operator+: GCC 12 at -O3 warns falsely (-Wrestrict) on the latter.
  char key[64];
  if (r.saturation())
    std::snprintf(key, sizeof key, "c%u_saturate_w%u", static_cast<unsigned>(r.connections),
                  static_cast<unsigned>(opt.window));
  else
    std::snprintf(key, sizeof key, "c%u_rate_%s", static_cast<unsigned>(r.connections), rate_label(r.rate).c_str());
  return key;
}

double us(const TscClock& clock, double ticks) { return ticks / clock.ticks_per_ns / 1e3; }

void put_latency(Report& r, const Histogram& h, const TscClock& clock, const std::string& prefix) {
  r.number(prefix + "p50_us", us(clock, h.quantile(0.50)));
  r.number(prefix + "p90_us", us(clock, h.quantile(0.90)));
  r.number(prefix + "p99_us", us(clock, h.quantile(0.99)));
  r.number(prefix + "p999_us", us(clock, h.quantile(0.999)));
  r.number(prefix + "max_us", us(clock, static_cast<double>(h.max())));
  r.number(prefix + "mean_us", us(clock, h.mean()));
}

void put_thread(Report& r, const std::string& name, const ThreadTimes& t, double seconds) {
  if (seconds <= 0) return;
  const double wall = seconds * 1e9;
  r.number(name + "_cpu_pct", 100.0 * static_cast<double>(t.run_ns) / wall, "of one CPU, over the whole run");
  r.number(name + "_runnable_wait_pct", 100.0 * static_cast<double>(t.wait_ns) / wall,
           "ready to run but waiting for a CPU");
  r.integer(name + "_preemptions", static_cast<std::int64_t>(t.preemptions), "involuntary context switches");
}

// Machine-wide busy time minus our three threads': what else ran during the run. Jiffies are
// 10 ms, so this is good to a few percent.
double others_cpu_pct(const LoadResult& x) {
  const double ours = static_cast<double>(x.generator.run_ns + x.server.gateway.run_ns + x.server.engine.run_ns) * 1e-9;
  return std::max(0.0, 100.0 * (x.machine_busy_seconds - ours) / x.cpu_seconds);
}

void put_run(Report& r, const Run& run, const E2eBenchOptions& opt, const TscClock& clock) {
  const LoadResult& x = run.result;
  r.text("mode", run.saturation() ? "saturation" : "open loop");
  r.integer("connections", run.connections);
  if (run.saturation()) {
    r.integer("window", opt.window, "commands outstanding per connection");
  } else {
    r.number("offered_per_sec", run.rate);
  }
  r.number("acked_per_sec", run.acked_per_sec(), "successful acks of measured commands per second");
  r.number("new_orders_acked_per_sec", run.new_orders_per_sec(), "the part of acked_per_sec that are new orders");
  r.integer("measured_acks", static_cast<std::int64_t>(x.measured_acks));
  r.integer("sent", static_cast<std::int64_t>(x.sent), "commands, warm-up included");
  r.integer("accepted", static_cast<std::int64_t>(x.accepted));
  r.integer("canceled", static_cast<std::int64_t>(x.canceled));
  r.integer("rejected", static_cast<std::int64_t>(x.rejected), "new orders refused (Rejected)");
  r.integer("cancel_rejected", static_cast<std::int64_t>(x.cancel_rejected));
  if (run.rejects()) {
    Report& reasons = r.child("reject_reasons");
    for (std::size_t i = 0; i < x.reject_reasons.size(); ++i)
      if (x.reject_reasons[i])
        reasons.integer(wire::EnumNameReason(static_cast<wire::Reason>(i)), static_cast<std::int64_t>(x.reject_reasons[i]));
  }
  r.integer("unanswered", static_cast<std::int64_t>(x.unanswered), "no answer within 5 s of the last send");
  r.integer("unexpected", static_cast<std::int64_t>(x.unexpected), "frames that answer nothing sent");
  r.integer("protocol_rejects", static_cast<std::int64_t>(x.protocol_rejects));
  if (!x.error.empty()) r.text("error", x.error);
  put_latency(r, x.latency, clock, "");
  if (!run.saturation()) {
    r.integer("late", static_cast<std::int64_t>(x.late), "measured commands sent > 10 us behind schedule");
    put_latency(r, x.slip, clock, "slip_");
  }
  put_thread(r, "generator", x.generator, x.cpu_seconds);
  put_thread(r, "gateway", x.server.gateway, x.cpu_seconds);
  put_thread(r, "engine", x.server.engine, x.cpu_seconds);
  if (x.cpu_seconds > 0)
    r.number("others_cpu_pct", others_cpu_pct(x),
             "CPU the rest of the machine used meanwhile (other processes, interrupts): > 10 means a disturbed run");
}

void print_table(const std::vector<Run>& runs, const E2eBenchOptions& opt, const TscClock& clock) {
  std::printf("\n%-6s %5s %-11s %11s %11s %11s %8s %8s %8s %8s %9s %7s %7s %6s  %s\n", "io", "conns", "mode",
              "offered/s", "acked/s", "new acked/s", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us", "late", "reject", "errors",
              "cpu% gen/gw/eng/others");
  for (const Run& r : runs) {
    const LoadResult& x = r.result;
    const std::string mode = r.saturation() ? "sat w" + std::to_string(opt.window) : "open " + rate_label(r.rate);
    const auto pct = [&](const ThreadTimes& t) {
      return x.cpu_seconds > 0 ? 100.0 * static_cast<double>(t.run_ns) / (x.cpu_seconds * 1e9) : 0.0;
    };
    const std::string offered = r.saturation() ? "-" : std::to_string(static_cast<long long>(r.rate));
    const std::string late = r.saturation() ? "-" : std::to_string(x.late);
    std::printf("%-6s %5u %-11s %11s %11.0f %11.0f %8.1f %8.1f %8.1f %8.1f %9.1f %7s %7llu %6llu  %.0f/%.0f/%.0f/%.0f\n",
                r.backend.c_str(), r.connections, mode.c_str(), offered.c_str(), r.acked_per_sec(), r.new_orders_per_sec(),
                us(clock, x.latency.quantile(0.5)), us(clock, x.latency.quantile(0.9)),
                us(clock, x.latency.quantile(0.99)), us(clock, x.latency.quantile(0.999)),
                us(clock, static_cast<double>(x.latency.max())), late.c_str(),
                static_cast<unsigned long long>(r.rejects()), static_cast<unsigned long long>(r.failures()),
                pct(x.generator), pct(x.server.gateway), pct(x.server.engine),
                x.cpu_seconds > 0 ? others_cpu_pct(x) : 0.0);
    for (std::size_t i = 0; i < x.reject_reasons.size(); ++i)
      if (x.reject_reasons[i])
        std::printf("       rejected %s: %llu\n", wire::EnumNameReason(static_cast<wire::Reason>(i)),
                    static_cast<unsigned long long>(x.reject_reasons[i]));
    if (!x.error.empty()) std::printf("       error: %s\n", x.error.c_str());
  }
}

const Run* saturation_run(const std::vector<Run>& runs, const std::string& backend, std::uint32_t connections) {
  const auto it = std::find_if(runs.begin(), runs.end(), [&](const Run& r) {
    return r.saturation() && r.backend == backend && r.connections == connections;
  });
  return it == runs.end() ? nullptr : &*it;
}

// The three targets, each with its figures and a verdict.
void put_targets(Report& t, const std::vector<Run>& runs, const E2eBenchOptions& opt, const PingPongResult* pp,
                 const TscClock& clock) {
  // New orders only: the other half of the commands are cancels, which keep the book bounded.
  const Run* top = nullptr;
  for (const Run& r : runs)
    if (r.saturation() && r.connections == kTargetConnections &&
        (!top || r.new_orders_per_sec() > top->new_orders_per_sec()))
      top = &r;
  if (top) {
    Report& x = t.child("saturation_throughput");
    x.number("new_orders_acked_per_sec", top->new_orders_per_sec(),
             top->backend + ", " + std::to_string(kTargetConnections) + " connections; cancels not counted");
    x.number("all_acks_per_sec", top->acked_per_sec(), "new orders and cancels");
    x.number("target", kTargetNewOrdersPerSec, "new orders acked per second");
    x.text("met", top->new_orders_per_sec() >= kTargetNewOrdersPerSec ? "yes" : "no");
  }

  const Run* u = saturation_run(runs, "uring", kTargetConnections);
  const Run* e = saturation_run(runs, "epoll", kTargetConnections);
  if (u && e && e->acked_per_sec() > 0) {
    Report& x = t.child("uring_over_epoll_at_64");
    x.number("ratio_pct", 100.0 * u->acked_per_sec() / e->acked_per_sec(), "uring / epoll saturation acks/s");
    x.number("target_pct", 100.0 * kTargetUringOverEpoll);
    x.text("met", u->acked_per_sec() >= kTargetUringOverEpoll * e->acked_per_sec() ? "yes" : "no");
  }

  if (pp && pp->rtt.count()) {
    const double base = us(clock, pp->rtt.quantile(0.5));
    for (const std::string& io : opt.io) {
      // The gentlest open-loop run: the least offered load, then the fewest connections.
      const Run* low = nullptr;
      for (const Run& r : runs)
        if (!r.saturation() && r.backend == io && r.result.latency.count() &&
            (!low || r.rate < low->rate || (r.rate == low->rate && r.connections < low->connections)))
          low = &r;
      if (!low) continue;
      const double p50 = us(clock, low->result.latency.quantile(0.5));
      Report& x = t.child("p50_over_pingpong_" + io);
      x.text("run", run_key(*low, opt));
      x.number("order_ack_p50_us", p50);
      x.number("pingpong_p50_us", base);
      x.number("ratio_pct", 100.0 * p50 / base);
      x.number("target_pct", 100.0 * kTargetP50OverPingPong);
      x.text("met", p50 <= kTargetP50OverPingPong * base ? "yes" : "no");
    }
  }
}

void progress(const E2eBenchOptions& opt, const std::string& what) {
  if (opt.json) return;
  std::fprintf(stderr, "# %s\n", what.c_str());
  std::fflush(stderr);
}

}  // namespace

int run_e2e_bench(const E2eBenchOptions& opt) {
  const std::string gpuxd = opt.gpuxd.empty() ? find_gpuxd() : opt.gpuxd;
  if (gpuxd.empty()) {
    std::fprintf(stderr, "gpux-bench e2e: no gpuxd beside gpux-bench or one directory up; give --gpuxd PATH\n");
    return 2;
  }
  if (::access(gpuxd.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "gpux-bench e2e: %s: %s\n", gpuxd.c_str(), std::strerror(errno));
    return 2;
  }
  const TscClock clock = TscClock::calibrate();
  Report root;
  Report& machine = put_machine(root, clock);
  const CpuJiffies j0 = CpuJiffies::now();
  const unsigned cpus = std::thread::hardware_concurrency();
  root.text("cpu_sharing", "the generator thread, gpuxd's gateway thread and its engine thread share " +
                               std::to_string(cpus) + " CPUs" +
                               (cpus < 3 ? ": they compete, so the figures are the whole machine's, not gpuxd's" : ""));
  Report& cfg = root.child("config");
  cfg.text("gpuxd", gpuxd);
  std::string extra;
  for (const std::string& a : opt.gpuxd_args) extra += (extra.empty() ? "" : " ") + a;
  if (!extra.empty()) cfg.text("gpuxd_args", extra);
  cfg.text("pinning", opt.gateway_cpu < 0 && opt.engine_cpu < 0
                          ? "none"
                          : "gateway thread on CPU " + std::to_string(opt.gateway_cpu) + ", engine thread on CPU " +
                                std::to_string(opt.engine_cpu) + " (-1: unpinned); the generator unpinned");
  cfg.text("order_mix", "per connection: 1 lot gtc limit orders on H100.MEM1, never crossing; after the first " +
                            std::to_string(opt.depth) + ", cancel-oldest and new alternate");
  cfg.integer("depth", opt.depth, "resting orders per connection");
  cfg.number("seconds", opt.seconds, "measured, per run");
  cfg.number("warmup_seconds", opt.warmup_seconds, "run before measuring, per run");

  std::unique_ptr<PingPongResult> pp;
  if (opt.pingpong) {
    const std::size_t bytes = order_frame_bytes();
    progress(opt, "bare TCP ping-pong, " + std::to_string(bytes) + " bytes each way");
    pp = std::make_unique<PingPongResult>(run_pingpong(bytes, opt.pingpong_round_trips));
    Report& x = root.child("pingpong");
    x.integer("bytes", static_cast<std::int64_t>(bytes), "each way: one new-order frame");
    x.integer("round_trips", static_cast<std::int64_t>(pp->rtt.count()));
    if (!pp->error.empty()) x.text("error", pp->error);
    put_latency(x, pp->rtt, clock, "rtt_");
  }

  // Human output shows the runs as one table instead of their every figure.
  Report human_only;
  Report& results = opt.json ? root : human_only;
  std::vector<Run> runs;
  bool failed = pp && !pp->error.empty();
  std::uint32_t accounts = 0, most = 0;
  const std::uint32_t runs_per_count = static_cast<std::uint32_t>(opt.rates.size()) + (opt.saturate ? 1 : 0);
  for (const std::uint32_t c : opt.connections) {
    accounts += c * runs_per_count;
    most = std::max(most, c);
  }
  for (const std::string& io : opt.io) {
    progress(opt, io + ": starting " + gpuxd);
    std::string error;
    auto server =
        Server::start({gpuxd, io, accounts, most + 16, opt.gateway_cpu, opt.engine_cpu, opt.gpuxd_args}, error);
    Report& b = results.child(io);
    if (!server) {
      std::fprintf(stderr, "gpux-bench e2e: %s\n", error.c_str());
      b.text("error", error);
      failed = true;
      continue;
    }
    b.text("gpuxd_says", server->backend());  // the backend named in its "listening on" line
    if (server->backend() != io) {
      std::fprintf(stderr, "gpux-bench e2e: asked gpuxd for %s, it runs %s\n", io.c_str(), server->backend().c_str());
      failed = true;
    }
    std::uint32_t next_account = 0;
    for (const std::uint32_t c : opt.connections) {
      std::vector<double> rates = opt.rates;
      if (opt.saturate) rates.push_back(0);
      for (const double rate : rates) {
        LoadConfig lc;
        lc.port = server->port();
        lc.server_pid = server->pid();
        lc.first_account = next_account;
        lc.connections = c;
        lc.rate = rate;
        lc.window = opt.window;
        lc.depth = opt.depth;
        lc.warmup_seconds = opt.warmup_seconds;
        lc.seconds = opt.seconds;
        next_account += c;
        Run run{io, c, rate, {}};
        progress(opt, io + ": " + std::to_string(c) + " connections, " +
                          (rate > 0 ? rate_label(rate) + "/s open loop" : "saturation"));
        run.result = run_load(lc, clock);
        if (!run.result.error.empty()) {
          failed = true;
          std::fprintf(stderr, "gpux-bench e2e: %s: %s\ngpuxd's log ends:\n%s", io.c_str(), run.result.error.c_str(),
                       server->log_tail().c_str());
        }
        put_run(b.child(run_key(run, opt)), run, opt, clock);
        runs.push_back(std::move(run));
      }
    }
    if (!server->stop(error)) {
      std::fprintf(stderr, "gpux-bench e2e: %s: %s\n", io.c_str(), error.c_str());
      b.text("stop_error", error);
      failed = true;
    }
  }
  put_steal(machine, j0);
  Report targets_human;
  put_targets(opt.json ? root.child("targets") : targets_human, runs, opt, pp.get(), clock);

  std::string plot_note;
  if (!opt.plot.empty()) {
    // A colour per load, a dash type per backend, so that backends compare load for load.
    std::vector<PlotLine> lines;
    const bool any_open = std::any_of(runs.begin(), runs.end(), [](const Run& r) { return !r.saturation(); });
    std::vector<std::string> loads;
    for (const Run& r : runs) {
      if (r.saturation() == any_open) continue;
      const std::string load =
          std::to_string(r.connections) + " conns " + (r.saturation() ? "saturation" : rate_label(r.rate) + "/s");
      const auto at = std::find(loads.begin(), loads.end(), load);
      const int color = static_cast<int>(at - loads.begin()) + 1;
      if (at == loads.end()) loads.push_back(load);
      const int dash = static_cast<int>(std::find(opt.io.begin(), opt.io.end(), r.backend) - opt.io.begin()) + 1;
      lines.push_back({r.backend + " " + load, &r.result.latency, color, dash});
    }
    if (pp) lines.push_back({"bare TCP ping-pong", &pp->rtt, -1, 1});
    plot_note = draw_plot(opt.plot, lines, clock);
  }

  if (opt.json) {
    root.print_json(stdout);
    std::fputc('\n', stdout);
  } else {
    root.print_human(stdout, "");
    print_table(runs, opt, clock);
    std::fputc('\n', stdout);
    targets_human.print_human(stdout, "targets");
  }
  if (!plot_note.empty()) std::fprintf(stderr, "gpux-bench e2e: %s\n", plot_note.c_str());
  return failed ? 1 : 0;
}

}  // namespace gpux::bench
