#include "tools/gpux/replay.hpp"

#include <chrono>
#include <cstdio>
#include <span>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "tools/gpux/command_source.hpp"
#include "tools/gpux/log_reader.hpp"
#include "tools/gpux/progress.hpp"
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

  // A run of commands as the source decoded them (a journal's or a log's, up to 64): run as it
  // is. With --quiet the events are not written: what is left is reading the source and the
  // engine.
  void commands(std::span<const Command> cmds) {
    if (options_.quiet) {
      events_.clear();
      replayer_.engine().process(cmds, events_);
    } else {
      replayer_.commands(cmds, out_);
      if (out_.size() >= kChunk) flush();
    }
    commands_ += cmds.size();
  }

  // Writes what is pending, then (when every command was read) the digest line and the books.
  int finish(const SourceStatus& status) {
    flush();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (options_.stats && status.exit == 0)
      std::fprintf(stderr, "gpux replay: %llu commands in %.3f s: %.0f commands/s\n",
                   static_cast<unsigned long long>(commands_), seconds, static_cast<double>(commands_) / seconds);
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
  EventBuffer events_;  // --quiet: the events, dropped after each run
  std::uint64_t commands_ = 0;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace

int run_replay(const ReplayOptions& options) {
  Catalog catalog;
  if (!load_catalog(options.catalog, "replay", catalog)) return 1;
  Run run(std::move(catalog), options);
  Progress progress("replay");
  const CommandsFn f = [&](std::span<const Command> cmds) {
    run.commands(cmds);
    if (!cmds.empty()) progress.add(cmds.size(), cmds.back());
  };
  const SourceStatus status = is_journal_dir(options.input) ? read_journal_runs(options.input, options.until, f)
                                                            : read_log(options.input, options.until, f);
  progress.finish();
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
