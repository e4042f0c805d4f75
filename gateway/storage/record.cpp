#include "gateway/storage/record.hpp"

#include <xxhash.h>

#include "engine/state_codec.hpp"

namespace gpux::storage {

namespace {

using snapshot::Reader;
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
};
// The flags each format version may set: a version 1 segment predates divisible orders, so a
// record there claiming one is damage, not a command.
constexpr std::uint16_t kFlagsV1 = (1 << 12) - 1;
constexpr std::uint16_t kFlagsV2 = (1 << 13) - 1;
constexpr std::uint16_t kFlagsV3 = (1 << 15) - 1;

// The last command type each format version can hold: version 3 added risk, deposit, withdraw
// and fund.
constexpr CommandType last_type(std::uint32_t version) {
  return version >= 3 ? CommandType::fund : CommandType::disconnect;
}
std::uint16_t flags_of(std::uint32_t version) { return version >= 3 ? kFlagsV3 : version >= 2 ? kFlagsV2 : kFlagsV1; }

std::uint64_t checksum(std::span<const std::uint8_t> payload) { return XXH3_64bits(payload.data(), payload.size()); }

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

Check read_record(std::span<const std::uint8_t> bytes, Record& out, std::size_t& size, std::uint32_t version) {
  if (bytes.size() < kRecordHeader) return Check::truncated;
  Reader h(bytes.first(kRecordHeader));
  const std::uint32_t length = h.u32();
  const std::uint32_t reserved = h.u32();
  const std::uint64_t sum = h.u64();
  if (length == 0 || length > kMaxPayload || reserved != 0) return Check::bad_length;
  if (bytes.size() - kRecordHeader < length) return Check::truncated;
  const auto payload = bytes.subspan(kRecordHeader, length);
  if (checksum(payload) != sum) return Check::bad_checksum;

  Reader r(payload);
  Command& c = out.command;  // every field is set below: no 328-byte clear per record
  c.seq = r.i64();
  c.ts = r.i64();
  out.session = r.u32();
  const std::uint8_t type = r.u8(), side = r.u8(), order_type = r.u8(), tif = r.u8(), stp = r.u8();
  const std::uint16_t flags = static_cast<std::uint16_t>(r.u8() | r.u8() << 8);
  if (type > static_cast<std::uint8_t>(last_type(version)) || side > 1 || order_type > 1 || tif > 3 || stp > 2 ||
      (flags & ~flags_of(version)) != 0)
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
  c.price.value = r.i64();
  c.qty = r.i64();
  c.expire_ts = r.i64();
  c.min_qty = r.i64();
  c.display_qty = r.i64();
  c.order_id = r.i64();
  const bool fits = c.account.assign(r.str()) && c.cl_id.assign(r.str()) && c.instrument.assign(r.str()) &&
                    c.new_cl_id.assign(r.str()) && c.product.assign(r.str());
  bool amount_fits = true;
  if (version >= 3) {
    c.amount.value = r.i64();
    amount_fits = c.amount_text.assign(r.str());
  } else {
    c.amount.value = 0;
    c.amount_text.assign(std::string_view{});
  }
  if (!r.ok() || !fits || !amount_fits || r.left() != 0 || c.seq <= 0) return Check::bad_payload;
  size = kRecordHeader + length;
  return Check::ok;
}

}  // namespace gpux::storage
