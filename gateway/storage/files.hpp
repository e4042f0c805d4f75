// The journal directory's files (docs/journal.md): segments of records named by their first
// seq, and snapshot files named by the seq they are as of. Both start with a fixed header.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/types.hpp"

namespace gpux::storage {

// Segments are written in version 4 (per-session disconnects and the session_start flag; 3
// added the ledger's commands, 2 `divisible`) and read in 1 to 4;
// snapshot files keep version 1 (the engine state inside has its own version, docs/snapshot.md).
constexpr std::uint32_t kFormatVersion = 4;  // = storage::kRecordVersion (4: per-session disconnects)
constexpr std::uint32_t kOldestSegmentVersion = 1;
constexpr std::uint32_t kSnapshotFileVersion = 1;
constexpr std::size_t kSegmentHeader = 32;   // magic, version, header size, first seq, checksum
constexpr std::size_t kSnapshotHeader = 48;  // magic, version, header size, seq, ts, length, checksum

std::string segment_name(Seq first_seq);   // "00000000000000000001.journal"
std::string snapshot_name(Seq seq);        // "00000000000000000001.snapshot"

struct DirEntry {
  Seq seq;
  std::string path;
};
// The segments and the snapshots of `dir`, each ascending by seq. False (with `error`) when
// the directory cannot be read.
bool list_segments(const std::string& dir, std::vector<DirEntry>& out, std::string& error);
bool list_snapshots(const std::string& dir, std::vector<DirEntry>& out, std::string& error);

std::vector<std::uint8_t> segment_header(Seq first_seq);
// False, with `error`, when `bytes` do not start with a valid segment header of a version this
// build reads; `version` gets the segment's format version.
bool parse_segment_header(std::span<const std::uint8_t> bytes, Seq& first_seq, std::uint32_t& version,
                          std::string& error);

// Writes `state` (Engine::save_state bytes) as DIR/<seq>.snapshot: to a temporary file, synced,
// then renamed, so a snapshot file is either whole or absent. Keeps the newest `keep`.
bool write_snapshot(const std::string& dir, Seq seq, Ts ts, std::span<const std::uint8_t> state, int keep,
                    std::string& error);
// Reads and checks one snapshot file; `state` gets the engine bytes.
bool read_snapshot(const std::string& path, Seq& seq, Ts& ts, std::vector<std::uint8_t>& state, std::string& error);

// Whole-file helpers that retry short reads and writes and report errno as text.
bool read_file(const std::string& path, std::vector<std::uint8_t>& out, std::string& error);
bool write_all(int fd, std::span<const std::uint8_t> bytes, std::string& error);
bool sync_dir(const std::string& dir, std::string& error);
std::string errno_text(const std::string& what, int err);

}  // namespace gpux::storage
