// An output file for the exports, or stdout: buffered writes, and every write error reported
// once, at close, so a full disk is never a silent short file.
#pragma once

#include <cstdio>
#include <string>

namespace gpux {

class OutFile {
 public:
  OutFile() = default;
  ~OutFile();
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;

  // An empty path (or "-") is stdout. False, with `error`, when the file cannot be created.
  bool open(const std::string& path, std::string& error);
  // Writes and empties `text` once it has grown large enough to be worth a system call.
  void drain(std::string& text, bool all = false);
  // Writes what is left; false, with `error`, when any write failed.
  bool close(std::string& text, std::string& error);

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  bool owned_ = false;
};

}  // namespace gpux
