// The replication test's scaffolding (tests/replication/failover_test.cpp): a local NATS
// JetStream cluster run by scripts/nats-cluster, gpuxd replicas on fixed ports as child
// processes, and trading clients that fail over between them the way a real client does
// (next server on a dropped connection or a LoginRefused(not_primary), then Resend{since the
// last seq it saw}). No Catch2 macros here except in end_checks: the client threads report
// what went wrong as strings.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/gpuxd_process.hpp"
#include "tests/support/journal_replay.hpp"
#include "tests/support/temp_dir.hpp"

namespace gpux::test::replication {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Paths from the command line (main in failover_test.cpp).
struct Paths {
  std::string gpuxd, gpux, nats_cluster;
};
extern Paths g_paths;

double ms_between(SteadyClock::time_point a, SteadyClock::time_point b);

// ---- NATS ------------------------------------------------------------------------------------

// scripts/nats-cluster in DIR: started by start(), always stopped by the destructor.
class NatsCluster {
 public:
  explicit NatsCluster(std::string dir) : dir_(std::move(dir)) {}
  ~NatsCluster();
  NatsCluster(const NatsCluster&) = delete;
  NatsCluster& operator=(const NatsCluster&) = delete;

  bool start(std::string& error);
  bool kill(int node, std::string& error);     // 1-based
  bool restart(int node, std::string& error);  // waits until it is healthy
  // The node (1-based) that leads the stream's replica group, or 0 when unknown.
  int stream_leader(const std::string& stream = "GPUX");
  const std::string& urls() const { return urls_; }

 private:
  bool run(const std::string& args, std::string& error, int timeout_s = 90);

  std::string dir_;
  std::string urls_;
  bool started_ = false;
};

// ---- gpuxd replicas -----------------------------------------------------------------------

struct NodeConfig {
  std::int64_t lease_ms = 1000;
  std::uint64_t snapshot_every = 20000;
};

// One replica: a name, a fixed port and a journal directory, and its current run (a new
// GpuxdProcess on each restart; earlier runs are kept for their logs).
struct Node {
  std::string name;
  std::uint16_t port = 0;
  std::string journal;
  std::unique_ptr<GpuxdProcess> run;
  std::vector<std::unique_ptr<GpuxdProcess>> past;

  bool alive() { return run && run->alive(); }
  // Its current run took the lease ("primary: epoch").
  bool primary() { return run && run->logged("primary: epoch"); }
  std::string logs();  // every run's log, oldest first
};

class Replicas {
 public:
  Replicas(std::string stem, NodeConfig config);
  ~Replicas();

  bool start_nats(std::string& error);
  NatsCluster& nats() { return *nats_; }
  const TempDir& dir() const { return dir_; }

  // A node named `name` with a free port and an empty journal directory; its index.
  std::size_t add(const std::string& name);
  // Starts (or restarts) node i: waits for "listening on".
  bool start(std::size_t i, std::string& error);
  Node& node(std::size_t i) { return nodes_[i]; }
  std::size_t size() const { return nodes_.size(); }
  // The ports of the first `n` nodes: the servers clients know.
  std::vector<std::uint16_t> ports(std::size_t n) const;

  // The node whose current run is the primary (the latest "primary: epoch" line of a running
  // node), waiting up to `timeout` for one; -1 if none.
  int primary(milliseconds timeout);
  // A node other than `except` whose current run logged "primary: epoch" at or after `since`;
  // waits up to `timeout`. Returns its index and when the line came.
  std::optional<std::pair<std::size_t, SteadyClock::time_point>> promoted(std::size_t except,
                                                                          SteadyClock::time_point since,
                                                                          milliseconds timeout);
  // Restarts every node that exited (a deposed primary exits 3), as a supervisor would; the
  // names of those restarted.
  std::vector<std::string> supervise(std::string& error);

  std::string all_logs();
  // For a watchdog: SIGKILL every gpuxd and stop the NATS cluster now (nats-server is no child
  // of the test and would outlive an abort), so that the test's threads fail instead of hang.
  void emergency_stop();
  // Every "primary: epoch" and "stepping down" line logged at or after `since`, by any run of
  // any node: "B: primary: epoch 2 ...".
  std::vector<std::string> events_since(SteadyClock::time_point since);

 private:
  TempDir dir_;
  NodeConfig config_;
  std::unique_ptr<NatsCluster> nats_;
  std::vector<Node> nodes_;
};

// The seq gpuxd on `port` has routed output up to (a drop copy's Resend past the end answers
// at once with ResendDone{through_seq}); nullopt when it does not answer in 2 s.
std::optional<Seq> routed_seq(std::uint16_t port);

struct JournalState {
  Seq seq = -1;
  std::string digest;
  std::string line;  // what `gpux journal state` printed (or its error)
};
// The last whole record's seq in the journal in `dir`, which may be written meanwhile (only
// segments holding seqs after `after` are read); -1 when it cannot be read.
Seq journal_last_seq(const std::string& dir, Seq after);

// `gpux journal state DIR` (DIR must not be written meanwhile).
JournalState journal_state(const std::string& dir);

// ---- trading clients ------------------------------------------------------------------------

// One sequenced report as received, for comparing a client's whole stream with a Resend{0}.
struct Report {
  Seq seq = 0;
  int type = 0;  // wire::Body
  OrderId order_id = 0;
  std::uint32_t match = 0;
  int side = 0;
  Qty qty = 0, leaves = 0;
  std::string cl_id;
  auto operator<=>(const Report&) const = default;
};
std::string describe(const Report& r);

struct TraderConfig {
  std::vector<std::uint16_t> ports;   // the servers, tried in turn
  std::uint64_t seed = 1;
  int rate = 150;                     // new commands per second, at most
  std::size_t window = 4;             // commands in flight
  milliseconds silence{2000};         // outstanding and unanswered this long: the server is gone
  milliseconds reconnect_limit{30000};  // no server takes the login this long: an error
};

class Trader {
 public:
  Trader(std::string account, TraderConfig config);
  ~Trader();

  void start();
  // Stop sending and wait (bounded) until what is outstanding is answered; reports still come
  // in. Then finish(): a Resend{0} on the connection for the comparison, and return. Every
  // client quiesces before any finishes, so no live report (a passive fill) arrives during
  // the final Resend.
  void quiesce();
  void finish();

  std::atomic<int> phase{0};  // tags reports (the test's cycle)

  // After finish().
  const ReportsSeen& seen() const { return seen_; }
  const std::vector<Report>& received() const { return received_; }
  const std::vector<Report>& final_resend() const { return final_resend_; }
  Seq final_through() const { return final_through_; }
  const std::vector<std::string>& errors() const { return errors_; }
  long sent() const { return sent_; }
  int reconnects() const { return reconnects_; }

  // Any time: every Accepted as (when, node index it came from).
  std::vector<std::pair<SteadyClock::time_point, int>> acks();
  std::size_t ack_count();

 private:
  void run();

  std::string account_;
  TraderConfig config_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> drained_{false};
  std::atomic<bool> resend_{false};
  ReportsSeen seen_;
  std::vector<Report> received_;
  std::vector<Report> final_resend_;
  Seq final_through_ = -1;
  std::vector<std::string> errors_;
  long sent_ = 0;
  int reconnects_ = 0;
  std::mutex ack_mutex_;
  std::vector<std::pair<SteadyClock::time_point, int>> ack_times_;
};

// Starts a trader per account (maker-1, maker-2, lab-x, lab-y) on the first `n` servers.
std::vector<std::unique_ptr<Trader>> start_traders(Replicas& r, std::size_t n, std::uint64_t seed);

// The first ack from node `node` (-1: any but `except`) at or after `since`, waiting up to
// `timeout`.
std::optional<SteadyClock::time_point> first_ack(std::vector<std::unique_ptr<Trader>>& traders, int except,
                                                 SteadyClock::time_point since, milliseconds timeout);
// The longest time between consecutive acks (of all clients together) within [from, to].
double longest_ack_gap_ms(std::vector<std::unique_ptr<Trader>>& traders, SteadyClock::time_point from,
                          SteadyClock::time_point to);

// Every record of the journal in `dir`, re-encoded (gateway/storage/record.hpp), by seq; the
// scan's error when it fails.
struct JournalRecords {
  Seq first = 0, last = 0;
  std::vector<std::vector<std::uint8_t>> records;  // records[k] has seq first + k
  bool torn = false;
};
bool read_journal(const std::string& dir, JournalRecords& out, std::string& error);
// Empty when `prefix` is a prefix of `whole` (the same records up to prefix's last seq);
// otherwise what differs.
std::string prefix_mismatch(const JournalRecords& prefix, const JournalRecords& whole);

// ---- the end checks -------------------------------------------------------------------------

struct EndFigures {
  std::size_t acks = 0, fills = 0, reports = 0;
  Seq last_seq = 0;
  int nodes_compared = 0;
  std::string final_primary;
};

// Catch2 checks, for every test: the traders finish (each compares what it received with a
// Resend{0}: nothing missing, nothing twice); the primary is stopped, the standbys catch up to
// its last seq and are stopped; `gpux journal state` is the same on every node's journal; the
// final primary's journal replayed holds every report exactly as received. `final_primary_journal`
// is set to that journal's directory.
EndFigures end_checks(Replicas& r, std::vector<std::unique_ptr<Trader>>& traders,
                      std::string* final_primary_journal = nullptr);

}  // namespace gpux::test::replication
