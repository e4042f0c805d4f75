// Replication on NATS JetStream (issue 13) against the real thing: a local 3-node NATS
// cluster (scripts/nats-cluster), gpuxd replicas as child processes on fixed ports, and four
// trading clients that fail over between them as a real client does. Each test ends with the
// same checks (harness.hpp, end_checks): every report a client received is in the final
// history exactly as reported, none twice, none missing (its whole stream equals a final
// Resend{0}), and `gpux journal state` is the same on every replica's journal.
//
//   1. the primary SIGKILLed under load, several times: time from the kill to the first order
//      the new primary acknowledges;
//   2. a NATS node (the stream's leader) killed under load: the longest stall between acks;
//   3. split brain: the primary SIGSTOPped for 3 leases, a standby takes over, the old one
//      continued must step down (exit 3) with its journal a prefix of the new history;
//   4. a standby SIGSTOPped for a few seconds under load catches up;
//   5. a standby started from a copy of the primary's newest snapshot and the stream.
//
// Usage: gpux_failover_test --gpuxd PATH --gpux PATH --nats-cluster PATH [Catch2 options]
// Exits 77 (skipped) without nats-server. Environment, for longer runs and figures:
//   GPUX_FAILOVER_CYCLES (3) kills in test 1, GPUX_FAILOVER_SEED (1), GPUX_FAILOVER_RATE (150)
//   new commands per second per client, GPUX_FAILOVER_TRADE_MS (1000) trading between events,
//   GPUX_FAILOVER_NATS_DOWN_MS (5000), GPUX_FAILOVER_STALL_MS (4000) the standby stop in test 4,
//   GPUX_FAILOVER_SNAPSHOT_EVERY (2000) in test 5, GPUX_FAILOVER_NATS_NODE (the stream leader) the
//   NATS node test 2 kills, GPUX_FAILOVER_LOGS=1 prints every gpuxd log after the figures.
#define CATCH_CONFIG_RUNNER
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>

#include "tests/replication/harness.hpp"
#include "tests/support/env.hpp"
#include "tests/support/watchdog.hpp"

namespace {

using namespace gpux;
using namespace gpux::test::replication;
using namespace std::chrono_literals;
using gpux::test::describe_status;
using gpux::test::env_u64;
namespace fs = std::filesystem;

constexpr std::int64_t kLeaseMs = 1000;

milliseconds trade_ms() { return milliseconds(env_u64("GPUX_FAILOVER_TRADE_MS", 1000)); }

// Three replicas A, B, C on a fresh NATS cluster, one of them primary.
void start_three(Replicas& r) {
  std::string error;
  {
    INFO(error);
    REQUIRE(r.start_nats(error));
  }
  for (const char* name : {"A", "B", "C"}) r.add(name);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO(error);
    REQUIRE(r.start(i, error));
  }
  const int p = r.primary(15s);
  INFO(r.all_logs());
  REQUIRE(p >= 0);
}

// Clients trading, and acknowledged.
std::vector<std::unique_ptr<Trader>> trade(Replicas& r) {
  const auto from = SteadyClock::now();
  auto traders = start_traders(r, 3, env_u64("GPUX_FAILOVER_SEED", 1));
  const auto ack = first_ack(traders, -1, from, 10s);
  INFO(r.all_logs());
  REQUIRE(ack);
  std::this_thread::sleep_for(trade_ms());
  return traders;
}

// GPUX_FAILOVER_LOGS=1: every gpuxd log of the test, after its figures.
void dump_logs(Replicas& r) {
  if (env_u64("GPUX_FAILOVER_LOGS", 0)) std::printf("%s", r.all_logs().c_str());
}

void print_end(const char* test, const EndFigures& f) {
  std::printf("%s: end checks: %zu acks and %zu fills checked against the replay, %zu reports compared with a "
              "final Resend{0}, journal state equal on %d nodes at seq %lld (final primary %s)\n",
              test, f.acks, f.fills, f.reports, f.nodes_compared, static_cast<long long>(f.last_seq),
              f.final_primary.c_str());
  std::fflush(stdout);
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

}  // namespace

TEST_CASE("replication: the primary killed under load, again and again: a standby takes over and nothing "
          "acknowledged is lost",
          "[replication]") {
  const int cycles = static_cast<int>(env_u64("GPUX_FAILOVER_CYCLES", 3));
  Replicas r("gpux-failover", {kLeaseMs, 20000});
  gpux::test::Watchdog watchdog(std::chrono::seconds(90 + 20 * cycles), [&r] { r.emergency_stop(); });
  start_three(r);
  auto traders = trade(r);
  std::vector<double> to_primary, to_ack;
  std::string error;
  for (int cycle = 1; cycle <= cycles; ++cycle) {
    const int p = r.primary(5s);
    REQUIRE(p >= 0);
    for (auto& t : traders) t->phase = cycle;
    const auto killed_at = SteadyClock::now();
    r.node(static_cast<std::size_t>(p)).run->signal(SIGKILL);
    const auto status = r.node(static_cast<std::size_t>(p)).run->wait(10s);
    REQUIRE(status);
    CHECK((WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL));
    const auto promoted = r.promoted(static_cast<std::size_t>(p), killed_at, 20s);
    INFO("cycle " << cycle << ", killed " << r.node(static_cast<std::size_t>(p)).name << "\n" << r.all_logs());
    REQUIRE(promoted);
    const auto ack = first_ack(traders, p, killed_at, 20s);
    REQUIRE(ack);
    to_primary.push_back(ms_between(killed_at, promoted->second));
    to_ack.push_back(ms_between(killed_at, *ack));
    std::printf("failover: cycle %d: killed %s, %s primary after %.0f ms, first ack by it after %.0f ms\n", cycle,
                r.node(static_cast<std::size_t>(p)).name.c_str(), r.node(promoted->first).name.c_str(),
                to_primary.back(), to_ack.back());
    std::fflush(stdout);
    // A supervisor restarts it: it recovers from its journal and follows as a standby.
    INFO(error);
    REQUIRE(r.start(static_cast<std::size_t>(p), error));
    std::this_thread::sleep_for(trade_ms());
    CHECK_FALSE(r.node(static_cast<std::size_t>(p)).primary());
  }
  int reconnects = 0;
  for (auto& t : traders) reconnects += t->reconnects();
  const EndFigures f = end_checks(r, traders);
  std::printf("failover: kill -> new primary: p50 %.0f ms, max %.0f ms; kill -> first ack by the new primary: p50 "
              "%.0f ms, max %.0f ms over %d kills (lease %lld ms); %d client reconnects\n",
              percentile(to_primary, 0.5), percentile(to_primary, 1.0), percentile(to_ack, 0.5),
              percentile(to_ack, 1.0), cycles, static_cast<long long>(kLeaseMs), reconnects);
  print_end("failover", f);
  dump_logs(r);
}

TEST_CASE("replication: a NATS node killed under load: trading goes on", "[replication]") {
  Replicas r("gpux-failover", {kLeaseMs, 20000});
  gpux::test::Watchdog watchdog(std::chrono::seconds(150), [&r] { r.emergency_stop(); });
  start_three(r);
  const int first_primary = r.primary(1s);
  const auto traded_from = SteadyClock::now();
  auto traders = trade(r);
  const int leader = r.nats().stream_leader();
  const int victim = static_cast<int>(env_u64("GPUX_FAILOVER_NATS_NODE", leader > 0 ? leader : 1));
  std::string error;
  const auto killed_at = SteadyClock::now();
  {
    INFO(error);
    REQUIRE(r.nats().kill(victim, error));
  }
  std::this_thread::sleep_for(milliseconds(env_u64("GPUX_FAILOVER_NATS_DOWN_MS", 5000)));
  std::size_t acks_while_down = 0;
  for (auto& t : traders)
    for (const auto& [at, node] : t->acks()) acks_while_down += at > killed_at;
  {
    INFO(error);
    REQUIRE(r.nats().restart(victim, error));
  }
  const auto back_at = SteadyClock::now();
  std::this_thread::sleep_for(trade_ms());
  // A primary whose lease lapsed during the stall is deposed when it can renew again (exit 3):
  // a supervisor restarts it. Then trading goes on: an ack after the node came back, within
  // 30 s (how long the stall lasted, and whether acks came while the node was down, are
  // figures: killing the stream's leader stalls publishes for a JetStream leader election).
  const auto early_events = r.events_since(killed_at);
  const auto early_restarts = r.supervise(error);
  {
    INFO(error);
    REQUIRE(error.empty());
  }
  const auto resumed = first_ack(traders, -1, back_at + trade_ms() / 2, 30s);
  {
    INFO(r.all_logs());
    CHECK(resumed);
  }
  const auto until = resumed ? *resumed : SteadyClock::now();
  const double gap = longest_ack_gap_ms(traders, killed_at, until);
  const double before = longest_ack_gap_ms(traders, traded_from + 500ms, killed_at);
  // How far each standby is behind the primary now (seqs routed, as drop copies see them).
  std::string lag_text;
  if (const int now_primary = r.primary(0ms); now_primary >= 0) {
    const auto head = routed_seq(r.node(static_cast<std::size_t>(now_primary)).port);
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (static_cast<int>(i) == now_primary || !r.node(i).alive()) continue;
      const auto seq = routed_seq(r.node(i).port);
      lag_text += " " + r.node(i).name + " " + (head && seq ? std::to_string(*head - *seq) : std::string("?"));
    }
  }
  std::this_thread::sleep_for(200ms);
  const auto events = r.events_since(killed_at);
  const auto restarted = r.supervise(error);
  {
    INFO(error);
    REQUIRE(error.empty());
  }
  (void)early_events;
  (void)early_restarts;
  std::string events_text;
  for (const auto& e : events) events_text += "\n  " + e;
  (void)first_primary;
  std::printf("nats node kill: n%d (%s) down ~%llu ms: longest gap between consecutive acks %.0f ms (before the "
              "kill %.0f ms), %zu acks while it was down; standbys behind the primary once trading "
              "resumed (seqs):%s; failover: %s%s\n",
              victim, victim == leader ? "the stream leader" : "not the stream leader",
              static_cast<unsigned long long>(env_u64("GPUX_FAILOVER_NATS_DOWN_MS", 5000)), gap, before,
              acks_while_down, lag_text.c_str(),
              events.empty() ? "no" : "yes, the replicas logged:", events_text.c_str());
  std::fflush(stdout);
  const EndFigures f = end_checks(r, traders);
  print_end("nats node kill", f);
  dump_logs(r);
}

TEST_CASE("replication: split brain: a paused primary is deposed when it wakes, and its journal is a prefix of "
          "the new history",
          "[replication]") {
  Replicas r("gpux-failover", {kLeaseMs, 20000});
  gpux::test::Watchdog watchdog(std::chrono::seconds(150), [&r] { r.emergency_stop(); });
  start_three(r);
  auto traders = trade(r);
  const int p = r.primary(1s);
  REQUIRE(p >= 0);
  Node& old = r.node(static_cast<std::size_t>(p));
  for (auto& t : traders) t->phase = 1;
  const auto stopped_at = SteadyClock::now();
  old.run->signal(SIGSTOP);
  const auto promoted = r.promoted(static_cast<std::size_t>(p), stopped_at, milliseconds(3 * kLeaseMs + 10000));
  {
    INFO(r.all_logs());
    REQUIRE(promoted);
  }
  const auto ack = first_ack(traders, p, stopped_at, 15s);
  {
    INFO(r.all_logs());
    REQUIRE(ack);  // the clients moved to the new primary
  }
  std::this_thread::sleep_until(stopped_at + milliseconds(3 * kLeaseMs));
  const auto continued_at = SteadyClock::now();
  old.run->signal(SIGCONT);
  const auto status = old.run->wait(15s);
  const double exit_ms = ms_between(continued_at, SteadyClock::now());
  {
    INFO(old.logs());
    REQUIRE(status);
    CHECK(describe_status(*status) == "exit 3");
    CHECK(old.run->logged("stepping down"));
  }
  const auto stepping = old.run->wait_for("stepping down", 0ms);
  const std::string why = stepping ? stepping->text.substr(stepping->text.find("stepping down")) : "";
  JournalRecords old_journal;
  std::string error;
  {
    INFO(error);
    REQUIRE(read_journal(old.journal, old_journal, error));
  }
  // A supervisor restarts it: a standby now.
  {
    INFO(error);
    REQUIRE(r.start(static_cast<std::size_t>(p), error));
  }
  std::this_thread::sleep_for(trade_ms());
  std::string final_journal;
  const EndFigures f = end_checks(r, traders, &final_journal);
  // Every record the deposed primary kept is the new history's record of that seq, byte for
  // byte (re-encoded from the scan: seq, ts, session and the command).
  JournalRecords whole;
  {
    INFO(error);
    REQUIRE(read_journal(final_journal, whole, error));
  }
  const std::string mismatch = prefix_mismatch(old_journal, whole);
  INFO("the deposed primary's journal (seq " << old_journal.first << ".." << old_journal.last << ") vs "
                                             << final_journal);
  CHECK(mismatch.empty());
  std::printf("split brain: %s stopped %lld ms; %s primary after %.0f ms, first ack by it after %.0f ms; %s "
              "continued: exited (%s) after %.0f ms, logging \"%s\"; its journal (seq %lld..%lld) is %s of the new "
              "history (seq ..%lld)\n",
              old.name.c_str(), static_cast<long long>(3 * kLeaseMs), r.node(promoted->first).name.c_str(),
              ms_between(stopped_at, promoted->second), ms_between(stopped_at, *ack), old.name.c_str(),
              status ? describe_status(*status).c_str() : "?", exit_ms, why.c_str(),
              static_cast<long long>(old_journal.first), static_cast<long long>(old_journal.last),
              mismatch.empty() ? "a prefix" : "NOT a prefix", static_cast<long long>(whole.last));
  print_end("split brain", f);
  dump_logs(r);
}

TEST_CASE("replication: a standby that falls behind catches up", "[replication]") {
  Replicas r("gpux-failover", {kLeaseMs, 20000});
  gpux::test::Watchdog watchdog(std::chrono::seconds(150), [&r] { r.emergency_stop(); });
  start_three(r);
  auto traders = trade(r);
  const int p = r.primary(1s);
  REQUIRE(p >= 0);
  const std::size_t s = (static_cast<std::size_t>(p) + 1) % 3;
  Node& standby = r.node(s);
  const auto at_stop = routed_seq(standby.port);
  REQUIRE(at_stop);
  standby.run->signal(SIGSTOP);
  const auto stall = milliseconds(env_u64("GPUX_FAILOVER_STALL_MS", 4000));
  std::this_thread::sleep_for(stall);
  const auto primary_seq = routed_seq(r.node(static_cast<std::size_t>(p)).port);
  REQUIRE(primary_seq);
  const auto resumed = SteadyClock::now();
  standby.run->signal(SIGCONT);
  std::optional<Seq> seq;
  while (!(seq = routed_seq(standby.port)) || *seq < *primary_seq) {
    INFO(standby.logs());
    REQUIRE(SteadyClock::now() - resumed < 30s);
    std::this_thread::sleep_for(5ms);
  }
  const double caught_ms = ms_between(resumed, SteadyClock::now());
  CHECK(standby.alive());
  CHECK_FALSE(standby.primary());
  std::this_thread::sleep_for(trade_ms());
  const EndFigures f = end_checks(r, traders);
  std::printf("standby behind: %s stopped %lld ms under load, %lld commands behind (seq %lld -> %lld), caught up in "
              "%.0f ms\n",
              standby.name.c_str(), static_cast<long long>(stall.count()),
              static_cast<long long>(*primary_seq - *at_stop), static_cast<long long>(*at_stop),
              static_cast<long long>(*primary_seq), caught_ms);
  print_end("standby behind", f);
  dump_logs(r);
}

TEST_CASE("replication: a new standby starts from a copy of the primary's snapshot and follows the stream",
          "[replication]") {
  Replicas r("gpux-failover", {kLeaseMs, env_u64("GPUX_FAILOVER_SNAPSHOT_EVERY", 2000)});
  gpux::test::Watchdog watchdog(std::chrono::seconds(150), [&r] { r.emergency_stop(); });
  start_three(r);
  const std::size_t d = r.add("D");
  auto traders = trade(r);
  const int p = r.primary(1s);
  REQUIRE(p >= 0);
  // The primary's newest snapshot (<seq>.snapshot: written as .tmp, then renamed, so whole).
  fs::path newest;
  Seq snapshot_seq = 0;
  const auto deadline = SteadyClock::now() + 60s;
  while (snapshot_seq == 0) {
    for (const auto& e : fs::directory_iterator(r.node(static_cast<std::size_t>(p)).journal))
      if (e.path().extension() == ".snapshot") {
        const Seq seq = std::atoll(e.path().stem().c_str());
        if (seq > snapshot_seq) snapshot_seq = seq, newest = e.path();
      }
    if (snapshot_seq == 0) {
      REQUIRE(SteadyClock::now() < deadline);
      std::this_thread::sleep_for(50ms);
    }
  }
  fs::copy_file(newest, fs::path(r.node(d).journal) / newest.filename());
  std::string error;
  const auto primary_seq = routed_seq(r.node(static_cast<std::size_t>(p)).port);
  {
    INFO(error);
    REQUIRE(r.start(d, error));
  }
  {
    INFO(r.node(d).logs());
    CHECK(r.node(d).run->recovered() == snapshot_seq);
    CHECK(r.node(d).run->logged("(snapshot " + std::to_string(snapshot_seq) + " "));
  }
  std::this_thread::sleep_for(2 * trade_ms());
  const auto d_seq = routed_seq(r.node(d).port);
  CHECK(d_seq);
  CHECK(r.node(d).alive());
  const EndFigures f = end_checks(r, traders);
  std::printf("snapshot standby: D started from %s (the primary at seq %lld), followed the stream to seq %lld while "
              "trading went on\n",
              newest.filename().c_str(), static_cast<long long>(primary_seq.value_or(-1)),
              static_cast<long long>(d_seq.value_or(-1)));
  print_end("snapshot standby", f);
  dump_logs(r);
}

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  Catch::Session session;
  using namespace Catch::clara;
  auto cli = session.cli() | Opt(g_paths.gpuxd, "path")["--gpuxd"]("the gpuxd binary to test") |
             Opt(g_paths.gpux, "path")["--gpux"]("the gpux binary (gpux journal state)") |
             Opt(g_paths.nats_cluster, "path")["--nats-cluster"]("scripts/nats-cluster");
  session.cli(cli);
  if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  if (g_paths.gpuxd.empty() || g_paths.gpux.empty() || g_paths.nats_cluster.empty()) {
    std::fprintf(stderr, "gpux_failover_test: --gpuxd, --gpux and --nats-cluster are needed\n");
    return 2;
  }
  if (std::system("command -v nats-server >/dev/null 2>&1") != 0) {
    std::printf("gpux_failover_test: nats-server not found (scripts/install-deps): skipped\n");
    return 77;  // ctest: SKIP_RETURN_CODE
  }
  return session.run();
}
