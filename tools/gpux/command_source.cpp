#include "tools/gpux/command_source.hpp"

#include <cstdio>
#include <filesystem>

#include "gateway/storage/reader.hpp"
#include "tools/gpux/log_reader.hpp"
#include "tools/gpux/read_ahead.hpp"

namespace gpux {

namespace {

// What a scan of a journal says about it as a source: it must start at seq 1.
SourceStatus journal_status(const std::string& dir, bool ok, const storage::ScanResult& result, std::string error) {
  if (!ok) return {1, std::move(error), {}};
  if (result.records > 0 && result.first_seq != 1)
    return {1, dir + ": the journal starts at seq " + std::to_string(result.first_seq) +
                   ": the commands before it are missing, so it cannot be replayed from the start", {}};
  return {0, {}, result.torn ? result.torn_at : std::string{}};
}

SourceStatus read_journal(const std::string& dir, Seq until, const CommandFn& f) {
  storage::ScanOptions options;
  options.until = until;
  storage::ScanResult result;
  std::string error;
  const bool ok = storage::scan(dir, options, [&](const storage::Record& r) { f(r.command); }, result, error);
  return journal_status(dir, ok, result, std::move(error));
}

}  // namespace

bool is_journal_dir(const std::string& source) {
  std::error_code ec;
  return source != "-" && std::filesystem::is_directory(source, ec);
}

SourceStatus read_commands(const std::string& source, Seq until, const CommandFn& f) {
  if (is_journal_dir(source)) return read_journal(source, until, f);
  return read_log(source, until, [&](std::span<const Command> run) {
    for (const Command& c : run) f(c);
  });
}

// Reading and checking a record overlaps the engine's work on the ones before. It buys less than
// the reading's share of a one-thread replay: the 424-byte commands cross between cores (1.10x
// in `gpux-bench journal`, bench/README.md "Replay, read ahead").
SourceStatus read_journal_runs(const std::string& dir, Seq until, const CommandsFn& f) {
  return read_ahead(
      [&](std::span<Command> first, const HandOn& hand_on) {
        storage::ScanOptions options;
        options.until = until;
        storage::ScanResult result;
        std::string error;
        const bool ok = storage::scan_into(dir, options, first, hand_on, result, error);
        return journal_status(dir, ok, result, std::move(error));
      },
      f);
}

int report(std::string_view tool, const SourceStatus& status) {
  const int width = static_cast<int>(tool.size());
  if (status.exit != 0)
    std::fprintf(stderr, "gpux %.*s: %s\n", width, tool.data(), status.error.c_str());
  else if (!status.torn_at.empty())
    std::fprintf(stderr, "gpux %.*s: note: the journal ends in a torn record, not read (%s)\n", width, tool.data(),
                 status.torn_at.c_str());
  return status.exit;
}

}  // namespace gpux
