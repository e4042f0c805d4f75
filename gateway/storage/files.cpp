#include "gateway/storage/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "engine/state_codec.hpp"

namespace gpux::storage {

namespace fs = std::filesystem;
using snapshot::Reader;
using snapshot::Writer;

namespace {

// Of the snapshot header's first 40 bytes and the state: a damaged seq or ts is caught too.
std::uint64_t snapshot_checksum(std::span<const std::uint8_t> header, std::span<const std::uint8_t> state) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  XXH3_64bits_update(st, header.data(), 40);
  XXH3_64bits_update(st, state.data(), state.size());
  const std::uint64_t sum = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return sum;
}

constexpr std::string_view kSegmentMagic = "GPUXJRNL";
constexpr std::string_view kSnapshotMagic = "GPUXSNPF";

std::string numbered(Seq seq, const char* suffix) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%020lld%s", static_cast<long long>(seq), suffix);
  return buf;
}

bool list(const std::string& dir, std::string_view suffix, std::vector<DirEntry>& out, std::string& error) {
  out.clear();
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() != 20 + suffix.size() || !name.ends_with(suffix)) continue;
    if (!std::all_of(name.begin(), name.begin() + 20, [](char c) { return c >= '0' && c <= '9'; })) continue;
    out.push_back({std::stoll(name.substr(0, 20)), it->path().string()});
  }
  if (ec) {
    error = dir + ": " + ec.message();
    return false;
  }
  std::sort(out.begin(), out.end(), [](const DirEntry& a, const DirEntry& b) { return a.seq < b.seq; });
  return true;
}

}  // namespace

std::string errno_text(const std::string& what, int err) { return what + ": " + std::strerror(err); }

std::string segment_name(Seq first_seq) { return numbered(first_seq, ".journal"); }
std::string snapshot_name(Seq seq) { return numbered(seq, ".snapshot"); }

bool list_segments(const std::string& dir, std::vector<DirEntry>& out, std::string& error) {
  return list(dir, ".journal", out, error);
}
bool list_snapshots(const std::string& dir, std::vector<DirEntry>& out, std::string& error) {
  return list(dir, ".snapshot", out, error);
}

std::vector<std::uint8_t> segment_header(Seq first_seq) {
  std::vector<std::uint8_t> out;
  out.reserve(kSegmentHeader);  // also spares GCC 12 a false -Wstringop-overflow on an empty vector
  Writer w(out);
  w.raw(kSegmentMagic);
  w.u32(kFormatVersion);
  w.u32(kSegmentHeader);
  w.i64(first_seq);
  w.u64(XXH3_64bits(out.data(), out.size()));
  return out;
}

bool parse_segment_header(std::span<const std::uint8_t> bytes, Seq& first_seq, std::uint32_t& version,
                          std::string& error) {
  if (bytes.size() < kSegmentHeader) {
    error = "segment header truncated";
    return false;
  }
  Reader r(bytes.first(kSegmentHeader));
  if (r.raw(8) != kSegmentMagic) {
    error = "not a gpux journal segment (bad magic)";
    return false;
  }
  version = r.u32();
  const std::uint32_t header = r.u32();
  first_seq = r.i64();
  const std::uint64_t sum = r.u64();
  if (sum != XXH3_64bits(bytes.data(), 24)) {
    error = "segment header checksum mismatch";
    return false;
  }
  if (version < kOldestSegmentVersion || version > kFormatVersion || header != kSegmentHeader) {
    error = "unsupported journal format version " + std::to_string(version) + " (this gpux reads " +
            std::to_string(kOldestSegmentVersion) + " to " + std::to_string(kFormatVersion) + ")";
    return false;
  }
  return true;
}

bool read_file(const std::string& path, std::vector<std::uint8_t>& out, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = errno_text(path, errno);
    return false;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    error = errno_text(path, errno);
    ::close(fd);
    return false;
  }
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  ::close(fd);
  return true;
}

bool write_all(int fd, std::span<const std::uint8_t> bytes, std::string& error) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno_text("write", errno);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool sync_dir(const std::string& dir, std::string& error) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    error = errno_text(dir, errno);
    if (fd >= 0) ::close(fd);
    return false;
  }
  ::close(fd);
  return true;
}

bool write_snapshot(const std::string& dir, Seq seq, Ts ts, std::span<const std::uint8_t> state, int keep,
                    std::string& error) {
  std::vector<std::uint8_t> header;
  header.reserve(kSnapshotHeader);
  Writer w(header);
  w.raw(kSnapshotMagic);
  w.u32(kSnapshotFileVersion);
  w.u32(kSnapshotHeader);
  w.i64(seq);
  w.i64(ts);
  w.u64(state.size());
  w.u64(snapshot_checksum(header, state));
  const std::string path = (fs::path(dir) / snapshot_name(seq)).string();
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = errno_text(tmp, errno);
    return false;
  }
  bool ok = write_all(fd, header, error) && write_all(fd, state, error);
  if (ok && ::fdatasync(fd) != 0) {
    error = errno_text("fdatasync " + tmp, errno);
    ok = false;
  }
  ::close(fd);
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    error = errno_text("rename " + tmp, errno);
    ok = false;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return false;
  }
  if (!sync_dir(dir, error)) return false;
  std::vector<DirEntry> all;
  if (!list_snapshots(dir, all, error)) return false;
  for (std::size_t i = 0; i + static_cast<std::size_t>(keep) < all.size(); ++i) ::unlink(all[i].path.c_str());
  return true;
}

bool read_snapshot(const std::string& path, Seq& seq, Ts& ts, std::vector<std::uint8_t>& state, std::string& error) {
  std::vector<std::uint8_t> bytes;
  if (!read_file(path, bytes, error)) return false;
  Reader r(bytes);
  const bool magic = r.raw(8) == kSnapshotMagic;
  const std::uint32_t version = r.u32();
  const std::uint32_t header = r.u32();
  seq = r.i64();
  ts = r.i64();
  const std::uint64_t length = r.u64();
  const std::uint64_t sum = r.u64();
  if (!r.ok() || !magic) {
    error = path + ": not a gpux snapshot file";
    return false;
  }
  if (version != kSnapshotFileVersion || header != kSnapshotHeader) {
    error = path + ": unsupported snapshot format version " + std::to_string(version);
    return false;
  }
  if (length != r.left()) {
    error = path + ": snapshot length mismatch (truncated file?)";
    return false;
  }
  const auto body = std::span<const std::uint8_t>(bytes).subspan(kSnapshotHeader);
  if (snapshot_checksum(bytes, body) != sum) {
    error = path + ": snapshot checksum mismatch";
    return false;
  }
  state.assign(body.begin(), body.end());
  return true;
}

}  // namespace gpux::storage
