// A progress line on stderr for long operator work (`gpux replay` of a large log, `gpux journal
// verify`, the exports): how many commands so far, the seq and time reached, and the rate,
// redrawn in place at most four times a second. Only when stderr is a terminal: in a pipe or a
// log file it writes nothing, so scripts and tests see the same output as before.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/command.hpp"

namespace gpux {

class Progress {
 public:
  explicit Progress(std::string_view tool);
  ~Progress() { finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `n` more commands, the last of them `last`. The clock is read once per 64k commands, so a
  // replay at millions of commands a second pays nothing for it.
  void add(std::size_t n, const Command& last) {
    if (!on_) return;
    count_ += n;
    if (count_ < next_look_) return;
    next_look_ = count_ + 65536;
    draw(last);
  }
  // Clears the line (once), so what the tool prints next starts on a clean line.
  void finish();

 private:
  void draw(const Command& last);

  std::string tool_;
  bool on_;
  bool drawn_ = false;
  std::uint64_t count_ = 0;
  std::uint64_t next_look_ = 65536;
  std::chrono::steady_clock::time_point started_, drawn_at_;
};

}  // namespace gpux
