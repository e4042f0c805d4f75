// gpuxd: the exchange server. With no arguments it listens on 127.0.0.1:7001 with the built-in
// catalog and the demo accounts, logs to stderr, and stops cleanly on SIGINT or SIGTERM.
#include <pthread.h>
#include <sched.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "gateway/session/accounts.hpp"
#include "gateway/pipeline/pipeline.hpp"
#include "gateway/session/sessions.hpp"
#include "gateway/transport/transport.hpp"
#include "gateway/pipeline/resend_worker.hpp"
#include "gateway/pipeline/journaler.hpp"
#include "gateway/replication/nats_link.hpp"
#include "gateway/replication/replicator.hpp"
#include "gateway/storage/recovery.hpp"
#include "tools/orderlog/catalog_file.hpp"
#include "tools/web/web_server.hpp"

namespace {

using namespace gpux;
using namespace gpux::gateway;

// The CPUs this process may run on.
int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
}

void log_line(std::string_view text) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm;
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::fprintf(stderr, "%s.%03lldZ gpuxd: %.*s\n", stamp, static_cast<long long>(ms), static_cast<int>(text.size()),
               text.data());
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gpuxd: the gpux exchange server"};
  TransportConfig transport_config;
  SessionConfig session_config;
  PipelineConfig pipeline_config;
  EngineConfig engine_config;
  engine_config.prefault = false;
  std::string io = "auto", catalog_path, accounts_path, hash_token;
  int gateway_cpu = -1;
  std::int64_t heartbeat_ms = session_config.heartbeat.count(), idle_ms = session_config.idle_timeout.count();
  app.add_option("--host", transport_config.host, "Address to listen on")->capture_default_str();
  app.add_option("--port", transport_config.port, "TCP port (0: any free port)")->capture_default_str();
  app.add_option("--io", io, "I/O backend: auto (io_uring, else epoll), uring or epoll")
      ->check(CLI::IsMember({"auto", "uring", "epoll"}))
      ->capture_default_str();
  app.add_option("--catalog", catalog_path, "Product catalog file (JSON); default: the built-in catalog");
  app.add_option("--accounts", accounts_path, "Accounts file (NAME ROLE SHA256HEX lines, ROLE trader, operator or drop_copy); default: demo accounts");
  app.add_option("--hash-token", hash_token, "Print the SHA-256 of a token for an accounts file, and exit");
  app.add_option("--max-connections", transport_config.max_connections)->capture_default_str();
  app.add_option("--max-queued-bytes", transport_config.max_queued_bytes,
                 "Per-session output queue bound; a session past it is disconnected as a slow consumer")
      ->capture_default_str();
  app.add_option("--max-orders", engine_config.max_orders, "Resting orders the engine can hold")->capture_default_str();
  app.add_option("--max-orders-per-account", engine_config.max_orders_per_account,
                 "Resting orders one account can hold; a gtc or gtd order past it is rejected (capacity)")
      ->capture_default_str();
  app.add_option("--rate", session_config.orders_per_sec, "Requests per second per session (token bucket)")
      ->capture_default_str();
  app.add_option("--burst", session_config.burst, "Token bucket size")->capture_default_str();
  app.add_option("--max-subscriptions", session_config.max_subscriptions,
                 "Instruments one session may subscribe to at once")
      ->capture_default_str();
  app.add_option("--max-sessions-per-account", session_config.max_sessions_per_account,
                 "Sessions one account may hold at once; a login past it is refused too_many_sessions")
      ->capture_default_str();
  app.add_option("--max-market-data-sessions", session_config.max_market_data_sessions,
                 "Market-data sessions (no account, public data only) at once; past it too_many_sessions")
      ->capture_default_str();
  app.add_option("--max-backlog", session_config.max_backlog,
                 "Commands the gateway holds while the engine's inbound ring is full; past it, server_busy")
      ->capture_default_str();
  app.add_option("--heartbeat-ms", heartbeat_ms, "Send a heartbeat after this much silence")->capture_default_str();
  app.add_option("--idle-timeout-ms", idle_ms, "Close a session silent this long")->capture_default_str();
  app.add_option("--engine-cpu", pipeline_config.engine_cpu, "Pin the engine thread to this CPU (-1: no)")
      ->capture_default_str();
  app.add_option("--gateway-cpu", gateway_cpu, "Pin the gateway thread to this CPU (-1: no)")->capture_default_str();
  int engine_spin_us = -1;
  app.add_option("--engine-spin-us", engine_spin_us,
                 "How long the engine thread polls for commands before it yields and sleeps (-1: 10 when "
                 "gpuxd may use 3 CPUs or more, else 0)")
      ->capture_default_str();

  app.add_flag("--prefault", engine_config.prefault,
               "Touch the engine's memory at start-up and size its order indexes for --max-orders (without it they grow with the book, moving once per doubling: 20-80 ms at 1M resting orders)");
  gateway::JournalConfig journal_config;
  bool async_journal = false;
  std::uint64_t segment_mb = journal_config.segment_bytes >> 20;
  pipeline_config.snapshot_every = 1'000'000;
  app.add_option("--journal", journal_config.dir,
                 "Journal directory: every command is kept there, and gpuxd recovers from it at start-up "
                 "(default: no journal, nothing survives a restart)");
  app.add_flag("--async-journal", async_journal,
               "Acknowledge once a command is written, without waiting for the fdatasync that makes it durable");
  app.add_option("--snapshot-every", pipeline_config.snapshot_every,
                 "Snapshot the engine after this many commands (0: never)")
      ->capture_default_str();
  app.add_option("--segment-mb", segment_mb, "Start a new journal segment past this size")->capture_default_str();
  std::string risk = "on";
  app.add_option("--risk", risk,
                 "Risk checks (SPEC v2 section 7, capacity and credit) of a new exchange: on (default) sequences a "
                 "`risk on` command as seq 1 when there is no journal or it is empty, so sells need deposited "
                 "capacity and buys funded cash; off sequences nothing (checks off). A recovered journal keeps "
                 "the mode it records: change it with `gpux risk on|off`")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  replication::NatsConfig nats_config;
  std::string node;
  app.add_option("--nats", nats_config.urls,
                 "Replicate through NATS JetStream (docs/replication.md): the cluster's URLs, comma-separated "
                 "(nats://127.0.0.1:4222,...). gpuxd starts as a standby that follows the replicated log, takes the "
                 "lease when it is free and becomes the primary. Needs --journal");
  app.add_option("--node", node, "This gpuxd's name in the lease (default: host:port it listens on)");
  app.add_option("--stream", nats_config.stream, "JetStream stream of the replicated command log")->capture_default_str();
  app.add_option("--subject", nats_config.subject, "Subject of the replicated log")->capture_default_str();
  app.add_option("--lease-bucket", nats_config.lease_bucket, "Key-value bucket of the primary's lease")
      ->capture_default_str();
  app.add_option("--replicas", nats_config.replicas, "Replicas of the stream and the lease bucket (1-5)")
      ->check(CLI::Range(1, 5))
      ->capture_default_str();
  app.add_option("--lease-ms", nats_config.lease_ms,
                 "The lease's time to live: a primary that cannot renew it for this long steps down, and a standby "
                 "takes over about this long after the primary died")
      ->check(CLI::Range(500, 60000))
      ->capture_default_str();
  web::WebOptions web_options;
  web_options.web_root = GPUX_WEB_ROOT;
  app.add_option("--web-port", web_options.port,
                 "Serve the read-only web view on this port (docs/web-view.md; 0: off)")
      ->capture_default_str();
  app.add_option("--web-host", web_options.host, "Address the web view listens on")->capture_default_str();
  app.add_option("--web-root", web_options.web_root, "The web view's files (index.html, app.js, style.css)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  const bool replicated = !nats_config.urls.empty();
  if (replicated && journal_config.dir.empty()) {
    log_line("--nats needs --journal: the local journal is a replica's own snapshot and replay store");
    return 1;
  }

  if (!hash_token.empty()) {
    std::printf("%s\n", Accounts::sha256_hex(hash_token).c_str());
    return 0;
  }
  session_config.heartbeat = std::chrono::milliseconds(heartbeat_ms);
  // With 2 CPUs the gateway thread, the engine thread and whatever else runs (on the bench
  // machine, the load generator) share them, and an engine polling for 10 µs holds the CPU
  // the gateway needs to go on: there gpux-bench e2e measured 35 µs order->ack p50 at 1
  // connection with the poll and 23 µs without (bench/README.md, "End to end").
  if (engine_spin_us < 0) engine_spin_us = usable_cpus() > 2 ? 10 : 0;
  pipeline_config.engine_wait.spin = std::chrono::microseconds(engine_spin_us);
  session_config.idle_timeout = std::chrono::milliseconds(idle_ms);

  Catalog catalog = Catalog::builtin();
  if (!catalog_path.empty()) {
    std::string text, error;
    if (!read_file(catalog_path, text) || !parse_catalog(text, catalog, error)) {
      log_line("cannot use catalog " + catalog_path + ": " + (error.empty() ? std::strerror(errno) : error));
      return 1;
    }
  }
  Accounts accounts = Accounts::demo();
  if (!accounts_path.empty()) {
    std::string text, error;
    std::optional<Accounts> parsed;
    if (!read_file(accounts_path, text) || !(parsed = Accounts::parse(text, error))) {
      log_line("cannot use accounts " + accounts_path + ": " + (error.empty() ? std::strerror(errno) : error));
      return 1;
    }
    accounts = std::move(*parsed);
  } else {
    log_line("demo accounts: maker-1..maker-4, lab-x, lab-y, lab-z (token demo), ops (operator, token ops-demo), "
             "audit (drop copy, token audit-demo)");
  }

  // Signals go to one thread that waits for them; the others never see them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<Transport> transport;
  if (io != "epoll") {
    int error = 0;
    transport = make_uring_transport(transport_config, error);
    if (!transport) {
      if (io == "uring") {
        log_line(std::string("io_uring unavailable: ") + std::strerror(-error));
        return 1;
      }
      log_line(std::string("io_uring unavailable (") + std::strerror(-error) + "), using the epoll backend");
    }
  }
  if (!transport) transport = make_epoll_transport(transport_config);
  if (const int r = transport->listen(); r < 0) {
    log_line("cannot listen on " + transport_config.host + ":" + std::to_string(transport_config.port) + ": " +
             std::strerror(-r));
    return 1;
  }

  Engine engine(std::move(catalog), engine_config);
  storage::Recovered recovered;
  if (!journal_config.dir.empty()) {
    std::string error;
    const auto started = std::chrono::steady_clock::now();
    if (!storage::recover(journal_config.dir, engine, recovered, error, log_line)) {
      log_line("cannot recover from the journal: " + error);
      return 1;
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    log_line("journal " + journal_config.dir + ": recovered to seq " + std::to_string(recovered.seq) + " (snapshot " +
             std::to_string(recovered.snapshot_seq) + " + " + std::to_string(recovered.replayed) + " commands, " +
             std::to_string(engine.resting_orders()) + " resting orders) in " + std::to_string(ms) + " ms; " +
             (replicated ? "replicated (local journal synced about once a second)"
                                 : async_journal ? "asynchronous" : "durable") +
             " mode");
    pipeline_config.journal = true;
    // Replicated, a command is kept once the stream's replicas hold it; the local journal
    // is synced about once a second (docs/replication.md, "Guarantees").
    journal_config.durable = !async_journal && !replicated;
    journal_config.segment_bytes = segment_mb << 20;
  }
  Transport* t = transport.get();
  pipeline_config.standby = replicated;
  pipeline_config.risk_on_when_new = replicated && risk == "on";
  Pipeline pipeline(engine, pipeline_config, [t] { t->wake(); });
  pipeline.resume_after(recovered.seq, recovered.ts);
  if (!replicated && risk == "on" && pipeline.begin_with_risk_checks())
    log_line("a new exchange: risk checks on (seq 1 is `risk on`; --risk off to start without)");
  replication::NatsLink nats;
  std::optional<replication::Replicator> replicator;
  std::atomic<bool> deposed{false};
  if (replicated) {
    std::string error;
    if (!nats.open(nats_config, error)) {
      log_line(error);
      return 1;
    }
    if (node.empty()) node = transport_config.host + ":" + std::to_string(transport->port());
    replicator.emplace(nats, pipeline, node, log_line, [t, &deposed](const std::string&) {
      deposed.store(true);
      t->stop();
    });
    if (!replicator->open(recovered.seq, error)) {
      log_line("cannot follow the replicated log: " + error);
      return 1;
    }
    log_line("replicated through " + nats_config.urls + " (stream " + nats_config.stream + ", " +
             std::to_string(nats_config.replicas) + " replicas, lease " + std::to_string(nats_config.lease_ms) +
             " ms) as " + node + ": a standby until it holds the lease");
  }
  std::optional<gateway::Journaler> journaler;
  if (pipeline_config.journal) {
    std::string error;
    journaler.emplace(pipeline.journal(), journal_config, log_line);
    if (!journaler->open(recovered.seq + 1, error)) {
      log_line("cannot open the journal: " + error);
      return 1;
    }
    if (replicator)
      journaler->replicate([&r = *replicator](std::span<const std::uint8_t> bytes,
                                              std::span<const RecordRun> runs, std::string& error) {
        return r.publish(bytes, runs, error);
      });
  }
  Sessions sessions(*transport, pipeline, accounts, session_config, log_line);
  sessions.seed_books(engine);
  std::optional<gateway::ResendWorker> history;
  if (journaler) {
    history.emplace(journal_config.dir, engine.catalog(), engine_config, [t] { t->wake(); });
    sessions.set_history(&*history);
  }

  // The web view: a client of this port (docs/web-view.md), started once we listen and before
  // other threads run (it may fail); it logs in when transport->run serves the port.
  std::optional<web::WebServer> web_view;
  if (web_options.port != 0) {
    for (const Product& p : engine.catalog().products()) web_options.products.push_back(p.id);
    web_options.gpux_host = transport_config.host == "0.0.0.0" ? "127.0.0.1" : transport_config.host;
    web_options.gpux_port = transport->port();
    web_options.log = log_line;
    const std::string web_host = web_options.host;
    web_view.emplace(std::move(web_options));
    if (std::string error; !web_view->start(error)) {
      log_line("web view: " + error);
      return 1;
    }
    log_line("web view on http://" + web_host + ":" + std::to_string(web_view->port()) + "/");
  }

  std::atomic<bool> stopped_itself{false};  // the SIGTERM below only wakes the waiter
  std::thread signal_waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig != 0 && !stopped_itself) log_line(std::string("stopping on ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
    t->stop();
  });

  pipeline.start();  // before pinning this thread: the engine thread must not inherit it
  if (journaler) journaler->start();
  if (replicator) replicator->start();
  if (gateway_cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(gateway_cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  }
  log_line(std::string("listening on ") + transport_config.host + ":" + std::to_string(transport->port()) + " (" +
           transport->name() + ")");
  transport->run(sessions);
  if (web_view) web_view->stop();
  if (replicator) replicator->stop();
  pipeline.stop();
  if (journaler) journaler->stop();
  if (replicator && replicator->publisher().messages())
    log_line("replication: " + std::to_string(replicator->publisher().messages()) + " messages published, " +
             std::to_string(replicator->publisher().retries()) + " publish attempts retried");
  // Wake the signal waiter if we stopped for another reason.
  stopped_itself = true;
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  if (pipeline.refused_not_primary())
    log_line(std::to_string(pipeline.refused_not_primary()) + " commands reached the engine while it was not the primary and were not sequenced");
  if (deposed) {
    log_line("stopped: no longer the primary (exit 3; restart to follow the new primary as a standby)");
    return 3;
  }
  log_line("stopped");
  return 0;
}
