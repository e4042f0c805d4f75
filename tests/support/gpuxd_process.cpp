#include "tests/support/gpuxd_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace gpux::test {

using namespace std::chrono_literals;

GpuxdProcess::~GpuxdProcess() {
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGCONT);  // a stopped child does not die of SIGKILL before it is continued on every kernel
    ::kill(pid_, SIGKILL);
    int status;
    ::waitpid(pid_, &status, 0);
  }
  if (reader_.joinable()) reader_.join();
}

bool GpuxdProcess::start(const Options& o, std::string& error) {
  std::vector<std::string> args = {o.binary, "--host", "127.0.0.1", "--port", std::to_string(o.port), "--io", o.io,
                                   "--max-orders", std::to_string(o.max_orders), "--rate", "1000000", "--burst",
                                   "1000000", "--snapshot-every", std::to_string(o.snapshot_every), "--segment-mb",
                                   std::to_string(o.segment_mb)};
  if (!o.journal.empty()) args.insert(args.end(), {"--journal", o.journal});
  if (o.async) args.push_back("--async-journal");
  if (!o.risk) args.insert(args.end(), {"--risk", "off"});
  args.insert(args.end(), o.extra.begin(), o.extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) {
    error = std::string("pipe2: ") + std::strerror(errno);
    return false;
  }
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    error = std::string("fork: ") + std::strerror(errno);
    ::close(p[0]);
    ::close(p[1]);
    return false;
  }
  if (pid_ == 0) {  // only async-signal-safe calls from here to exec
    ::dup2(p[1], 1);
    ::dup2(p[1], 2);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a test that aborted
    if (::getppid() != parent) ::_exit(126);
    if (o.fsize) {
      const rlimit r{o.fsize, o.fsize};
      ::setrlimit(RLIMIT_FSIZE, &r);
      ::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(p[1]);
  const int fd = p[0];
  reader_ = std::thread([this, fd] {
    std::string partial;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      partial.append(buf, static_cast<std::size_t>(n));
      std::size_t nl;
      const auto now = SteadyClock::now();
      std::lock_guard lock(mutex_);
      while ((nl = partial.find('\n')) != std::string::npos) {
        lines_.push_back({now, partial.substr(0, nl)});
        partial.erase(0, nl + 1);
      }
      cv_.notify_all();
    }
    ::close(fd);
    std::lock_guard lock(mutex_);
    if (!partial.empty()) lines_.push_back({SteadyClock::now(), partial});
    eof_ = true;
    cv_.notify_all();
  });
  std::unique_lock lock(mutex_);
  const bool listening =
      cv_.wait_for(lock, o.start_timeout, [&] { return eof_ || find_locked("listening on ") != nullptr; });
  const Line* line = find_locked("listening on ");
  if (!listening || line == nullptr) {
    error = std::string(eof_ ? "gpuxd exited before listening" : "gpuxd did not listen in time") + "; log:\n" +
            log_locked();
    return false;
  }
  const std::size_t colon = line->text.rfind(':');
  port_ = static_cast<std::uint16_t>(std::atoi(line->text.c_str() + colon + 1));
  if (const Line* r = find_locked("recovered to seq "))
    recovered_ = std::atoll(r->text.c_str() + r->text.find("recovered to seq ") + 17);
  if (port_ == 0) error = "no port in: " + line->text;
  return port_ != 0;
}

void GpuxdProcess::signal(int sig) {
  if (pid_ > 0 && !reaped_) ::kill(pid_, sig);
}

bool GpuxdProcess::alive() {
  if (pid_ <= 0 || reaped_) return false;
  const pid_t r = ::waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  return !reaped_;
}

std::optional<int> GpuxdProcess::wait(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (alive()) {
    if (SteadyClock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(5ms);
  }
  if (pid_ <= 0) return std::nullopt;
  if (reader_.joinable()) reader_.join();
  return status_;
}

std::string GpuxdProcess::log() {
  std::lock_guard lock(mutex_);
  return log_locked();
}

bool GpuxdProcess::logged(std::string_view text) {
  std::lock_guard lock(mutex_);
  return find_locked(text) != nullptr;
}

std::optional<GpuxdProcess::Line> GpuxdProcess::wait_for(std::string_view text, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return eof_ || find_locked(text) != nullptr; });
  if (const Line* l = find_locked(text)) return *l;
  return std::nullopt;
}

std::vector<GpuxdProcess::Line> GpuxdProcess::lines() {
  std::lock_guard lock(mutex_);
  return lines_;
}

const GpuxdProcess::Line* GpuxdProcess::find_locked(std::string_view text) const {
  for (const auto& l : lines_)
    if (l.text.find(text) != std::string::npos) return &l;
  return nullptr;
}

std::string GpuxdProcess::log_locked() const {
  std::string s;
  for (const auto& l : lines_) s += "  " + l.text + "\n";
  return s;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal ") + strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace gpux::test
