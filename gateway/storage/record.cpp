#include "gateway/storage/record.hpp"

#include <bit>
#include <cstring>
#include <type_traits>

// Inlined: each record's XXH3 (a payload of ~130 bytes in the bench's flow, ~10 ns) runs without a
// call into libxxhash.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "engine/state_codec.hpp"

namespace gpux::storage {

namespace {

using snapshot::Writer;

// Presence flags, one bit each, in the payload's u16.
enum Flag : std::uint16_t {
  post_only = 1 << 0,
  has_tif = 1 << 1,
  has_expire_ts = 1 << 2,
  has_min_qty = 1 << 3,
  has_display_qty = 1 << 4,
  has_cl_id = 1 << 5,
  has_order_id = 1 << 6,
  has_new_cl_id = 1 << 7,
  has_instrument = 1 << 8,
  has_product = 1 << 9,
  price_present = 1 << 10,
  price_valid = 1 << 11,
  divisible = 1 << 12,  // format version 2 on
  risk_on = 1 << 13,      // format version 3 on (the ledger's commands, SPEC §7)
  amount_valid = 1 << 14,
  session_start = 1 << 15,  // format version 4 on (per-session cancel-on-disconnect)
};
// The flags each format version may set: a version 1 segment predates divisible orders, so a
// record there claiming one is damage, not a command.
constexpr std::uint16_t kFlagsV1 = (1 << 12) - 1;
constexpr std::uint16_t kFlagsV2 = (1 << 13) - 1;
constexpr std::uint16_t kFlagsV3 = (1 << 15) - 1;
constexpr std::uint16_t kFlagsV4 = 0xFFFF;

// The last command type each format version can hold: version 3 added risk, deposit, withdraw
// and fund.
constexpr CommandType last_type(std::uint32_t version) {
  return version >= 3 ? CommandType::fund : CommandType::disconnect;
}
std::uint16_t flags_of(std::uint32_t version) {
  return version >= 4 ? kFlagsV4 : version >= 3 ? kFlagsV3 : version >= 2 ? kFlagsV2 : kFlagsV1;
}

std::uint64_t checksum(std::span<const std::uint8_t> payload) { return XXH3_64bits(payload.data(), payload.size()); }

// Little-endian loads at fixed offsets: a record's bounds are checked once, up front, rather
// than per field as snapshot::Reader does. (A byte loop, even on a little-endian machine,
// stays eight loads, shifts and ors per field with GCC 12.)
template <class T>
T load(const std::uint8_t* p) {
  using U = std::make_unsigned_t<T>;
  U v = 0;
  if constexpr (std::endian::native == std::endian::little)
    std::memcpy(&v, p, sizeof v);
  else
    for (std::size_t i = 0; i < sizeof v; ++i) v = static_cast<U>(v | U{p[i]} << (8 * i));
  return static_cast<T>(v);
}

// The payload's fixed part: seq, ts, session, five enum bytes, flags, six i64 fields.
constexpr std::size_t kFixedPayload = 8 + 8 + 4 + 5 + 2 + 6 * 8;

// Copies exactly n <= 64 bytes with a pair of overlapping fixed-size moves. FixedString::assign's
// memcpy of a length GCC knows is at most 64 compiles to `rep movsq`, ~30 cycles to start: with
// six strings a record, about half of read_record's samples in the replay profile.
void copy_short(char* dst, const std::uint8_t* src, std::size_t n) {
  const auto two = [&]<std::size_t K>(std::integral_constant<std::size_t, K>) {
    std::memcpy(dst, src, K);
    std::memcpy(dst + n - K, src + n - K, K);
  };
  if (n >= 32) two(std::integral_constant<std::size_t, 32>{});
  else if (n >= 16) two(std::integral_constant<std::size_t, 16>{});
  else if (n >= 8) two(std::integral_constant<std::size_t, 8>{});
  else if (n >= 4) two(std::integral_constant<std::size_t, 4>{});
  else if (n > 0) {
    dst[0] = static_cast<char>(src[0]);
    dst[n / 2] = static_cast<char>(src[n / 2]);
    dst[n - 1] = static_cast<char>(src[n - 1]);
  }
}

// Reads one length-prefixed string at `pos` into `out`; false when it runs past `end` or does
// not fit (a record's strings are never longer than the engine's limits). Sets the length and
// its bytes, as FixedString::assign does, and leaves the rest of the array alone.
template <std::size_t N>
bool take_str(const std::uint8_t* p, std::size_t& pos, std::size_t end, FixedString<N>& out) {
  static_assert(N <= 64, "copy_short copies at most 64 bytes");
  if (pos >= end) return false;
  const std::size_t n = p[pos++];
  if (n > end - pos || n > N) return false;
  copy_short(out.data, p + pos, n);
  out.len = static_cast<std::uint8_t>(n);
  pos += n;
  return true;
}

}  // namespace

void append_record(const Command& c, std::uint32_t session, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  Writer w(out);
  w.u32(0);  // length, patched below
  w.u32(0);
  w.u64(0);  // checksum, patched below
  w.i64(c.seq);
  w.i64(c.ts);
  w.u32(session);
  w.u8(static_cast<std::uint8_t>(c.type));
  w.u8(static_cast<std::uint8_t>(c.side));
  w.u8(static_cast<std::uint8_t>(c.order_type));
  w.u8(static_cast<std::uint8_t>(c.tif));
  w.u8(static_cast<std::uint8_t>(c.stp));
  std::uint16_t flags = 0;
  const auto set = [&](bool on, Flag f) {
    if (on) flags |= f;
  };
  set(c.post_only, post_only);
  set(c.has_tif, has_tif);
  set(c.has_expire_ts, has_expire_ts);
  set(c.has_min_qty, has_min_qty);
  set(c.has_display_qty, has_display_qty);
  set(c.has_cl_id, has_cl_id);
  set(c.has_order_id, has_order_id);
  set(c.has_new_cl_id, has_new_cl_id);
  set(c.has_instrument, has_instrument);
  set(c.has_product, has_product);
  set(c.price.present, price_present);
  set(c.price.valid, price_valid);
  set(c.divisible, divisible);
  set(c.risk_on, risk_on);
  set(c.amount.valid, amount_valid);
  set(c.session_start, session_start);
  w.u8(static_cast<std::uint8_t>(flags));
  w.u8(static_cast<std::uint8_t>(flags >> 8));
  w.i64(c.price.value);
  w.i64(c.qty);
  w.i64(c.expire_ts);
  w.i64(c.min_qty);
  w.i64(c.display_qty);
  w.i64(c.order_id);
  w.str(c.account.view());
  w.str(c.cl_id.view());
  w.str(c.instrument.view());
  w.str(c.new_cl_id.view());
  w.str(c.product.view());
  // version 3
  w.i64(c.amount.value);
  w.str(c.amount_text.view());
  const std::size_t payload = out.size() - start - kRecordHeader;
  w.patch_u32(start, static_cast<std::uint32_t>(payload));
  w.patch_u64(start + 8, checksum({out.data() + start + kRecordHeader, payload}));
}

const char* to_string(Check c) {
  switch (c) {
    case Check::ok: return "ok";
    case Check::truncated: return "record runs past the end of the segment";
    case Check::bad_length: return "record length out of range";
    case Check::bad_checksum: return "record checksum mismatch";
    case Check::bad_payload: return "record payload does not decode";
  }
  return "?";
}

Check read_record(std::span<const std::uint8_t> bytes, Command& c, std::uint32_t& session, std::size_t& size,
                  std::uint32_t version) {
  if (bytes.size() < kRecordHeader) return Check::truncated;
  const std::uint8_t* h = bytes.data();
  const auto length = load<std::uint32_t>(h);
  const auto reserved = load<std::uint32_t>(h + 4);
  const auto sum = load<std::uint64_t>(h + 8);
  if (length == 0 || length > kMaxPayload || reserved != 0) return Check::bad_length;
  if (bytes.size() - kRecordHeader < length) return Check::truncated;
  const std::uint8_t* p = h + kRecordHeader;
  if (XXH3_64bits(p, length) != sum) return Check::bad_checksum;

  // Every field is set below, the strings' bytes up to their lengths only: no 424-byte clear
  // or copy of a Command per record.
  if (length < kFixedPayload) return Check::bad_payload;
  c.seq = load<std::int64_t>(p);
  c.ts = load<std::int64_t>(p + 8);
  session = load<std::uint32_t>(p + 16);
  const std::uint8_t type = p[20], side = p[21], order_type = p[22], tif = p[23], stp = p[24];
  const auto flags = load<std::uint16_t>(p + 25);
  if (type > static_cast<std::uint8_t>(last_type(version)) || side > 1 || order_type > 1 || tif > 3 || stp > 2 ||
      (flags & ~flags_of(version)) != 0 || c.seq <= 0)
    return Check::bad_payload;
  c.type = static_cast<CommandType>(type);
  c.side = static_cast<Side>(side);
  c.order_type = static_cast<OrderType>(order_type);
  c.tif = static_cast<Tif>(tif);
  c.stp = static_cast<Stp>(stp);
  c.post_only = flags & post_only;
  c.has_tif = flags & has_tif;
  c.has_expire_ts = flags & has_expire_ts;
  c.has_min_qty = flags & has_min_qty;
  c.has_display_qty = flags & has_display_qty;
  c.has_cl_id = flags & has_cl_id;
  c.has_order_id = flags & has_order_id;
  c.has_new_cl_id = flags & has_new_cl_id;
  c.has_instrument = flags & has_instrument;
  c.has_product = flags & has_product;
  c.price.present = flags & price_present;
  c.price.valid = flags & price_valid;
  c.divisible = flags & divisible;
  c.risk_on = flags & risk_on;
  c.amount.valid = flags & amount_valid;
  // Version 4: the session is the command's own (its orders carry it), a session's first
  // command says so, and a disconnect cancels only its session's orders. Before, a disconnect
  // canceled every order of the account (one session per account).
  c.session = session;
  c.session_start = flags & session_start;
  c.per_session = version >= 4 && c.type == CommandType::disconnect;
  c.price.value = load<std::int64_t>(p + 27);
  c.qty = load<std::int64_t>(p + 35);
  c.expire_ts = load<std::int64_t>(p + 43);
  c.min_qty = load<std::int64_t>(p + 51);
  c.display_qty = load<std::int64_t>(p + 59);
  c.order_id = load<std::int64_t>(p + 67);
  std::size_t pos = kFixedPayload;
  if (!take_str(p, pos, length, c.account) || !take_str(p, pos, length, c.cl_id) ||
      !take_str(p, pos, length, c.instrument) || !take_str(p, pos, length, c.new_cl_id) ||
      !take_str(p, pos, length, c.product))
    return Check::bad_payload;
  if (version >= 3) {
    if (length - pos < 8) return Check::bad_payload;
    c.amount.value = load<std::int64_t>(p + pos);
    pos += 8;
    if (!take_str(p, pos, length, c.amount_text)) return Check::bad_payload;
  } else {
    c.amount.value = 0;
    c.amount_text.assign(std::string_view{});
  }
  if (pos != length) return Check::bad_payload;
  size = kRecordHeader + length;
  return Check::ok;
}

Check read_record(std::span<const std::uint8_t> bytes, Record& out, std::size_t& size, std::uint32_t version) {
  return read_record(bytes, out.command, out.session, size, version);
}

}  // namespace gpux::storage
