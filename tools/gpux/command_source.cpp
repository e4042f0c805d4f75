#include "tools/gpux/command_source.hpp"

#include <cstdio>
#include <filesystem>
#include <vector>

#include "gateway/storage/reader.hpp"
#include "tools/gpux/log_reader.hpp"

namespace gpux {

namespace {

SourceStatus read_journal(const std::string& dir, Seq until, const BatchFn& f) {
  storage::ScanOptions options;
  options.until = until;
  storage::ScanResult result;
  SourceStatus status;
  std::vector<Command> batch;
  batch.reserve(kBatch);
  const bool ok = storage::scan(dir, options, [&](const storage::Record& r) {
    batch.push_back(r.command);
    if (batch.size() == kBatch) {
      f(batch);
      batch.clear();
    }
  }, result, status.error);
  if (!batch.empty()) f(batch);
  if (!ok)
    status.exit = 1;
  else if (result.records > 0 && result.first_seq != 1)
    status = {1, dir + ": the journal starts at seq " + std::to_string(result.first_seq) +
                     ": the commands before it are missing, so it cannot be replayed from the start", {}};
  else if (result.torn)
    status.torn_at = result.torn_at;
  return status;
}

}  // namespace

bool is_journal_dir(const std::string& source) {
  std::error_code ec;
  return source != "-" && std::filesystem::is_directory(source, ec);
}

SourceStatus read_command_batches(const std::string& source, Seq until, const BatchFn& f) {
  return is_journal_dir(source) ? read_journal(source, until, f) : read_log(source, until, f);
}

SourceStatus read_commands(const std::string& source, Seq until, const CommandFn& f) {
  return read_command_batches(source, until, [&](std::span<const Command> run) {
    for (const Command& c : run) f(c);
  });
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
