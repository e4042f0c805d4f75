#include "tools/gpux/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include "tools/client/utc_time.hpp"

namespace gpux {

Progress::Progress(std::string_view tool)
    : tool_(tool), on_(::isatty(STDERR_FILENO) == 1), started_(std::chrono::steady_clock::now()) {}

void Progress::draw(const Command& last) {
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - drawn_at_ < std::chrono::milliseconds(250)) return;
  drawn_ = true;
  drawn_at_ = now;
  const double s = std::chrono::duration<double>(now - started_).count();
  std::fprintf(stderr, "\r\033[K%s: %.1fM commands, seq %lld, %s, %.2fM/s", tool_.c_str(), count_ / 1e6,
               static_cast<long long>(last.seq), utc_seconds(last.ts).c_str(), s > 0 ? count_ / s / 1e6 : 0.0);
  std::fflush(stderr);
}

void Progress::finish() {
  if (!drawn_) return;
  drawn_ = false;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace gpux
