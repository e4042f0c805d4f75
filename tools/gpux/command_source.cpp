#include "tools/gpux/command_source.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "gateway/storage/reader.hpp"
#include "tools/orderlog/command_parser.hpp"

namespace gpux {

namespace {

constexpr std::size_t kChunk = 1 << 20;

// Decodes a log line by line; LINE in error messages counts every line, blank ones included.
class LogLines {
 public:
  LogLines(std::string_view name, Seq until, const CommandFn& f) : name_(name), until_(until), f_(f) {}

  // False to stop reading: an input error (in status), or a command past `until`.
  bool line(std::string_view text) {
    ++line_no_;
    switch (parser_.parse(text, command_)) {
      case ParseResult::blank: return true;
      case ParseResult::error:
        status.exit = 2;
        status.error = name_ + ":" + std::to_string(line_no_) + ": " + parser_.error();
        return false;
      case ParseResult::command: break;
    }
    if (command_.seq > until_) return false;
    f_(command_);
    return true;
  }

  SourceStatus status;

 private:
  std::string name_;
  Seq until_;
  const CommandFn& f_;
  CommandParser parser_;
  Command command_;
  std::uint64_t line_no_ = 0;
};

SourceStatus read_log(const std::string& path, Seq until, const CommandFn& f) {
  const bool from_stdin = path == "-";
  std::FILE* file = from_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (file == nullptr) return {1, "cannot read " + path + ": " + std::strerror(errno), {}};
  LogLines lines(from_stdin ? "<stdin>" : path, until, f);
  // Read in large blocks; a line may straddle two blocks, so keep the unfinished tail.
  std::string buf(kChunk, '\0');
  std::size_t have = 0;
  bool more = true;
  while (more) {
    if (have == buf.size()) buf.resize(buf.size() * 2);  // a line longer than the block
    const std::size_t got = std::fread(buf.data() + have, 1, buf.size() - have, file);
    if (got == 0 && std::ferror(file)) {
      lines.status = {1, "read error on " + path, {}};
      break;
    }
    have += got;
    std::size_t start = 0;
    while (more) {
      const void* nl = std::memchr(buf.data() + start, '\n', have - start);
      if (nl == nullptr) break;
      const auto end = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data());
      more = lines.line(std::string_view(buf.data() + start, end - start));
      start = end + 1;
    }
    std::memmove(buf.data(), buf.data() + start, have - start);
    have -= start;
    if (got == 0) {
      if (more && have > 0) lines.line(std::string_view(buf.data(), have));
      break;
    }
  }
  if (!from_stdin) std::fclose(file);
  return lines.status;
}

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
  return is_journal_dir(source) ? read_journal(source, until, f) : read_log(source, until, f);
}

SourceStatus read_journal_runs(const std::string& dir, Seq until, const CommandsFn& f) {
  storage::ScanOptions options;
  options.until = until;
  storage::ScanResult result;
  std::string error;
  const bool ok = storage::scan_batches(dir, options, f, result, error);
  return journal_status(dir, ok, result, std::move(error));
}

SourceStatus read_log_text(std::string_view text, std::string_view name, Seq until, const CommandFn& f) {
  LogLines lines(name, until, f);
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    if (!lines.line(text.substr(0, nl))) break;
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return lines.status;
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
