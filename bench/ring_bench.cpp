#include "bench/ring_bench.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "bench/machine.hpp"
#include "bench/report.hpp"
#include "bench/timing.hpp"
#include "engine/command.hpp"
#include "gateway/pipeline/spsc_ring.hpp"
#include "gateway/pipeline/wait.hpp"

namespace gpux::bench {
namespace {

using gateway::cpu_relax;
using gateway::Doorbell;
using gateway::SpscRing;
using gateway::wait_until;
using gateway::WaitPolicy;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Busy-polls and never parks, with one sched_yield every 5 µs: when the threads are not
// pinned, a thread woken onto a spinner's CPU then waits microseconds for it, not the
// spinner's whole time slice (milliseconds).
constexpr WaitPolicy kSpin{.spin = 5us, .yields = 1, .park = false};

void pin_to(const RingBenchOptions& opt, std::size_t which) {
  if (opt.pin.size() < 2) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(opt.pin[which], &set);
  if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0)
    std::perror("gpux-bench: pthread_setaffinity_np");
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Involuntary context switches of the calling thread: another process took its core.
std::int64_t preemptions() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return u.ru_nivcsw;
}

struct Pair {
  double seconds;            // from the release until the later thread finished
  std::int64_t preemptions;  // of both threads: a run with any was disturbed
};

// Runs `first` here and `second` on a new thread, released together once both are running.
template <class First, class Second>
Pair run_pair(const RingBenchOptions& opt, First&& first, Second&& second) {
  std::atomic<int> arrived{0};
  auto rendezvous = [&] {
    arrived.fetch_add(1);
    while (arrived.load() < 2) cpu_relax();
  };
  Clock::time_point second_done;
  std::int64_t second_preemptions = 0;
  std::thread other([&] {
    pin_to(opt, 1);
    rendezvous();
    const std::int64_t before = preemptions();
    second();
    second_done = Clock::now();
    second_preemptions = preemptions() - before;
  });
  pin_to(opt, 0);
  rendezvous();
  const std::int64_t before = preemptions();
  const Clock::time_point start = Clock::now();
  first();
  const Clock::time_point first_done = Clock::now();
  const std::int64_t first_preemptions = preemptions() - before;
  other.join();
  return {std::chrono::duration<double>(std::max(first_done, second_done) - start).count(),
          first_preemptions + second_preemptions};
}

struct Run {
  Pair pair;
  bool intact;  // the consumer saw exactly what the producer sent
};

// In the runs below the consumer adds up what it receives in a local and stores the total only
// at the end: a total on the producer's stack, written per item, would share a line with what
// the producer reads and halve the throughput.

// ---- throughput: 8-byte items ----

Run u64_per_item(const RingBenchOptions& opt, std::uint64_t n) {
  SpscRing<std::uint64_t> ring(opt.capacity);
  std::uint64_t sum = 0;
  const Pair p = run_pair(
      opt,
      [&] {
        for (std::uint64_t i = 0; i < n; ++i)
          while (!ring.try_push(i)) cpu_relax();
      },
      [&] {
        std::uint64_t v, local = 0;
        for (std::uint64_t k = 0; k < n; ++k) {
          while (!ring.try_pop(v)) cpu_relax();
          local += v;
        }
        sum = local;
      });
  return {p, sum == n * (n - 1) / 2};
}

Run u64_batched(const RingBenchOptions& opt, std::uint64_t n) {
  SpscRing<std::uint64_t> ring(opt.capacity);
  std::uint64_t sum = 0;
  const Pair p = run_pair(
      opt,
      [&] {
        for (std::uint64_t i = 0; i < n;) {
          std::span<std::uint64_t> run = ring.claim(std::min<std::uint64_t>(64, n - i));
          for (std::uint64_t& slot : run) slot = i++;
          if (run.empty())
            cpu_relax();
          else
            ring.publish(run.size());
        }
      },
      [&] {
        std::uint64_t local = 0;
        for (std::uint64_t got = 0; got < n;) {
          const std::size_t k = ring.consume([&](std::uint64_t v) { local += v; }, 64);
          if (!k) cpu_relax();
          got += k;
        }
        sum = local;
      });
  return {p, sum == n * (n - 1) / 2};
}

// The gateway → engine use: the producer pushes bursts of `burst` items (blocking when full)
// and notifies once per burst; the consumer waits with the default policy, drains in batches
// and notifies the producer's space doorbell after each.
Run u64_with_doorbell(const RingBenchOptions& opt, std::uint64_t n, std::uint64_t burst) {
  SpscRing<std::uint64_t> ring(opt.capacity);
  Doorbell items, space;
  std::uint64_t sum = 0;
  const Pair p = run_pair(
      opt,
      [&] {
        for (std::uint64_t i = 0; i < n;) {
          for (const std::uint64_t end = std::min(n, i + burst); i < end; ++i)
            gateway::push_wait(ring, space, WaitPolicy{}, i);
          items.notify();
        }
      },
      [&] {
        std::uint64_t local = 0;
        for (std::uint64_t got = 0; got < n;) {
          wait_until(items, WaitPolicy{}, [&] { return !ring.empty(); });
          got += ring.consume([&](std::uint64_t v) { local += v; }, 64);
          space.notify();
        }
        sum = local;
      });
  return {p, sum == n * (n - 1) / 2};
}

// ---- throughput: engine commands ----

// Distinct commands cycled through by the producer (128 KB: stays in cache, so the runs
// measure the ring's traffic, not the source's).
std::vector<Command> command_source() {
  std::vector<Command> src(1024);
  for (std::size_t i = 0; i < src.size(); ++i) {
    src[i] = make_command(CommandType::new_order, static_cast<Seq>(i), static_cast<Ts>(i));
    src[i].qty = static_cast<Qty>(i + 1);
    src[i].account.assign("account-" + std::to_string(i % 100));
  }
  return src;
}

// What the consumer reads of each command: the fields the engine reads first (two cache lines).
std::int64_t digest(const Command& c) {
  return c.qty + c.account.len + (c.type == CommandType::new_order);
}

std::int64_t expected_digest_sum(const std::vector<Command>& src, std::uint64_t n) {
  std::int64_t sum = 0;
  for (std::uint64_t i = 0; i < n; ++i) sum += digest(src[i % src.size()]);
  return sum;
}

// try_push copies the command into the ring, try_pop copies it out again.
Run commands_copied(const RingBenchOptions& opt, std::uint64_t n,
                    const std::vector<Command>& src) {
  SpscRing<Command> ring(opt.capacity);
  std::int64_t sum = 0;
  const Pair p = run_pair(
      opt,
      [&] {
        for (std::uint64_t i = 0; i < n; ++i)
          while (!ring.try_push(src[i % src.size()])) cpu_relax();
      },
      [&] {
        Command c;
        std::int64_t local = 0;
        for (std::uint64_t k = 0; k < n; ++k) {
          while (!ring.try_pop(c)) cpu_relax();
          local += digest(c);
        }
        sum = local;
      });
  return {p, sum == expected_digest_sum(src, n)};
}

// claim() is written once, peek() is read where it lies.
Run commands_in_place(const RingBenchOptions& opt, std::uint64_t n,
                      const std::vector<Command>& src) {
  SpscRing<Command> ring(opt.capacity);
  std::int64_t sum = 0;
  const Pair p = run_pair(
      opt,
      [&] {
        for (std::uint64_t i = 0; i < n; ++i) {
          Command* slot;
          while (!(slot = ring.claim())) cpu_relax();
          *slot = src[i % src.size()];
          ring.publish();
        }
      },
      [&] {
        std::int64_t local = 0;
        for (std::uint64_t k = 0; k < n; ++k) {
          const Command* c;
          while (!(c = ring.peek())) cpu_relax();
          local += digest(*c);
          ring.release();
        }
        sum = local;
      });
  return {p, sum == expected_digest_sum(src, n)};
}

// In place and in runs: claim(64)/publish(k), and peek(64)/release(k) as the engine thread
// would feed Engine::process(span).
Run commands_batched(const RingBenchOptions& opt, std::uint64_t n,
                     const std::vector<Command>& src) {
  SpscRing<Command> ring(opt.capacity);
  std::int64_t sum = 0;
  const Pair p = run_pair(
      opt,
      [&] {
        for (std::uint64_t i = 0; i < n;) {
          std::span<Command> run = ring.claim(std::min<std::uint64_t>(64, n - i));
          for (Command& slot : run) slot = src[i++ % src.size()];
          if (run.empty())
            cpu_relax();
          else
            ring.publish(run.size());
        }
      },
      [&] {
        std::int64_t local = 0;
        for (std::uint64_t got = 0; got < n;) {
          std::span<Command> batch = ring.peek(64);
          for (const Command& c : batch) local += digest(c);
          ring.release(batch.size());
          if (batch.empty()) cpu_relax();
          got += batch.size();
        }
        sum = local;
      });
  return {p, sum == expected_digest_sum(src, n)};
}

template <class F>
void throughput(const RingBenchOptions& opt, Report& r, const std::string& key, std::uint64_t n,
                const std::string& note, F&& run_once) {
  if (!opt.json) std::fprintf(stderr, "# ring: throughput %s\n", key.c_str());
  std::vector<Run> runs;
  for (std::size_t k = 0; k < std::max<std::size_t>(1, opt.repeat); ++k)
    runs.push_back(run_once(n));
  std::sort(runs.begin(), runs.end(),
            [](const Run& a, const Run& b) { return a.pair.seconds < b.pair.seconds; });
  const double items = static_cast<double>(n);
  const double median = runs[runs.size() / 2].pair.seconds;
  Report& x = r.child(key);
  x.number("items_per_sec", items / median,
           "median of " + std::to_string(runs.size()) + "; " + note);
  x.number("ns_per_item", median * 1e9 / items);
  if (runs.size() > 1) x.number("items_per_sec_best", items / runs.front().pair.seconds);
  std::int64_t preempted = 0;
  bool intact = true;
  for (const Run& u : runs) {
    preempted += u.pair.preemptions;
    intact = intact && u.intact;
  }
  x.integer("preemptions", preempted, "of either thread, all runs");
  x.text("check", intact ? "ok" : "MISMATCH: items lost, reordered or damaged");
}

// ---- latency: ping-pong over two rings ----

struct PingPong {
  std::vector<std::uint64_t> ticks;  // round trips
  double responder_cpu_pct;          // of the run's wall time
  std::int64_t preemptions;
};

// The initiator timestamps a ping, the responder echoes it on the second ring, the initiator
// takes the round trip when the echo arrives. Both sides notify after every push and wait with
// their policy; with `gap`, the initiator sleeps before each ping, so the responder is idle.
PingPong ping_pong(const RingBenchOptions& opt, std::size_t count, const WaitPolicy& initiator,
                   const WaitPolicy& responder, Doorbell::Mode mode,
                   std::chrono::microseconds gap) {
  SpscRing<std::uint64_t> ping(1024), pong(1024);
  Doorbell ping_bell(mode), pong_bell(mode);
  const std::size_t warmup = std::min<std::size_t>(count / 10, 1000);
  PingPong out;
  out.ticks.reserve(count);
  double responder_cpu = 0;
  const Pair p = run_pair(
      opt,
      [&] {
        for (std::size_t k = 0; k < warmup + count; ++k) {
          if (gap.count()) std::this_thread::sleep_for(gap);
          const std::uint64_t t0 = tsc_begin();
          ping.try_push(t0);
          ping_bell.notify();
          wait_until(pong_bell, initiator, [&] { return !pong.empty(); });
          std::uint64_t echo;
          pong.try_pop(echo);
          const std::uint64_t t1 = tsc_end();
          if (k >= warmup) out.ticks.push_back(t1 - t0);
        }
        ping_bell.close();
      },
      [&] {
        const double cpu0 = thread_cpu_seconds();
        std::uint64_t v;
        while (wait_until(ping_bell, responder, [&] { return !ping.empty(); })) {
          while (ping.try_pop(v)) {
            pong.try_push(v);
            pong_bell.notify();
          }
        }
        responder_cpu = thread_cpu_seconds() - cpu0;
      });
  out.responder_cpu_pct = 100.0 * responder_cpu / p.seconds;
  out.preemptions = p.preemptions;
  return out;
}

void latency(const RingBenchOptions& opt, const TscClock& clock, Report& r, const std::string& key,
             std::size_t count, const WaitPolicy& initiator, const WaitPolicy& responder,
             Doorbell::Mode mode, std::chrono::microseconds gap, const std::string& note) {
  if (!opt.json) std::fprintf(stderr, "# ring: latency %s\n", key.c_str());
  PingPong pp = ping_pong(opt, count, initiator, responder, mode, gap);
  const Percentiles p = Percentiles::of(std::move(pp.ticks), clock);
  Report& x = r.child(key);
  x.integer("round_trips", static_cast<std::int64_t>(p.n), note);
  x.number("p50_ns", p.p50);
  x.number("p99_ns", p.p99);
  x.number("p999_ns", p.p999);
  x.number("max_ns", p.max);
  x.number("mean_ns", p.mean);
  x.number("responder_cpu_pct", pp.responder_cpu_pct, "responder's CPU time / wall time");
  x.integer("preemptions", pp.preemptions, "of either thread");
}

}  // namespace

int run_ring_bench(const RingBenchOptions& opt) {
  const TscClock clock = TscClock::calibrate();
  Report root;
  Report& m = put_machine(root, clock);
  m.text("pinned", opt.pin.size() >= 2
                       ? std::to_string(opt.pin[0]) + "," + std::to_string(opt.pin[1])
                       : "no");
  const CpuJiffies j0 = CpuJiffies::now();
  root.integer("capacity",
               static_cast<std::int64_t>(std::bit_ceil(std::max<std::size_t>(opt.capacity, 1))),
               "of the throughput runs' rings");

  Report& tp = root.child("throughput");
  const std::uint64_t n = opt.n, n_cmd = std::max<std::uint64_t>(1, opt.n / 4);
  throughput(opt, tp, "u64_per_item", n, "try_push / try_pop, spinning",
             [&](std::uint64_t k) { return u64_per_item(opt, k); });
  throughput(opt, tp, "u64_batched", n, "claim(64)+publish / consume(64), spinning",
             [&](std::uint64_t k) { return u64_batched(opt, k); });
  throughput(opt, tp, "u64_doorbell_per_item", n,
             "push_wait + notify per item / wait_until + consume(64) + notify, default policy",
             [&](std::uint64_t k) { return u64_with_doorbell(opt, k, 1); });
  throughput(opt, tp, "u64_doorbell_per_16", n, "as u64_doorbell_per_item, notify per 16 items",
             [&](std::uint64_t k) { return u64_with_doorbell(opt, k, 16); });
  const std::vector<Command> src = command_source();
  const std::string bytes = std::to_string(sizeof(Command)) + "-byte Command";
  throughput(opt, tp, "command_copied", n_cmd, bytes + ": try_push / try_pop (two copies)",
             [&](std::uint64_t k) { return commands_copied(opt, k, src); });
  throughput(opt, tp, "command_in_place", n_cmd, bytes + ": claim+publish / peek+release",
             [&](std::uint64_t k) { return commands_in_place(opt, k, src); });
  throughput(opt, tp, "command_batched", n_cmd, bytes + ": claim(64) / peek(64), in place",
             [&](std::uint64_t k) { return commands_batched(opt, k, src); });

  Report& lat = root.child("latency");
  const auto gap = std::chrono::microseconds(static_cast<std::int64_t>(opt.idle_gap_us));
  const std::string after_gap =
      "each ping after " + std::to_string(gap.count()) + " us idle; the responder ";
  latency(opt, clock, lat, "spin", opt.round_trips, kSpin, kSpin, Doorbell::Mode::futex, 0us,
          "back to back; both sides busy-poll");
  latency(opt, clock, lat, "idle_gap_spin", opt.idle_round_trips, kSpin, kSpin,
          Doorbell::Mode::futex, gap, after_gap + "busy-polls");
  latency(opt, clock, lat, "idle_gap_park_futex", opt.idle_round_trips, kSpin, WaitPolicy{},
          Doorbell::Mode::futex, gap, after_gap + "has parked (default policy, futex)");
  latency(opt, clock, lat, "idle_gap_park_eventfd", opt.idle_round_trips, kSpin, WaitPolicy{},
          Doorbell::Mode::eventfd, gap, after_gap + "has parked (default policy, eventfd)");
  put_steal(m, j0);

  root.print(stdout, opt.json);
  return 0;
}

}  // namespace gpux::bench
