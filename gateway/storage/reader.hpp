// Reads a journal directory front to back, checking every record's checksum and that seqs
// run on without a gap. A torn last record (a crash in the middle of a write) is the one
// damage that is expected; anything else stops the read with the segment and offset named.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "gateway/storage/record.hpp"

namespace gpux::storage {

struct ScanOptions {
  Seq after = 0;        // deliver records with seq > after (earlier segments are skipped)
  Seq until = INT64_MAX;  // and seq <= until
  bool repair = false;  // truncate a torn tail (gpuxd at start-up); otherwise only report it
};

struct ScanResult {
  Seq first_seq = 0;  // of the journal (0 when it holds no record)
  Seq last_seq = 0;
  Ts last_ts = 0;
  std::uint64_t records = 0;     // records read and checked (delivered or not)
  std::uint64_t bytes = 0;
  std::size_t segments = 0;
  bool torn = false;             // the last segment ended in a torn record
  std::string torn_at;           // "<segment> at offset N: <what>"
};

using RecordFn = std::function<void(const Record&)>;

// False, with `error` naming the segment and offset, on a damaged record before the tail, a
// seq gap, or a file that cannot be read. The records before the problem have been delivered.
bool scan(const std::string& dir, const ScanOptions& options, const RecordFn& f, ScanResult& result,
          std::string& error);

// The same, handing `f` the commands in runs of up to kScanBatch, decoded in place into one
// reused array (no Command copied per record): for replay and recovery, which pass each run
// to Engine::process(span) as it is.
constexpr std::size_t kScanBatch = 64;
using BatchFn = std::function<void(std::span<const Command>)>;
bool scan_batches(const std::string& dir, const ScanOptions& options, const BatchFn& f, ScanResult& result,
                  std::string& error);

// The same, decoding into buffers the caller lends, for a reader on a thread of its own
// (gpux replay): records are decoded into `buffer` until it is full or the scan ends, then
// `hand_on(n)` passes its first n commands on and returns the buffer to fill next. An empty
// one stops the scan there (true: the caller stopped, the journal is not at fault).
using HandOn = std::function<std::span<Command>(std::size_t n)>;
bool scan_into(const std::string& dir, const ScanOptions& options, std::span<Command> buffer, const HandOn& hand_on,
               ScanResult& result, std::string& error);

}  // namespace gpux::storage
