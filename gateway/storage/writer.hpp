// Appends records to the journal directory's newest segment, starting a new segment when one
// grows past its size. Each open starts a fresh segment, so a segment is only ever appended to
// by the process that created it.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "engine/types.hpp"

namespace gpux::storage {

class SegmentWriter {
 public:
  SegmentWriter() = default;
  ~SegmentWriter();
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  // Creates `dir` if needed; the first record appended must be `next_seq`.
  bool open(const std::string& dir, Seq next_seq, std::uint64_t segment_bytes, std::string& error);
  // `records` hold whole records, the first of them `first_seq`.
  bool append(std::span<const std::uint8_t> records, Seq first_seq, std::string& error);
  bool sync(std::string& error);  // fdatasync: what was appended is on disk
  void close();

 private:
  bool start_segment(Seq first_seq, std::string& error);

  std::string dir_;
  std::uint64_t segment_bytes_ = 0;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace gpux::storage
