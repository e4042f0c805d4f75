#include "tools/gpux/replay.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "tools/log/book_writer.hpp"
#include "tools/log/catalog_file.hpp"
#include "tools/log/replayer.hpp"

namespace gpux {

namespace {

constexpr std::size_t kChunk = 1 << 20;

// Feeds lines to the replayer and writes (or hashes) its output in large blocks.
class Run {
 public:
  Run(Catalog catalog, const ReplayOptions& options, std::string_view name)
      : replayer_(std::move(catalog)), options_(options), name_(name) {
    XXH3_64bits_reset(&digest_);
    out_.reserve(2 * kChunk);
  }

  // False on an input error, already reported.
  bool line(std::string_view text) {
    ++line_no_;
    if (!replayer_.line(text, out_)) {
      flush();
      std::fprintf(stderr, "gpux replay: %.*s:%llu: %s\n", static_cast<int>(name_.size()), name_.data(),
                   static_cast<unsigned long long>(line_no_), replayer_.error().c_str());
      return false;
    }
    if (out_.size() >= kChunk) flush();
    return true;
  }

  void finish() {
    flush();
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
    std::fflush(stdout);
  }

 private:
  void flush() {
    if (options_.digest) XXH3_64bits_update(&digest_, out_.data(), out_.size());
    else std::fwrite(out_.data(), 1, out_.size(), stdout);
    out_.clear();
  }

  Replayer replayer_;
  const ReplayOptions& options_;
  std::string_view name_;
  std::string out_;
  std::uint64_t line_no_ = 0;
  XXH3_state_t digest_;
};

bool load_catalog(const ReplayOptions& options, Catalog& catalog) {
  if (options.catalog.empty()) {
    catalog = Catalog::builtin();
    return true;
  }
  std::ifstream in(options.catalog, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "gpux replay: cannot read catalog %s: %s\n", options.catalog.c_str(), std::strerror(errno));
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string error;
  if (!parse_catalog(text.str(), catalog, error)) {
    std::fprintf(stderr, "gpux replay: catalog %s: %s\n", options.catalog.c_str(), error.c_str());
    return false;
  }
  return true;
}

}  // namespace

int run_replay(const ReplayOptions& options) {
  Catalog catalog;
  if (!load_catalog(options, catalog)) return 1;
  const bool from_stdin = options.input == "-";
  std::FILE* f = from_stdin ? stdin : std::fopen(options.input.c_str(), "rb");
  if (f == nullptr) {
    std::fprintf(stderr, "gpux replay: cannot read %s: %s\n", options.input.c_str(), std::strerror(errno));
    return 1;
  }
  const std::string_view name = from_stdin ? std::string_view("<stdin>") : std::string_view(options.input);
  Run run(std::move(catalog), options, name);
  // Read in large blocks; a line may straddle two blocks, so keep the unfinished tail.
  std::string buf(kChunk, '\0');
  std::size_t have = 0;
  int status = 0;
  for (;;) {
    if (have == buf.size()) buf.resize(buf.size() * 2);  // a line longer than the block
    const std::size_t got = std::fread(buf.data() + have, 1, buf.size() - have, f);
    const bool eof = got == 0;
    if (eof && std::ferror(f)) {
      std::fprintf(stderr, "gpux replay: read error on %s\n", options.input.c_str());
      status = 1;
      break;
    }
    have += got;
    std::size_t start = 0;
    for (;;) {
      const void* nl = std::memchr(buf.data() + start, '\n', have - start);
      if (nl == nullptr) break;
      const auto end = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data());
      if (!run.line(std::string_view(buf.data() + start, end - start))) {
        status = 2;
        break;
      }
      start = end + 1;
    }
    if (status) break;
    std::memmove(buf.data(), buf.data() + start, have - start);
    have -= start;
    if (eof) {
      if (have > 0 && !run.line(std::string_view(buf.data(), have))) status = 2;
      break;
    }
  }
  if (!from_stdin) std::fclose(f);
  if (status == 0) run.finish();
  else std::fflush(stdout);
  return status;
}

int run_replay_text(std::string_view log, std::string_view name, const ReplayOptions& options) {
  Catalog catalog;
  if (!load_catalog(options, catalog)) return 1;
  Run run(std::move(catalog), options, name);
  while (!log.empty()) {
    const std::size_t nl = log.find('\n');
    const std::string_view line = log.substr(0, nl);
    if (!run.line(line)) return 2;
    log.remove_prefix(nl == std::string_view::npos ? log.size() : nl + 1);
  }
  run.finish();
  return 0;
}

}  // namespace gpux
