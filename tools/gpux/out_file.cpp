#include "tools/gpux/out_file.hpp"

#include <cerrno>
#include <cstring>

namespace gpux {

namespace {
constexpr std::size_t kChunk = 1 << 20;
}

OutFile::~OutFile() {
  if (owned_) std::fclose(file_);
}

bool OutFile::open(const std::string& path, std::string& error) {
  if (path.empty() || path == "-") {
    file_ = stdout;
    path_ = "<stdout>";
    return true;
  }
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) {
    error = "cannot create " + path + ": " + std::strerror(errno);
    return false;
  }
  path_ = path;
  owned_ = true;
  return true;
}

void OutFile::drain(std::string& text, bool all) {
  if (!all && text.size() < kChunk) return;
  std::fwrite(text.data(), 1, text.size(), file_);
  text.clear();
}

bool OutFile::close(std::string& text, std::string& error) {
  drain(text, true);
  bool ok = std::fflush(file_) == 0 && !std::ferror(file_);
  if (owned_) {
    ok = std::fclose(file_) == 0 && ok;
    owned_ = false;
  }
  if (!ok) error = "cannot write " + path_ + ": " + std::strerror(errno);
  return ok;
}

}  // namespace gpux
