// The checks every replication test ends with (harness.hpp, end_checks).
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <catch2/catch.hpp>
#include <set>

#include "gateway/storage/reader.hpp"
#include "gateway/storage/record.hpp"
#include "tests/replication/harness.hpp"

namespace gpux::test::replication {

using namespace std::chrono_literals;

bool read_journal(const std::string& dir, JournalRecords& out, std::string& error) {
  out = {};
  storage::ScanResult result;
  const bool ok = storage::scan(
      dir, {},
      [&](const storage::Record& r) {
        if (out.records.empty()) out.first = r.command.seq;
        out.last = r.command.seq;
        out.records.emplace_back();
        storage::append_record(r.command, r.session, out.records.back());
      },
      result, error);
  out.torn = result.torn;
  return ok;
}

std::string prefix_mismatch(const JournalRecords& prefix, const JournalRecords& whole) {
  if (prefix.records.empty()) return {};
  if (whole.first > prefix.first || whole.last < prefix.last)
    return "the journal holds seq " + std::to_string(whole.first) + ".." + std::to_string(whole.last) +
           ", not all of " + std::to_string(prefix.first) + ".." + std::to_string(prefix.last);
  for (std::size_t k = 0; k < prefix.records.size(); ++k) {
    const Seq seq = prefix.first + static_cast<Seq>(k);
    if (prefix.records[k] != whole.records[static_cast<std::size_t>(seq - whole.first)])
      return "the records of seq " + std::to_string(seq) + " differ";
  }
  return {};
}

Seq journal_last_seq(const std::string& dir, Seq after) {
  storage::ScanOptions options;
  options.after = std::max<Seq>(after, 0);
  storage::ScanResult result;
  std::string error;
  if (!storage::scan(dir, options, [](const storage::Record&) {}, result, error)) return -1;
  return result.last_seq;
}

namespace {

// Stops the primary, lets every other running node catch up to its last seq, stops them too;
// true when no standby took over meanwhile (the journals then end at the same seq).
bool stop_all(Replicas& r, int primary, std::string& error) {
  Node& p = r.node(static_cast<std::size_t>(primary));
  const auto stopping = SteadyClock::now();
  p.run->signal(SIGTERM);
  const auto status = p.run->wait(20s);
  if (!status) {
    error = p.name + " did not stop within 20 s of SIGTERM";
    return false;
  }
  if (describe_status(*status) != "exit 0") {
    error = p.name + " stopped with " + describe_status(*status);
    return false;
  }
  const double exit_ms = ms_between(stopping, SteadyClock::now());
  const auto stopped_line = p.run->wait_for("gpuxd: stopped", 0ms);
  if (exit_ms > 1000)
    std::printf("end checks: %s took %.0f ms to exit after SIGTERM (%.0f ms after it logged \"stopped\")\n",
                p.name.c_str(), exit_ms, stopped_line ? ms_between(stopped_line->at, SteadyClock::now()) : -1.0);
  const JournalState last = journal_state(p.journal);
  if (last.seq <= 0) {
    error = "gpux journal state " + p.journal + ": " + last.line;
    return false;
  }
  // The standbys applied the stream up to the primary's last seq and wrote it to their
  // journals (a drop copy's routed seq would not do: a clock command without output is not
  // routed).
  for (std::size_t i = 0; i < r.size(); ++i) {
    Node& n = r.node(i);
    if (static_cast<int>(i) == primary || !n.alive()) continue;
    const auto deadline = SteadyClock::now() + 20s;
    for (;;) {
      const Seq seq = journal_last_seq(n.journal, last.seq - 1);
      if (seq >= last.seq) {
        const double waited = ms_between(stopping, SteadyClock::now());
        if (waited > 1000)
          std::printf("end checks: %s's journal reached seq %lld (%s's last) %.0f ms after %s was stopped\n",
                      n.name.c_str(), static_cast<long long>(last.seq), p.name.c_str(), waited, p.name.c_str());
        break;
      }
      if (SteadyClock::now() > deadline) {
        error = n.name + "'s journal did not reach seq " + std::to_string(last.seq) + " within 20 s (at " +
                std::to_string(seq) + ")";
        return false;
      }
      std::this_thread::sleep_for(10ms);
    }
  }
  for (std::size_t i = 0; i < r.size(); ++i)
    if (static_cast<int>(i) != primary && r.node(i).alive()) r.node(i).run->signal(SIGTERM);
  bool promoted = false;
  for (std::size_t i = 0; i < r.size(); ++i) {
    Node& n = r.node(i);
    if (static_cast<int>(i) == primary || !n.run) continue;
    const auto s = n.run->wait(20s);
    if (!s) {
      error = n.name + " did not stop within 20 s of SIGTERM";
      return false;
    }
    for (const auto& l : n.run->lines())
      promoted |= l.at >= stopping && l.text.find("primary: epoch") != std::string::npos;
    if (describe_status(*s) != "exit 0") {
      error = n.name + " stopped with " + describe_status(*s);
      return false;
    }
  }
  if (promoted) error = "a standby took the lease while the nodes were being stopped";
  return !promoted;
}

}  // namespace

EndFigures end_checks(Replicas& r, std::vector<std::unique_ptr<Trader>>& traders, std::string* final_primary_journal) {
  EndFigures fig;
  for (auto& t : traders) t->quiesce();
  std::this_thread::sleep_for(200ms);  // the passive sides' fills of the last orders
  for (auto& t : traders) t->finish();
  for (auto& t : traders) {
    INFO("client " << t->seen().name);
    for (const std::string& e : t->errors()) FAIL_CHECK(e);
  }
  // Each client's reports, across every failover and Resend, are the final primary's history of
  // its account: nothing missing (a gap), nothing twice, in seq order.
  for (auto& t : traders) {
    INFO("client " << t->seen().name << ": the reports it received vs a final Resend{0} through seq "
                   << t->final_through());
    REQUIRE(t->final_through() > 0);
    std::vector<Report> got;
    for (const Report& rep : t->received())
      if (rep.seq <= t->final_through()) got.push_back(rep);
    std::set<Report> unique(got.begin(), got.end());
    CHECK(unique.size() == got.size());  // nothing received twice
    CHECK(got.size() == t->final_resend().size());
    for (std::size_t k = 0; k < std::max(got.size(), t->final_resend().size()); ++k) {
      const bool same = k < got.size() && k < t->final_resend().size() && got[k] == t->final_resend()[k];
      if (same) continue;
      FAIL_CHECK("report " << k << " received: " << (k < got.size() ? describe(got[k]) : std::string("none"))
                           << "\n  the final primary resends: "
                           << (k < t->final_resend().size() ? describe(t->final_resend()[k]) : std::string("none")));
      break;
    }
    fig.reports += got.size();
  }

  // Stop: the primary first, then the standbys once they hold its last seq. A standby that
  // takes the lease meanwhile (a slow machine) appends clock commands: start over with it.
  int primary = r.primary(5s);
  {
    INFO(r.all_logs());
    REQUIRE(primary >= 0);
  }
  std::string error;
  bool stopped = false;
  for (int attempt = 0; attempt < 3 && !stopped; ++attempt) {
    stopped = stop_all(r, primary, error);
    if (stopped) break;
    INFO(error << "\n" << r.all_logs());
    REQUIRE(error == "a standby took the lease while the nodes were being stopped");
    WARN("stopping again: " << error);
    REQUIRE(r.supervise(error).size() > 0);
    primary = r.primary(10s);
    REQUIRE(primary >= 0);
  }
  {
    INFO(error << "\n" << r.all_logs());
    REQUIRE(stopped);
  }
  fig.final_primary = r.node(static_cast<std::size_t>(primary)).name;

  // Every replica holds the same history: the same seq and state digest.
  const JournalState expected = journal_state(r.node(static_cast<std::size_t>(primary)).journal);
  REQUIRE(expected.seq > 0);
  for (std::size_t i = 0; i < r.size(); ++i) {
    Node& n = r.node(i);
    if (!n.run) continue;
    const JournalState s = journal_state(n.journal);
    INFO("node " << n.name << ": " << s.line << "\n  primary " << fig.final_primary << ": " << expected.line);
    CHECK(s.seq == expected.seq);
    CHECK(s.digest == expected.digest);
    ++fig.nodes_compared;
  }

  // The final primary's journal replayed holds every report exactly as received.
  const std::string journal = r.node(static_cast<std::size_t>(primary)).journal;
  if (final_primary_journal) *final_primary_journal = journal;
  Replay replayed;
  const bool ok = replay(journal, replayed, error);
  INFO(error);
  REQUIRE(ok);
  CHECK_FALSE(replayed.torn);
  CHECK(replayed.duplicate_orders == 0);
  CHECK(replayed.duplicate_trades == 0);
  CHECK(replayed.ts_regressions == 0);
  CHECK(replayed.last_seq == expected.seq);
  for (auto& t : traders) {
    check_reports(t->seen(), replayed);
    fig.acks += t->seen().accepted.size();
    fig.fills += t->seen().fills.size();
  }
  fig.last_seq = replayed.last_seq;
  return fig;
}

}  // namespace gpux::test::replication
