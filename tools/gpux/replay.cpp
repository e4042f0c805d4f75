#include "tools/gpux/replay.hpp"

#include <cstdio>
#include <span>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "tools/gpux/command_source.hpp"
#include "tools/gpux/log_reader.hpp"
#include "tools/gpux/load_catalog.hpp"
#include "tools/orderlog/book_writer.hpp"
#include "tools/orderlog/replayer.hpp"

namespace gpux {

namespace {

constexpr std::size_t kChunk = 1 << 20;

// Runs commands and writes (or hashes) their events in large blocks.
class Run {
 public:
  Run(Catalog catalog, const ReplayOptions& options) : replayer_(std::move(catalog)), options_(options) {
    XXH3_64bits_reset(&digest_);
    out_.reserve(2 * kChunk);
  }

  // A run of commands as the source decoded them (up to 64: enough for the engine's
  // prefetching to pay), in one engine call.
  void commands(std::span<const Command> cmds) {
    replayer_.commands(cmds, out_);
    if (out_.size() >= kChunk) flush();
  }

  // Writes what is pending, then (when every command was read) the digest line and the books.
  int finish(const SourceStatus& status) {
    flush();
    if (status.exit == 0) {
      std::string tail;
      if (options_.digest) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "{\"digest\":\"xxh3-64:%016llx\",\"commands\":%llu,\"events\":%llu}\n",
                      static_cast<unsigned long long>(XXH3_64bits_digest(&digest_)),
                      static_cast<unsigned long long>(replayer_.commands()),
                      static_cast<unsigned long long>(replayer_.events()));
        tail += buf;
      }
      if (options_.book || options_.orders) write_books(replayer_.engine(), options_.orders, tail);
      std::fwrite(tail.data(), 1, tail.size(), stdout);
    }
    std::fflush(stdout);
    return report("replay", status);
  }

 private:
  void flush() {
    if (options_.digest) XXH3_64bits_update(&digest_, out_.data(), out_.size());
    else std::fwrite(out_.data(), 1, out_.size(), stdout);
    out_.clear();
  }

  Replayer replayer_;
  const ReplayOptions& options_;
  std::string out_;
  XXH3_state_t digest_;
};

}  // namespace

int run_replay(const ReplayOptions& options) {
  Catalog catalog;
  if (!load_catalog(options.catalog, "replay", catalog)) return 1;
  Run run(std::move(catalog), options);
  const SourceStatus status = read_command_batches(options.input, options.until,
                                                   [&](std::span<const Command> cmds) { run.commands(cmds); });
  return run.finish(status);
}

int run_replay_text(std::string_view log, std::string_view name, const ReplayOptions& options) {
  Catalog catalog;
  if (!load_catalog(options.catalog, "replay", catalog)) return 1;
  Run run(std::move(catalog), options);
  const SourceStatus status = read_log_text(log, name, options.until, [&](std::span<const Command> cmds) { run.commands(cmds); });
  return run.finish(status);
}

}  // namespace gpux
