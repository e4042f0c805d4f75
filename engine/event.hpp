// The events of docs/events.md. One flat struct: which fields are meaningful depends on `type`
// (see docs/events.md); the codecs read only those.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>

#include "engine/fixed_string.hpp"
#include "engine/limits.hpp"
#include "engine/types.hpp"

namespace gpux {

enum class EventType : std::uint8_t {
  accepted,
  rejected,
  trade,
  canceled,
  expired,
  replaced,
  cancel_rejected,
  replace_rejected,
  halted,
  resumed,
  killed,
  unkilled,
  // SPEC §7 (docs/ledger.md)
  risk,
  deposited,
  withdrawn,
  deposit_rejected,
  withdraw_rejected,
  funded,
  fund_rejected,
};

std::string_view to_string(EventType);

struct Event {
  EventType type;
  Seq seq;
  Ts ts;

  OrderId order_id;  // accepted, canceled, expired, replaced; *_rejected when has_order_id
  AccountId account;
  FixedString<kMaxClIdLen> cl_id;  // accepted, rejected, canceled, expired, replaced; *_rejected
  // accepted, trade; canceled and expired when has_instrument (a divisible order's hours)
  InstrumentId instrument;
  bool has_instrument;
  Reason reason;

  // accepted
  Side side;
  OrderType order_type;
  Tif tif;
  Stp stp;
  bool post_only;
  bool divisible;  // accepted
  bool has_min_qty;
  bool has_display_qty;
  Price price;  // accepted, trade, replaced
  Qty qty;      // accepted, trade, replaced (open quantity)
  Ts expire_ts;
  Qty min_qty;
  Qty display_qty;

  Qty leaves;  // canceled, expired

  // trade
  std::uint32_t match;
  OrderId buy_order_id;
  OrderId sell_order_id;
  AccountId buy_account;
  AccountId sell_account;
  Side aggressor;
  Qty buy_leaves;
  Qty sell_leaves;

  bool priority_kept;  // replaced
  bool has_cl_id;      // *_rejected: which identifiers the command gave
  bool has_order_id;

  // halted/resumed: the target as given (instrument wins over product, docs/order-log.md).
  // deposited/withdrawn/*_rejected: the window as given; fund_rejected: the amount as given.
  bool target_is_instrument;
  FixedString<kMaxSymbolLen> target;

  // SPEC §7 (docs/ledger.md); deposits and withdraws use account, target, qty and reason.
  bool risk_on;        // risk
  std::int64_t amount;  // funded, normalised
  // funded: the balance after. Exact in 128 bits: trades may carry a balance past int64
  // (docs/ledger.md), though a fund never does.
  I128 cash;
};

// A growable array of Events whose slots are handed out uninitialised: the engine fills in
// only the fields its event type uses. Capacity grows (rarely) by doubling and is never
// returned, so a warm buffer never allocates.
class EventBuffer {
 public:
  explicit EventBuffer(std::size_t capacity = 1024) { reserve(capacity); }
  EventBuffer(const EventBuffer&) = delete;
  EventBuffer& operator=(const EventBuffer&) = delete;

  Event& push() {
    if (size_ == capacity_) reserve(capacity_ * 2);
    return data_[size_++];
  }
  void clear() { size_ = 0; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Event& operator[](std::size_t i) const { return data_[i]; }
  Event& operator[](std::size_t i) { return data_[i]; }
  const Event* begin() const { return data_.get(); }
  const Event* end() const { return data_.get() + size_; }

 private:
  void reserve(std::size_t n) {
    auto bigger = std::make_unique_for_overwrite<Event[]>(n);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = data_[i];
    data_ = std::move(bigger);
    capacity_ = n;
  }

  std::unique_ptr<Event[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace gpux
