#include "tests/replication/harness.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "tests/support/wire_client.hpp"

namespace gpux::test::replication {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

Paths g_paths;

double ms_between(SteadyClock::time_point a, SteadyClock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// Runs a shell command, its output (stdout and stderr) in `out`; its exit status.
int shell(const std::string& command, std::string& out) {
  out.clear();
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// A TCP port on 127.0.0.1 free now, below the ephemeral range (which outgoing connections and
// port-0 binds use), never handed out twice by this process.
std::uint16_t free_port() {
  static std::mutex mutex;
  static std::set<std::uint16_t> given;
  static std::mt19937 rng(static_cast<unsigned>(::getpid()) * 7919u + static_cast<unsigned>(std::time(nullptr)));
  std::lock_guard lock(mutex);
  for (int attempt = 0; attempt < 10000; ++attempt) {
    const auto port = static_cast<std::uint16_t>(12000 + rng() % 18000);
    if (given.contains(port)) continue;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (ok) {
      given.insert(port);
      return port;
    }
  }
  return 0;
}

}  // namespace

// ---- NATS ------------------------------------------------------------------------------------

NatsCluster::~NatsCluster() {
  if (!started_) return;
  std::string error;
  run("stop " + quote(dir_), error, 60);
}

bool NatsCluster::run(const std::string& args, std::string& error, int timeout_s) {
  std::string out;
  const std::string command =
      "timeout -k 5 " + std::to_string(timeout_s) + " " + quote(g_paths.nats_cluster) + " " + args;
  const int rc = shell(command, out);
  if (rc != 0) error = command + ": exit " + std::to_string(rc) + "\n" + out;
  return rc == 0;
}

bool NatsCluster::start(std::string& error) {
  started_ = true;  // stop whatever part of it came up
  if (!run("start " + quote(dir_), error)) return false;
  urls_ = trim(read_text(dir_ + "/urls"));
  if (urls_.empty()) error = "no " + dir_ + "/urls";
  return !urls_.empty();
}

bool NatsCluster::kill(int node, std::string& error) { return run("kill " + quote(dir_) + " " + std::to_string(node), error); }

bool NatsCluster::restart(int node, std::string& error) {
  return run("restart " + quote(dir_) + " " + std::to_string(node), error);
}

int NatsCluster::stream_leader(const std::string& stream) {
  // nodes: "I CLIENT CLUSTER HTTP" per node. /jsz?streams=true lists each stream with its
  // replica group's leader: ..."name":"GPUX",..."cluster":{..."leader":"n2"...
  std::istringstream nodes(read_text(dir_ + "/nodes"));
  int i, client, cluster, http;
  while (nodes >> i >> client >> cluster >> http) {
    std::string out;
    if (shell("curl -sf --max-time 2 'http://127.0.0.1:" + std::to_string(http) + "/jsz?streams=true'", out) != 0)
      continue;
    const std::size_t at = out.find("\"name\": \"" + stream + "\"") != std::string::npos
                               ? out.find("\"name\": \"" + stream + "\"")
                               : out.find("\"name\":\"" + stream + "\"");
    if (at == std::string::npos) continue;
    const std::size_t l = out.find("\"leader\"", at);
    if (l == std::string::npos) continue;
    const std::size_t n = out.find("\"n", l + 8);
    if (n == std::string::npos) continue;
    const int leader = std::atoi(out.c_str() + n + 2);
    if (leader > 0) return leader;
  }
  return 0;
}

// ---- gpuxd replicas -------------------------------------------------------------------------

std::string Node::logs() {
  std::string s;
  int k = 0;
  for (auto& p : past) s += "--- " + name + " run " + std::to_string(++k) + "\n" + p->log();
  if (run) s += "--- " + name + " run " + std::to_string(++k) + " (current)\n" + run->log();
  return s;
}

Replicas::Replicas(std::string stem, NodeConfig config) : dir_(std::move(stem)), config_(config) {}

Replicas::~Replicas() {
  // gpuxd first (their destructors SIGKILL them), then NATS.
  nodes_.clear();
  nats_.reset();
}

bool Replicas::start_nats(std::string& error) {
  nats_ = std::make_unique<NatsCluster>(dir_ / "nats");
  return nats_->start(error);
}

std::size_t Replicas::add(const std::string& name) {
  Node n;
  n.name = name;
  n.port = free_port();
  n.journal = dir_ / ("journal-" + name);
  fs::create_directories(n.journal);
  nodes_.push_back(std::move(n));
  return nodes_.size() - 1;
}

bool Replicas::start(std::size_t i, std::string& error) {
  Node& n = nodes_[i];
  if (n.run) {
    if (n.run->alive()) {
      error = n.name + " still runs";
      return false;
    }
    n.past.push_back(std::move(n.run));
  }
  n.run = std::make_unique<GpuxdProcess>();
  GpuxdProcess::Options o;
  o.binary = g_paths.gpuxd;
  o.journal = n.journal;
  o.port = n.port;
  o.risk = false;
  o.snapshot_every = config_.snapshot_every;
  o.segment_mb = 4;
  o.extra = {"--nats", nats_->urls(), "--node", n.name, "--lease-ms", std::to_string(config_.lease_ms)};
  // The port of a SIGKILLed gpuxd may take a moment to be free again.
  for (int attempt = 0;; ++attempt) {
    if (n.run->start(o, error)) return true;
    if (attempt >= 5 || error.find("Address already in use") == std::string::npos) {
      error = n.name + ": " + error;
      return false;
    }
    n.past.push_back(std::move(n.run));
    n.run = std::make_unique<GpuxdProcess>();
    std::this_thread::sleep_for(300ms);
  }
}

std::vector<std::uint16_t> Replicas::ports(std::size_t n) const {
  std::vector<std::uint16_t> out;
  for (std::size_t i = 0; i < n && i < nodes_.size(); ++i) out.push_back(nodes_[i].port);
  return out;
}

int Replicas::primary(milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    int best = -1;
    SteadyClock::time_point best_at{};
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      Node& n = nodes_[i];
      if (!n.alive()) continue;
      for (const auto& l : n.run->lines())
        if (l.text.find("primary: epoch") != std::string::npos && (best < 0 || l.at > best_at) &&
            !n.run->logged("stepping down")) {
          best = static_cast<int>(i);
          best_at = l.at;
        }
    }
    if (best >= 0 || SteadyClock::now() > deadline) return best;
    std::this_thread::sleep_for(20ms);
  }
}

std::optional<std::pair<std::size_t, SteadyClock::time_point>> Replicas::promoted(std::size_t except,
                                                                                  SteadyClock::time_point since,
                                                                                  milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (i == except || !nodes_[i].run) continue;
      for (const auto& l : nodes_[i].run->lines())
        if (l.at >= since && l.text.find("primary: epoch") != std::string::npos) return std::make_pair(i, l.at);
    }
    if (SteadyClock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
}

std::vector<std::string> Replicas::supervise(std::string& error) {
  std::vector<std::string> restarted;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    Node& n = nodes_[i];
    if (!n.run || n.alive()) continue;
    if (!start(i, error)) return restarted;
    restarted.push_back(n.name);
  }
  return restarted;
}

std::vector<std::string> Replicas::events_since(SteadyClock::time_point since) {
  std::vector<std::pair<SteadyClock::time_point, std::string>> found;
  for (Node& n : nodes_) {
    std::vector<GpuxdProcess*> runs;
    for (auto& p : n.past) runs.push_back(p.get());
    if (n.run) runs.push_back(n.run.get());
    for (GpuxdProcess* run : runs)
      for (const auto& l : run->lines())
        for (const char* what : {"primary: epoch", "stepping down", "lost the lease"})
          if (l.at >= since && l.text.find(what) != std::string::npos)
            found.emplace_back(l.at, n.name + ": " + l.text.substr(l.text.find(what)));
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& [at, text] : found) out.push_back(text);
  return out;
}

void Replicas::emergency_stop() {
  std::fprintf(stderr, "watchdog: stopping every gpuxd and the NATS cluster\n");
  for (Node& n : nodes_)
    if (n.run) {
      n.run->signal(SIGCONT);
      n.run->signal(SIGKILL);
    }
  std::string out;
  shell("timeout -k 5 30 " + quote(g_paths.nats_cluster) + " stop " + quote(dir_ / "nats"), out);
}

std::string Replicas::all_logs() {
  std::string s;
  for (Node& n : nodes_) s += n.logs();
  return s;
}

// ---- probes ---------------------------------------------------------------------------------

std::optional<Seq> routed_seq(std::uint16_t port) {
  WireConnection c;
  std::string why;
  if (!c.connect(port, why)) return std::nullopt;
  if (!c.write(c.enc.login("audit", "audit-demo"))) return std::nullopt;
  const auto deadline = SteadyClock::now() + 2s;
  bool logged_in = false;
  while (SteadyClock::now() < deadline) {
    Frame f;
    const auto r = c.read(f, 100ms, why);
    if (r == WireConnection::Read::closed || r == WireConnection::Read::bad) return std::nullopt;
    if (r != WireConnection::Read::frame) continue;
    if (f.type() == wire::Body::LoginAccepted && !logged_in) {
      logged_in = true;
      if (!c.write(c.enc.resend(Seq{1} << 60))) return std::nullopt;
    } else if (f.type() == wire::Body::ResendDone) {
      return f.as<wire::ResendDone>()->through_seq();
    } else if (f.type() == wire::Body::LoginRefused) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

JournalState journal_state(const std::string& dir) {
  JournalState s;
  std::string out;
  const int rc = shell("timeout 60 " + quote(g_paths.gpux) + " journal state " + quote(dir) + " 2>/dev/null", out);
  s.line = trim(out);
  if (rc != 0) return s;
  const std::size_t seq = s.line.find("\"seq\":"), digest = s.line.find("\"state_digest\":\"");
  if (seq == std::string::npos || digest == std::string::npos) return s;
  s.seq = std::atoll(s.line.c_str() + seq + 6);
  const std::size_t from = digest + 16, to = s.line.find('"', from);
  s.digest = s.line.substr(from, to - from);
  return s;
}

}  // namespace gpux::test::replication
