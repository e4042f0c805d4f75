#include "tools/gpux/order_entry.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

#include "engine/price.hpp"
#include "engine/symbol.hpp"
#include "tools/client/utc_time.hpp"
#include "tools/gpux/demo_market.hpp"
#include "tools/gpux/window_args.hpp"

namespace gpux {

using namespace std::chrono_literals;
using flatbuffers::GetString;

namespace {

constexpr auto kFillWait = 300ms;  // after an ack, for the fills a crossing order gets at once

bool parse_int(std::string_view s, std::int64_t& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

bool parse_price_arg(std::string_view s, Price& out) {
  if (s.starts_with('@')) s.remove_prefix(1);
  return parse_price(s, out);
}

std::string fresh_cl_id(std::string_view prefix) {
  // Base 36 of the wall clock in ns: unique per invocation, and short enough for 36 chars.
  std::uint64_t n = static_cast<std::uint64_t>(wall_clock_ns());
  std::string digits;
  do {
    digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36]);
    n /= 36;
  } while (n != 0);
  return std::string(prefix) + digits;
}

// ORDER_ID from the arguments, or --cl-id; `rest` gets the arguments after the order.
bool order_ref(const char* name, const std::vector<std::string>& args, const std::string& cl_id, std::size_t rest_count,
               client::OrderRef& ref, std::vector<std::string>& rest) {
  const std::size_t skip = cl_id.empty() ? 1 : 0;
  if (args.size() != skip + rest_count) {
    fail(name, cl_id.empty() ? "name the order: ORDER_ID or --cl-id X" : "give --cl-id or ORDER_ID, not both");
    return false;
  }
  if (cl_id.empty()) {
    std::int64_t id = 0;
    if (!parse_int(args[0], id)) {
      fail(name, "ORDER_ID must be a number, got '" + args[0] + "'");
      return false;
    }
    ref = client::OrderRef::order_id(id);
  } else {
    ref = client::OrderRef::client_id(cl_id);
  }
  rest.assign(args.begin() + static_cast<std::ptrdiff_t>(skip), args.end());
  return true;
}

// Whether a *_rejected report answers our command on `ref`: they echo what the command gave.
template <class T>
bool echoes(const T* b, const client::OrderRef& ref) {
  return ref.by_id ? b->order_id().has_value() && *b->order_id() == ref.id : GetString(b->cl_id()) == ref.cl_id;
}

}  // namespace

int run_order(const OrderOptions& o, Side side) {
  const char* name = side == Side::buy ? "buy" : "sell";
  Command c = make_command(CommandType::new_order, 0, 0);
  c.side = side;
  std::string instrument, why;
  if (!resolve_window(WindowArgs{o.instrument, o.start, o.hours}, wall_clock_ns(), instrument, why) ||
      !c.instrument.assign(instrument)) {
    fail(name, why.empty() ? "'" + instrument + "' is longer than a symbol can be" : why);
    return kFailed;
  }
  c.has_instrument = true;
  c.divisible = o.divisible;
  if (!parse_int(o.qty, c.qty)) {
    fail(name, "QTY must be a whole number of GPUs, got '" + o.qty + "'");
    return kFailed;
  }
  if (o.price == "market") {
    c.order_type = OrderType::market;
  } else {
    Price p = 0;
    if (!parse_price_arg(o.price, p)) {
      fail(name, "PRICE must be @DOLLARS with at most 4 decimals (@2.15) or 'market', got '" + o.price + "'");
      return kFailed;
    }
    c.price = PriceField{true, true, p};
  }
  if (!o.tif.empty()) {
    c.has_tif = true;
    c.tif = o.tif == "gtc" ? Tif::gtc : o.tif == "gtd" ? Tif::gtd : o.tif == "ioc" ? Tif::ioc : Tif::fok;
  }
  if (!o.expire.empty()) {
    if (!parse_utc_time(o.expire, wall_clock_ns(), c.expire_ts)) {
      fail(name,
           "--expire must be ns since the epoch, +N[s|m|h|d] or YYYY-MM-DDTHH[:MM[:SS]]Z, got '" + o.expire + "'");
      return kFailed;
    }
    c.has_expire_ts = true;
    if (!c.has_tif) {
      c.has_tif = true;
      c.tif = Tif::gtd;
    }
  } else if (c.has_tif && c.tif == Tif::gtd) {
    fail(name, "--tif gtd needs --expire");
    return kFailed;
  }
  if ((c.has_display_qty = o.iceberg != 0)) c.display_qty = o.iceberg;
  if ((c.has_min_qty = o.min_qty != 0)) c.min_qty = o.min_qty;
  c.post_only = o.post_only;
  if (!o.stp.empty())
    c.stp = o.stp == "cancel_aggressor" ? Stp::cancel_aggressor
            : o.stp == "cancel_both"    ? Stp::cancel_both
                                        : Stp::cancel_resting;
  const std::string cl_id = o.cl_id.empty() ? fresh_cl_id("gpux-") : o.cl_id;
  if (!c.cl_id.assign(cl_id) || cl_id.empty()) {
    fail(name, "--cl-id must be 1-36 printable ASCII characters");
    return kFailed;
  }
  c.has_cl_id = true;

  Session s;
  if (!s.open(name, o.session)) return kFailed;
  bool answered = false, accepted = false, done = false;
  OrderId id = 0;
  s.on_message([&](const wire::Envelope& env) {
    switch (env.body_type()) {
      case wire::Body::Accepted:
        if (GetString(env.body_as_Accepted()->cl_id()) != cl_id) return;
        answered = accepted = true;
        id = env.body_as_Accepted()->order_id();
        break;
      case wire::Body::Rejected:
        if (GetString(env.body_as_Rejected()->cl_id()) != cl_id) return;
        answered = done = true;
        break;
      case wire::Body::Fill:
        if (!accepted || env.body_as_Fill()->order_id() != id) return;
        // A divisible order's leaves are one hour's: other hours may still trade or rest.
        done = !o.divisible && env.body_as_Fill()->leaves() == 0;
        break;
      case wire::Body::Canceled:
        if (!accepted || env.body_as_Canceled()->order_id() != id) return;
        // A divisible ioc's rest is canceled in runs of hours, several events.
        done = !o.divisible;
        break;
      case wire::Body::Expired:
        if (!accepted || env.body_as_Expired()->order_id() != id) return;
        done = true;
        break;
      default:
        return;
    }
    print_message(env, o.session.json, client::TextForm::brief);
  });
  if (!s.client.send(c)) return s.lost(name);
  if (const int status = s.await(name, [&] { return answered; })) return status;
  if (accepted) s.client.run_until([&] { return done; }, kFillWait);
  return accepted ? 0 : kRefused;
}

int run_cancel(const CancelOptions& o) {
  client::OrderRef ref;
  std::vector<std::string> rest;
  if (!order_ref("cancel", o.order_id, o.cl_id, 0, ref, rest)) return kFailed;
  Session s;
  if (!s.open("cancel", o.session)) return kFailed;
  bool answered = false, canceled = false;
  s.on_message([&](const wire::Envelope& env) {
    if (const auto* b = env.body_as_Canceled()) {
      if (ref.by_id ? b->order_id() != ref.id : GetString(b->cl_id()) != ref.cl_id) return;
      answered = canceled = true;
    } else if (const auto* r = env.body_as_CancelRejected()) {
      if (!echoes(r, ref)) return;
      answered = true;
    } else {
      return;
    }
    print_message(env, o.session.json);
  });
  if (!s.client.cancel(ref)) return s.lost("cancel");
  if (const int status = s.await("cancel", [&] { return answered; })) return status;
  return canceled ? 0 : kRefused;
}

int run_replace(const ReplaceOptions& o) {
  client::OrderRef ref;
  std::vector<std::string> rest;
  if (!order_ref("replace", o.args, o.cl_id, 2, ref, rest)) return kFailed;
  Price price = 0;
  std::int64_t qty = 0;
  if (!parse_price_arg(rest[0], price)) {
    fail("replace", "PRICE must be @DOLLARS with at most 4 decimals (@2.15), got '" + rest[0] + "'");
    return kFailed;
  }
  if (!parse_int(rest[1], qty)) {
    fail("replace", "QTY must be a whole number of GPUs, got '" + rest[1] + "'");
    return kFailed;
  }
  Session s;
  if (!s.open("replace", o.session)) return kFailed;
  bool answered = false, replaced = false, done = false;
  OrderId id = ref.id;
  s.on_message([&](const wire::Envelope& env) {
    if (const auto* b = env.body_as_Replaced()) {
      const std::string cl = GetString(b->cl_id());
      if (ref.by_id ? b->order_id() != ref.id : cl != ref.cl_id && cl != o.new_cl_id) return;
      answered = replaced = true;
      id = b->order_id();
    } else if (const auto* r = env.body_as_ReplaceRejected()) {
      if (!echoes(r, ref)) return;
      answered = true;
    } else if (const auto* f = env.body_as_Fill()) {
      if (!replaced || f->order_id() != id) return;
      done = f->leaves() == 0;
    } else {
      return;
    }
    print_message(env, o.session.json, client::TextForm::brief);
  });
  if (!s.client.replace(ref, price, qty, o.new_cl_id)) return s.lost("replace");
  if (const int status = s.await("replace", [&] { return answered; })) return status;
  if (replaced) s.client.run_until([&] { return done; }, kFillWait);
  return replaced ? 0 : kRefused;
}

int run_mass_cancel(const MassCancelOptions& o) {
  Session s;
  if (!s.open("mass-cancel", o.session)) return kFailed;
  // Mass cancel has no acknowledgement of its own: a cancel of an order that cannot exist,
  // sent right after, is answered after every event of the mass cancel.
  const std::string fence = fresh_cl_id("gpux-fence-");
  bool fenced = false;
  int canceled = 0;
  s.on_message([&](const wire::Envelope& env) {
    if (const auto* b = env.body_as_Canceled(); b && b->reason() == wire::Reason::mass) {
      ++canceled;
      print_message(env, o.session.json);
    } else if (const auto* r = env.body_as_CancelRejected(); r && GetString(r->cl_id()) == fence) {
      fenced = true;
    }
  });
  if (!s.client.mass_cancel(o.instrument, o.product) || !s.client.cancel(client::OrderRef::client_id(fence)))
    return s.lost("mass-cancel");
  if (const int status = s.await("mass-cancel", [&] { return fenced; })) return status;
  if (!o.session.json) std::printf("canceled %d order%s\n", canceled, canceled == 1 ? "" : "s");
  return 0;
}

}  // namespace gpux
