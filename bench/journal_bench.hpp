// `gpux-bench journal`: what the journal costs. The engine pipeline with its journal thread, fed
// as fast as it takes commands, in durable mode (acks wait for the group fdatasync) and in
// asynchronous mode; then the replay speed of the binary journal it wrote.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace gpux::bench {

struct JournalBenchOptions {
  std::size_t n = 1'000'000;  // commands per mode
  std::string dir;            // where the journals go (default: TMPDIR or /tmp); its file system matters
  bool json = false;
  bool keep = false;          // keep the durable journal (for `gpux replay DIR`); its path is printed
};

int run_journal_bench(const JournalBenchOptions& options);

}  // namespace gpux::bench
