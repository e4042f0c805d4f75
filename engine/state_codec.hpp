// The byte encoding of engine snapshots (docs/snapshot.md): little-endian integers and short
// length-prefixed strings. Integers are written and read byte by byte with shifts, never by
// copying host integers, so the bytes are the same on every platform.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace gpux::snapshot {

// Appends to a byte vector.
class Writer {
 public:
  explicit Writer(std::vector<std::uint8_t>& out) : out_(out) {}

  std::size_t size() const { return out_.size(); }
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u32(std::uint32_t v) { put(v, 4); }
  void u64(std::uint64_t v) { put(v, 8); }
  void i64(std::int64_t v) { put(static_cast<std::uint64_t>(v), 8); }
  void raw(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  // A u8 length, then the bytes. Every string the engine holds is far shorter than 256 bytes.
  void str(std::string_view s) {
    u8(static_cast<std::uint8_t>(s.size()));
    raw(s);
  }

  // For a count or size known only once what it counts has been written.
  void patch_u32(std::size_t at, std::uint32_t v) { patch(at, v, 4); }
  void patch_u64(std::size_t at, std::uint64_t v) { patch(at, v, 8); }

 private:
  void put(std::uint64_t v, std::size_t n) {
    std::uint8_t b[8];
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(v >> (8 * i));
    out_.insert(out_.end(), b, b + n);
  }
  void patch(std::size_t at, std::uint64_t v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out_[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
  }

  std::vector<std::uint8_t>& out_;
};

// Reads a byte span without ever going past its end. Running short is sticky: from then on
// ok() is false and every read gives 0 or an empty string, so a caller may read a whole record
// and check once.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  bool ok() const { return ok_; }
  std::size_t offset() const { return pos_; }
  std::size_t left() const { return bytes_.size() - pos_; }

  std::uint8_t u8() { return static_cast<std::uint8_t>(get(1)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
  std::uint64_t u64() { return get(8); }
  std::int64_t i64() { return static_cast<std::int64_t>(get(8)); }
  std::string_view raw(std::size_t n) {
    if (!take(n)) return {};
    return {reinterpret_cast<const char*>(bytes_.data() + pos_ - n), n};
  }
  std::string_view str() { return raw(u8()); }

  // A u32 count of items that take at least `min_bytes` each: a count the remaining bytes
  // cannot hold fails like running short, so no loop or reservation trusts a corrupt count.
  std::uint32_t count(std::size_t min_bytes) {
    const std::uint32_t n = u32();
    if (ok_ && n > left() / min_bytes) ok_ = false;
    return ok_ ? n : 0;
  }

 private:
  bool take(std::size_t n) {
    if (!ok_ || n > left()) ok_ = false;
    if (!ok_) return false;
    pos_ += n;
    return true;
  }
  std::uint64_t get(std::size_t n) {
    if (!take(n)) return 0;
    const std::uint8_t* p = bytes_.data() + pos_ - n;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= std::uint64_t{p[i]} << (8 * i);
    return v;
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace gpux::snapshot
