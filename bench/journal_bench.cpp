#include "bench/journal_bench.hpp"

#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <span>
#include <vector>

#include "bench/machine.hpp"
#include "bench/report.hpp"
#include "bench/timing.hpp"
#include "engine/symbol.hpp"
#include "gateway/pipeline/pipeline.hpp"
#include "gateway/pipeline/journaler.hpp"
#include "gateway/storage/reader.hpp"
#include "tools/gpux/command_source.hpp"

namespace gpux::bench {

namespace {

namespace fs = std::filesystem;
using gateway::Inbound;
using gateway::Outbound;
using gateway::Pipeline;
using gateway::PipelineConfig;

// A flow that keeps the book small whatever its length: per four commands, a bid that rests,
// its cancel, and a bid and an ask that trade. Valid under the wall clock the sequencer
// stamps (a window two days ahead), so the engine does its full work on every command.
std::vector<Command> make_flow(std::size_t n) {
  const std::int64_t day = std::time(nullptr) / 86400;
  const std::string instrument = format_symbol("H100.MEM1", (day + 2) * 24, 24);
  std::vector<Command> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    Command c = make_command(CommandType::new_order, 0, 0);
    c.instrument.assign(instrument);
    c.has_instrument = true;
    c.qty = 8;
    char cl[32];
    std::snprintf(cl, sizeof cl, "c%zu", i % 4 == 1 ? i - 1 : i);  // the cancel names the bid before it
    c.cl_id.assign(cl);
    c.has_cl_id = true;
    switch (i % 4) {
      case 0:
        c.side = Side::buy;
        c.price = PriceField{true, true, 20000};
        c.account.assign("maker-1");
        break;
      case 1:
        c.type = CommandType::cancel;
        c.account.assign("maker-1");
        break;
      case 2:
        c.side = Side::buy;
        c.price = PriceField{true, true, 21000};
        c.account.assign("lab-x");
        break;
      default:
        c.side = Side::sell;
        c.price = PriceField{true, true, 21000};
        c.account.assign("lab-y");
        break;
    }
    out.push_back(c);
  }
  return out;
}

std::string fs_type(const std::string& dir) {
  struct statfs st;
  if (::statfs(dir.c_str(), &st) != 0) return "?";
  switch (static_cast<unsigned long>(st.f_type)) {
    case 0xEF53: return "ext4";
    case 0x01021994: return "tmpfs (fdatasync costs nothing: not a durability figure)";
    case 0x794C7630: return "overlayfs";
    case 0x58465342: return "xfs";
    case 0x9123683E: return "btrfs";
    default: return "other";
  }
}

void put_latency(Report& r, const std::string& key, const Percentiles& p, const char* note) {
  Report& l = r.child(key);
  l.number("p50_us", p.p50 / 1e3);
  l.number("p99_us", p.p99 / 1e3);
  l.number("p999_us", p.p999 / 1e3);
  l.number("max_us", p.max / 1e3, note);
}

// One run of the pipeline with a journal in `dir`: every command submitted as fast as the
// rings take it, the run ends when the last command's output is released.
void run_mode(Report& root, const std::string& name, bool durable, const std::vector<Command>& flow,
              const std::string& dir, const TscClock& clock) {
  Engine engine(Catalog::builtin(), EngineConfig{});
  PipelineConfig config;
  config.journal = true;
  config.snapshot_every = 0;
  Pipeline pipeline(engine, config, [] {});
  gateway::JournalConfig jc;
  jc.dir = dir;
  jc.durable = durable;
  gateway::Journaler journaler(pipeline.journal(), jc, [](std::string_view line) {
    std::fprintf(stderr, "journal: %.*s\n", static_cast<int>(line.size()), line.data());
  });
  std::string error;
  if (!journaler.open(1, error)) {
    std::fprintf(stderr, "gpux-bench journal: %s\n", error.c_str());
    std::exit(1);
  }
  const std::size_t n = flow.size();
  std::vector<std::uint64_t> submitted(n + 1, 0);  // by seq
  std::vector<std::uint64_t> latency;
  latency.reserve(n);
  Seq released = 0;
  const auto take = [&](Outbound& out) {
    const Seq seq = Pipeline::seq_of(out);
    if (seq > released && seq <= static_cast<Seq>(n)) {
      const std::uint64_t now = tsc_now();
      for (Seq s = released + 1; s <= seq; ++s) latency.push_back(now - submitted[static_cast<std::size_t>(s)]);
      released = seq;
    }
  };
  pipeline.start();
  journaler.start();
  const auto started = std::chrono::steady_clock::now();
  std::size_t next = 0;
  while (released < static_cast<Seq>(n)) {
    std::size_t batch = 0;
    while (next < n && batch < 256 && pipeline.submit(Inbound{flow[next], 0})) {
      submitted[next + 1] = tsc_now();  // the sequencer numbers them in this order, from 1
      ++next;
      ++batch;
    }
    if (batch) pipeline.flush_submissions();
    pipeline.drain(take);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  pipeline.stop();
  journaler.stop();

  Report& r = root.child(name);
  r.number("commands_per_s", static_cast<double>(n) / seconds);
  r.integer("commands", static_cast<std::int64_t>(n));
  put_latency(r, "submit_to_release", Percentiles::of(latency, clock),
              "saturated: includes queueing behind earlier commands");
  const auto& stats = journaler.sync_stats();
  if (!stats.empty()) {
    std::vector<std::uint64_t> sync_ticks;
    std::uint64_t commands = 0;
    for (const auto& s : stats) {
      sync_ticks.push_back(clock.from_ns(static_cast<double>(s.ns)));
      commands += s.commands;
    }
    r.integer("fdatasyncs", static_cast<std::int64_t>(stats.size()));
    r.number("commands_per_sync", static_cast<double>(commands) / static_cast<double>(stats.size()));
    put_latency(r, "fdatasync", Percentiles::of(std::move(sync_ticks), clock), "");
  }
}

// Seconds to scan `dir` once, handing each run of decoded commands to `f`.
double timed_scan(const std::string& dir, const storage::BatchFn& f, storage::ScanResult& result) {
  std::string error;
  const auto started = std::chrono::steady_clock::now();
  const bool ok = storage::scan_batches(dir, storage::ScanOptions{}, f, result, error);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!ok) {
    std::fprintf(stderr, "gpux-bench journal: replay: %s\n", error.c_str());
    std::exit(1);
  }
  return seconds;
}

// The durable journal replayed into a fresh engine, two ways: on one thread (storage::
// scan_batches, as gpuxd's recovery runs it: runs of commands decoded in place, each passed to
// Engine::process(span)), and as `gpux replay DIR --quiet` runs it, the records read and checked
// on a thread of their own ahead of the engine (read_journal_runs). Alternated, twice each, the
// faster of each kept: their ratio is what reading ahead buys. Then the scan without the engine:
// what reading and checking the records costs alone.
void run_replay(Report& root, const std::string& dir) {
  storage::ScanResult result;
  auto one_thread = [&] {
    Engine engine(Catalog::builtin(), EngineConfig{});
    EventBuffer events;
    return timed_scan(
        dir,
        [&](std::span<const Command> commands) {
          events.clear();
          engine.process(commands, events);
        },
        result);
  };
  auto read_ahead = [&] {
    Engine engine(Catalog::builtin(), EngineConfig{});
    EventBuffer events;
    const auto started = std::chrono::steady_clock::now();
    const SourceStatus status = read_journal_runs(dir, INT64_MAX, [&](std::span<const Command> commands) {
      events.clear();
      engine.process(commands, events);
    });
    if (status.exit != 0) {
      std::fprintf(stderr, "gpux-bench journal: replay: %s\n", status.error.c_str());
      std::exit(1);
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  double one = 1e300, ahead = 1e300;
  for (int round = 0; round < 2; ++round) {
    one = std::min(one, one_thread());
    ahead = std::min(ahead, read_ahead());
  }
  const double read_seconds = timed_scan(dir, [](std::span<const Command>) {}, result);
  Report& r = root.child("replay");
  const auto records = static_cast<double>(result.records);
  r.number("commands_per_s", records / ahead, "read ahead on a thread, checked and matched: gpux replay DIR --quiet");
  r.number("one_thread_commands_per_s", records / one, "read, checked and matched on one thread: recovery");
  r.number("read_ahead_vs_one_thread", one / ahead);
  r.integer("commands", static_cast<std::int64_t>(result.records));
  r.number("mb_per_s", static_cast<double>(result.bytes) / 1e6 / ahead);
  r.number("read_only_commands_per_s", records / read_seconds, "read and checked, no engine");
}

}  // namespace

int run_journal_bench(const JournalBenchOptions& options) {
  const TscClock clock = TscClock::calibrate();
  const std::string base = options.dir.empty() ? fs::temp_directory_path().string() : options.dir;
  const std::string dir = (fs::path(base) / ("gpux-bench-journal-" + std::to_string(::getpid()))).string();
  Report root;
  Report& machine = put_machine(root, clock);
  machine.text("journal_fs", fs_type(base));
  const CpuJiffies start = CpuJiffies::now();
  const std::vector<Command> flow = make_flow(options.n);

  fs::remove_all(dir);
  run_mode(root, "async", false, flow, dir + "-async", clock);
  run_mode(root, "durable", true, flow, dir, clock);
  run_replay(root, dir);
  put_steal(machine, start);
  if (options.keep) root.child("replay").text("dir", dir);
  else fs::remove_all(dir);
  fs::remove_all(dir + "-async");

  root.print(stdout, options.json);
  return 0;
}

}  // namespace gpux::bench
