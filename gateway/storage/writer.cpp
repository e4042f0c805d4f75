#include "gateway/storage/writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "gateway/storage/files.hpp"

namespace gpux::storage {

SegmentWriter::~SegmentWriter() { close(); }

bool SegmentWriter::open(const std::string& dir, Seq next_seq, std::uint64_t segment_bytes, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    error = dir + ": " + ec.message();
    return false;
  }
  dir_ = dir;
  segment_bytes_ = segment_bytes;
  return start_segment(next_seq, error);
}

bool SegmentWriter::start_segment(Seq first_seq, std::string& error) {
  if (fd_ >= 0) {
    // The old segment is whole on disk before the new one exists: a reader never finds a
    // newer segment after a torn older one.
    if (!sync(error)) return false;
    close();
  }
  const std::string path = (std::filesystem::path(dir_) / segment_name(first_seq)).string();
  // O_EXCL: a segment of this name holding records would mean two writers or a recovery that
  // missed records. One holding no record (a crash right after it was created, or a torn first
  // record cut off by recovery) is simply started again.
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  struct stat st;
  if (fd_ < 0 && errno == EEXIST && ::stat(path.c_str(), &st) == 0 &&
      static_cast<std::uint64_t>(st.st_size) <= kSegmentHeader)
    fd_ = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd_ < 0) {
    error = errno_text(path, errno);
    return false;
  }
  const auto header = segment_header(first_seq);
  if (!write_all(fd_, header, error) || !sync(error) || !sync_dir(dir_, error)) return false;
  size_ = header.size();
  return true;
}

bool SegmentWriter::append(std::span<const std::uint8_t> records, Seq first_seq, std::string& error) {
  if (fd_ < 0) {
    error = "journal not open";
    return false;
  }
  if (size_ >= segment_bytes_ && !start_segment(first_seq, error)) return false;
  if (!write_all(fd_, records, error)) return false;
  size_ += records.size();
  return true;
}

bool SegmentWriter::sync(std::string& error) {
  if (::fdatasync(fd_) != 0) {
    error = errno_text("fdatasync", errno);
    return false;
  }
  return true;
}

void SegmentWriter::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace gpux::storage
