// Server messages as text for people, beside their JSON form (render_json.hpp): what `gpux`
// prints without --json.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "engine/types.hpp"
#include "schemas/gpux_generated.h"

namespace gpux::client {

enum class TextForm {
  full,
  // Under a single order's acknowledgement, where the order is understood.
  brief,
  // An execution report prefixed "ACCOUNT: ", for a drop copy, which reads everyone's.
  with_account,
};

// One line for a server message, without the newline; empty for those not worth a line
// (heartbeats).
std::string to_text(const wire::Envelope& env, TextForm form = TextForm::full);

// A price as the text shows it: dollars with 4 decimals, "2.1500".
std::string price_text(Price p);

// A quote for people: "quote buy 512 P@...: 512 of 512 fill (0 window, 512 sweep), average
// 2.2000, notional $811008.0000", or why nothing can be quoted.
std::string quote_text(const wire::QuoteReply& q);

// The answer to a HoldingsRequest for people: per product a table of runs of hours (UTC) with
// the holdings and free capacity of each, runs of equal hours in one row, as the hour books'
// table draws them. Each line ends in a newline.
std::string holdings_text(const wire::HoldingsReply& reply);

// The answer to list_orders as a table with a row per OpenOrder.
class OpenOrdersTable {
 public:
  void add(const wire::OpenOrder& order);
  // The lines, each with its newline: the table and a count as of OpenOrdersEnd's seq, or a
  // line saying there are none.
  std::string render(const wire::OpenOrdersEnd& end) const;

 private:
  std::vector<std::array<std::string, 8>> rows_;
};

}  // namespace gpux::client
