// One instrument's events as LOBSTER messages (docs/exports.md), with the visible book each
// message leaves behind. LOBSTER describes what the public book shows, so only visible
// quantity appears: an iceberg shows its clip, and its refill is a new submission.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/engine.hpp"

namespace gpux {

struct LobsterMessage {
  enum Type : int { submit = 1, partial_cancel = 2, delete_order = 3, execute_visible = 4, halt = 7 };
  Ts time;
  Type type;
  OrderId order_id;
  Qty size;
  Price price;
  int direction;  // 1 buy, -1 sell (for an execution: the resting order's side)
};

class LobsterTape {
 public:
  // The visible book, best level first on each side: price -> shown quantity.
  struct Book {
    std::map<Price, Qty, std::greater<>> bids;
    std::map<Price, Qty> asks;
  };
  using MessageFn = std::function<void(const LobsterMessage&, const Book&)>;

  // `symbol` is canonical; `product` is its product id (product halts apply to it too).
  LobsterTape(std::string symbol, std::string product, MessageFn on_message);

  // One command's events, in order; `engine` has just run it. False when the book built from
  // the messages disagrees with the engine's, which would be a bug here.
  bool command(const EventBuffer& events, const DepthBuffer& depth, const Engine& engine);

  std::uint64_t messages() const { return messages_; }

 private:
  struct Order {
    Side side;
    Price price;
    Qty open;
    Qty shown;    // in the book; 0 while the order is still matching as the incoming one
    Qty display;  // 0 unless an iceberg
    bool in_book;
  };

  bool mine(InstrumentId id, const Engine& engine);
  void emit(Ts time, LobsterMessage::Type type, OrderId id, Qty size, Price price, int direction);
  void add(Side side, Price price, Qty qty);
  void on_trade(const Event& e);
  void on_end(const Event& e);
  void on_replaced(const Event& e);
  void rest_incoming(Ts time);
  bool agrees(const Engine& engine) const;

  std::string symbol_;
  std::string product_;
  MessageFn on_message_;
  bool listed_ = false;
  InstrumentId id_ = 0;
  Book book_;
  std::unordered_map<OrderId, Order> orders_;
  std::vector<OrderId> incoming_;  // matched this command, to rest at its end if open is left
  bool broken_ = false;            // a trade with an order the tape never saw rest
  mutable std::vector<LevelView> levels_;
  std::uint64_t messages_ = 0;
};

}  // namespace gpux
