#include "bench/e2e_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "gateway/session/accounts.hpp"

namespace gpux::bench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Waits up to `limit` for the child to exit; true when it did, with its wait status.
bool reap(pid_t pid, std::chrono::milliseconds limit, int& status) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  do {
    if (::waitpid(pid, &status, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(5ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

}  // namespace

std::string find_gpuxd() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  for (const fs::path& p : {self.parent_path() / "gpuxd", self.parent_path().parent_path() / "gpuxd"})
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  return {};
}

std::string bench_account(std::uint32_t i) { return "bench-" + std::to_string(i); }

std::unique_ptr<Server> Server::start(const ServerConfig& config, std::string& error) {
  std::unique_ptr<Server> s(new Server);
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/gpux-e2e-XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) {
    error = "mkdtemp: " + std::string(std::strerror(errno));
    return nullptr;
  }
  s->dir_ = dir;
  s->log_path_ = dir + "/gpuxd.log";
  const std::string accounts_path = dir + "/accounts";
  {
    std::ofstream out(accounts_path);
    const std::string hash = gateway::Accounts::sha256_hex(kBenchToken);
    for (std::uint32_t i = 0; i < config.accounts; ++i) out << bench_account(i) << " trader " << hash << "\n";
    if (!out) {
      error = "cannot write " + accounts_path;
      return nullptr;
    }
  }

  // No token bucket to speak of, no idle timeout within a run, and the order pool touched at
  // start-up so that page faults stay out of the figures.
  std::vector<std::string> args = {config.gpuxd,
                                         "--host", "127.0.0.1",
                                         "--port", "0",
                                         "--io", config.io,
                                         "--accounts", accounts_path,
                                         "--rate", "1e12",
                                         "--burst", "1e12",
                                         "--max-orders", "1048576",
                                         "--max-connections", std::to_string(config.max_connections),
                                         "--idle-timeout-ms", "3600000",
                                         // the load trades without deposits or funds (SPEC v2 §7)
                                         "--risk", "off",
                                         "--prefault"};
  if (config.gateway_cpu >= 0) args.insert(args.end(), {"--gateway-cpu", std::to_string(config.gateway_cpu)});
  if (config.engine_cpu >= 0) args.insert(args.end(), {"--engine-cpu", std::to_string(config.engine_cpu)});
  args.insert(args.end(), config.extra_args.begin(), config.extra_args.end());
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const int log_fd = ::open(s->log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    error = "cannot create " + s->log_path_ + ": " + std::strerror(errno);
    return nullptr;
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // A gpuxd must not outlive a bench that crashed or was killed.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log_fd);
  if (pid < 0) {
    error = "fork: " + std::string(std::strerror(errno));
    return nullptr;
  }
  s->pid_ = pid;

  // gpuxd picks the port (--port 0) and logs "listening on 127.0.0.1:PORT (BACKEND)". A
  // replicated one (--nats) trades once it logs "primary: epoch N" (docs/replication.md).
  const bool replicated = std::find(args.begin(), args.end(), "--nats") != args.end();
  const auto deadline = std::chrono::steady_clock::now() + (replicated ? 30s : 10s);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string log = read_all(s->log_path_);
    const std::string key = "listening on 127.0.0.1:";
    if (const auto at = log.find(key); at != std::string::npos && log.find(")\n", at) != std::string::npos &&
                                       (!replicated || log.find("primary: epoch") != std::string::npos)) {
      std::size_t end = 0;
      s->port_ = static_cast<std::uint16_t>(std::stoul(log.substr(at + key.size()), &end));
      const auto open = log.find('(', at), close = log.find(')', at);
      s->backend_ = log.substr(open + 1, close - open - 1);
      return s;
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      s->pid_ = -1;
      error = "gpuxd exited before listening:\n" + log;
      return nullptr;
    }
    std::this_thread::sleep_for(5ms);
  }
  error = std::string(replicated ? "gpuxd did not become the primary within 30 s:\n"
                                  : "gpuxd did not report a listening port within 10 s:\n") +
          s->log_tail();
  return nullptr;
}

bool Server::stop(std::string& error) {
  if (pid_ < 0) return true;
  ::kill(pid_, SIGTERM);
  int status = 0;
  if (!reap(pid_, 5000ms, status)) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    error = "gpuxd did not stop within 5 s of SIGTERM; killed";
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    error = "gpuxd ended with " +
            (WIFEXITED(status) ? "status " + std::to_string(WEXITSTATUS(status))
                               : "signal " + std::to_string(WTERMSIG(status)));
  }
  pid_ = -1;
  return error.empty();
}

std::string Server::log_tail() const {
  const std::string log = read_all(log_path_);
  std::size_t from = log.size(), lines = 0;
  while (from > 0 && lines < 20)
    if (log[--from] == '\n') ++lines;
  return log.substr(from);
}

Server::~Server() {
  std::string ignored;
  stop(ignored);
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

ThreadTimes ThreadTimes::of(pid_t pid, pid_t tid) {
  const std::string task = "/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid);
  ThreadTimes t;
  std::ifstream sched(task + "/schedstat");
  sched >> t.run_ns >> t.wait_ns;
  std::ifstream status(task + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("nonvoluntary_ctxt_switches:", 0) == 0) t.preemptions = std::stoull(line.substr(line.find(':') + 1));
  return t;
}

ServerTimes ServerTimes::of(pid_t pid) {
  ServerTimes s;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    const pid_t tid = static_cast<pid_t>(std::stol(entry.path().filename().string()));
    const ThreadTimes t = ThreadTimes::of(pid, tid);
    ThreadTimes& into = tid == pid ? s.gateway : s.engine;
    into.run_ns += t.run_ns;
    into.wait_ns += t.wait_ns;
    into.preemptions += t.preemptions;
  }
  return s;
}

}  // namespace gpux::bench
