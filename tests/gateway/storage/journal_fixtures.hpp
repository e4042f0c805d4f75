// Journals for the storage tests: commands with every field set at random, a field-by-field
// comparison, and journal directories written as gpuxd's journal thread writes them.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "engine/command.hpp"
#include "gateway/storage/record.hpp"
#include "gateway/storage/writer.hpp"

namespace gpux::test {

inline constexpr CommandType kAllTypes[] = {CommandType::new_order, CommandType::cancel,     CommandType::replace,
                                     CommandType::mass_cancel, CommandType::halt,     CommandType::resume,
                                     CommandType::kill,      CommandType::unkill,     CommandType::clock,
                                     CommandType::disconnect, CommandType::risk,  CommandType::deposit,
                                     CommandType::withdraw,  CommandType::fund};

// ---- random commands with every field set ------------------------------------------------------

inline std::int64_t random_i64(std::mt19937_64& rng) {
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  switch (rng() % 6) {
    case 0: return kMin;
    case 1: return kMax;
    case 2: return 0;
    case 3: return -static_cast<std::int64_t>(rng() % 1000);
    default: return static_cast<std::int64_t>(rng());
  }
}

inline std::string random_text(std::mt19937_64& rng, std::size_t max, bool full = false) {
  const std::size_t n = full ? max : rng() % (max + 1);
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(0x20 + rng() % 95));
  return s;
}

inline bool coin(std::mt19937_64& rng) { return rng() % 2 == 1; }

// A command of `type` with every field, flag and string chosen at random (strings at their
// longest when `full`). The codec keeps fields whatever the type.
inline Command full_command(std::mt19937_64& rng, CommandType type, Seq seq, Ts ts, bool full = false) {
  Command c = make_command(type, seq, ts);
  c.side = static_cast<Side>(rng() % 2);
  c.order_type = static_cast<OrderType>(rng() % 2);
  c.tif = static_cast<Tif>(rng() % 4);
  c.stp = static_cast<Stp>(rng() % 3);
  c.post_only = coin(rng);
  c.divisible = coin(rng);
  c.has_tif = coin(rng);
  c.has_expire_ts = coin(rng);
  c.has_min_qty = coin(rng);
  c.has_display_qty = coin(rng);
  c.has_cl_id = coin(rng);
  c.has_order_id = coin(rng);
  c.has_new_cl_id = coin(rng);
  c.has_instrument = coin(rng);
  c.has_product = coin(rng);
  c.price = PriceField{coin(rng), coin(rng), random_i64(rng)};
  c.qty = random_i64(rng);
  c.expire_ts = random_i64(rng);
  c.min_qty = random_i64(rng);
  c.display_qty = random_i64(rng);
  c.order_id = random_i64(rng);
  c.account.assign(random_text(rng, kMaxAccountLen, full));
  c.cl_id.assign(random_text(rng, kMaxClIdLen, full));
  c.instrument.assign(random_text(rng, kMaxSymbolLen, full));
  c.new_cl_id.assign(random_text(rng, kMaxClIdLen, full));
  c.product.assign(random_text(rng, kMaxSymbolLen, full));
  c.risk_on = coin(rng);
  c.amount = AmountField{coin(rng), random_i64(rng)};
  c.amount_text.assign(random_text(rng, kMaxAmountLen, full));
  return c;
}

// The names of the fields that differ ("" when none).
inline std::string command_diff(const Command& a, const Command& b) {
  std::string d;
  const auto field = [&](bool same, const char* name) {
    if (!same) d += std::string(d.empty() ? "" : ", ") + name;
  };
  field(a.type == b.type, "type");
  field(a.side == b.side, "side");
  field(a.order_type == b.order_type, "order_type");
  field(a.tif == b.tif, "tif");
  field(a.stp == b.stp, "stp");
  field(a.post_only == b.post_only, "post_only");
  field(a.divisible == b.divisible, "divisible");
  field(a.has_tif == b.has_tif, "has_tif");
  field(a.has_expire_ts == b.has_expire_ts, "has_expire_ts");
  field(a.has_min_qty == b.has_min_qty, "has_min_qty");
  field(a.has_display_qty == b.has_display_qty, "has_display_qty");
  field(a.has_cl_id == b.has_cl_id, "has_cl_id");
  field(a.has_order_id == b.has_order_id, "has_order_id");
  field(a.has_new_cl_id == b.has_new_cl_id, "has_new_cl_id");
  field(a.has_instrument == b.has_instrument, "has_instrument");
  field(a.has_product == b.has_product, "has_product");
  field(a.seq == b.seq, "seq");
  field(a.ts == b.ts, "ts");
  field(a.price.present == b.price.present, "price.present");
  field(a.price.valid == b.price.valid, "price.valid");
  field(a.price.value == b.price.value, "price.value");
  field(a.qty == b.qty, "qty");
  field(a.expire_ts == b.expire_ts, "expire_ts");
  field(a.min_qty == b.min_qty, "min_qty");
  field(a.display_qty == b.display_qty, "display_qty");
  field(a.order_id == b.order_id, "order_id");
  field(a.account == b.account, "account");
  field(a.cl_id == b.cl_id, "cl_id");
  field(a.instrument == b.instrument, "instrument");
  field(a.new_cl_id == b.new_cl_id, "new_cl_id");
  field(a.product == b.product, "product");
  field(a.risk_on == b.risk_on, "risk_on");
  field(a.amount.valid == b.amount.valid, "amount.valid");
  field(a.amount.value == b.amount.value, "amount.value");
  field(a.amount_text == b.amount_text, "amount_text");
  return d;
}


// ---- journal directories --------------------------------------------------------------------

struct Entry {
  Command command;
  std::uint32_t session;
};

// `n` commands of random types, seqs first_seq.., ts rising.
inline std::vector<Entry> random_entries(std::size_t n, std::uint64_t seed, Seq first_seq = 1) {
  std::mt19937_64 rng(seed);
  std::vector<Entry> out;
  Ts ts = 1'700'000'000'000'000'000;
  for (std::size_t i = 0; i < n; ++i) {
    ts += static_cast<Ts>(rng() % 1000);
    const CommandType type = kAllTypes[rng() % std::size(kAllTypes)];
    out.push_back({full_command(rng, type, first_seq + static_cast<Seq>(i), ts), static_cast<std::uint32_t>(rng())});
  }
  return out;
}

// Writes `entries` as gpuxd's journal thread would: a SegmentWriter opened at the first seq,
// group commits of 1-5 records, rotating past `segment_bytes`.
inline void write_journal(const std::string& dir, std::span<const Entry> entries, std::uint64_t segment_bytes,
                          std::uint64_t seed = 1) {
  REQUIRE_FALSE(entries.empty());
  std::mt19937_64 rng(seed);
  storage::SegmentWriter w;
  std::string error;
  INFO(error);
  REQUIRE(w.open(dir, entries.front().command.seq, segment_bytes, error));
  std::size_t i = 0;
  while (i < entries.size()) {
    const std::size_t k = std::min<std::size_t>(entries.size() - i, 1 + rng() % 5);
    std::vector<std::uint8_t> batch;
    for (std::size_t j = i; j < i + k; ++j) storage::append_record(entries[j].command, entries[j].session, batch);
    const bool ok = w.append(batch, entries[i].command.seq, error) && w.sync(error);
    INFO(error);
    REQUIRE(ok);
    i += k;
  }
  w.close();
}

}  // namespace gpux::test
