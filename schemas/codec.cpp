#include "schemas/codec.hpp"

#include <cstring>
#include <new>

#include "engine/price.hpp"

namespace gpux::protocol {

namespace {

namespace fb = flatbuffers;
using wire::Body;

// The engine's reasons and the wire's share their first values, so the mapping is a cast.
static_assert(static_cast<int>(wire::Reason::killed) == static_cast<int>(Reason::killed));
static_assert(static_cast<int>(wire::Reason::unknown_order) == static_cast<int>(Reason::unknown_order));
static_assert(static_cast<int>(wire::Reason::disconnect) == static_cast<int>(Reason::disconnect));
static_assert(static_cast<int>(wire::Reason::capacity) == static_cast<int>(Reason::capacity));
// The engine's §7 reasons come after capacity there, but after the gateway's own on the wire:
// to_wire maps them by name.
static_assert(static_cast<int>(Reason::no_capacity) == static_cast<int>(Reason::capacity) + 1);
static_assert(static_cast<int>(Reason::no_credit) == static_cast<int>(Reason::capacity) + 2);
static_assert(static_cast<int>(Reason::bad_amount) == static_cast<int>(Reason::capacity) + 3);
static_assert(static_cast<int>(wire::Reason::no_capacity) == static_cast<int>(wire::Reason::in_progress) + 1);
static_assert(static_cast<int>(wire::Reason::too_many_sessions) == static_cast<int>(wire::Reason::not_primary) + 1);
static_assert(static_cast<int>(wire::Reason::too_many_sessions) == static_cast<int>(wire::Reason::MAX));
static_assert(static_cast<int>(wire::RiskMode::on) == 1 && static_cast<int>(wire::RiskMode::MAX) == 1);

// Tight verifier limits: a legitimate client frame is one table with a few strings.
constexpr fb::uoffset_t kMaxDepth = 4;
constexpr fb::uoffset_t kMaxTables = 8;

struct Fail {
  wire::Reason reason;
  const char* text;
};

std::string_view view(const fb::String* s) { return s ? std::string_view(s->data(), s->size()) : std::string_view(); }

template <std::size_t N>
void text(const fb::String* s, FixedString<N>& out, const char* what) {
  if (!out.assign(view(s))) throw Fail{wire::Reason::bad_field, what};
}

void cl_id(const fb::String* s, FixedString<kMaxClIdLen>& out, const char* what) {
  if (!valid_cl_id(view(s))) throw Fail{wire::Reason::bad_field, what};
  out.assign(view(s));
}

template <class E>
E checked_enum(E v, E max, const char* what) {
  if (static_cast<unsigned>(v) > static_cast<unsigned>(max)) throw Fail{wire::Reason::bad_field, what};
  return v;
}

Side side_of(wire::Side s) { return checked_enum(s, wire::Side::MAX, "side out of range") == wire::Side::buy ? Side::buy : Side::sell; }

void order_ref(const fb::String* cl, fb::Optional<int64_t> order_id, Command& c) {
  c.has_order_id = order_id.has_value();
  c.has_cl_id = cl != nullptr;
  if (!c.has_order_id && !c.has_cl_id) throw Fail{wire::Reason::bad_field, "needs cl_id or order_id"};
  if (c.has_order_id) c.order_id = *order_id;
  if (c.has_cl_id) cl_id(cl, c.cl_id, "cl_id must be 1-36 printable ASCII characters");
}

void target(const fb::String* instrument, const fb::String* product, Command& c, bool required) {
  c.has_instrument = instrument != nullptr;
  c.has_product = product != nullptr;
  if (required && !c.has_instrument && !c.has_product) throw Fail{wire::Reason::bad_field, "needs instrument or product"};
  if (c.has_instrument) text(instrument, c.instrument, "instrument longer than 64 bytes");
  if (c.has_product) text(product, c.product, "product longer than 64 bytes");
}

void decode(const wire::Envelope& env, ClientMessage& m) {
  // Built in place: assigning a temporary zeroed 424 bytes and then copied them, which was 60%
  // of decoding a new order (rep stos + rep movs, ~50 ns).
  Command& c = *::new (static_cast<void*>(&m.command)) Command(make_command(CommandType::clock, 0, 0));
  m.operator_only = false;
  m.has_instrument = false;
  m.hours = false;
  m.since_seq = 0;
  m.has_start_hour = false;
  m.start_hour = 0;
  m.window_hours = 0;
  switch (env.body_type()) {
    case Body::Login: {
      const auto* b = env.body_as_Login();
      m.kind = ClientKind::login;
      m.login.version = b->version();
      m.login.market_data = b->market_data();
      m.login.cancel_all_on_disconnect = b->cancel_all_on_disconnect();
      if (m.login.market_data) {  // account and token are ignored: no account is needed
        m.login.account.assign(std::string_view{});
        m.login.token.assign(std::string_view{});
        return;
      }
      if (!valid_account(view(b->account()))) throw Fail{wire::Reason::bad_field, "account must match [A-Za-z0-9_.-]{1,32}"};
      m.login.account.assign(view(b->account()));
      text(b->token(), m.login.token, "token longer than 128 bytes");
      return;
    }
    case Body::NewOrder: {
      const auto* b = env.body_as_NewOrder();
      c.type = CommandType::new_order;
      cl_id(b->cl_id(), c.cl_id, "cl_id must be 1-36 printable ASCII characters");
      text(b->instrument(), c.instrument, "instrument longer than 64 bytes");
      c.has_instrument = true;
      c.side = side_of(b->side());
      c.order_type = checked_enum(b->order_type(), wire::OrderType::MAX, "order_type out of range") ==
                             wire::OrderType::market
                         ? OrderType::market
                         : OrderType::limit;
      if (b->price().has_value()) c.price = PriceField{true, true, *b->price()};
      c.qty = b->qty();
      if ((c.has_tif = b->tif().has_value()))
        c.tif = static_cast<Tif>(checked_enum(*b->tif(), wire::Tif::MAX, "tif out of range"));
      if ((c.has_expire_ts = b->expire_ts().has_value())) c.expire_ts = *b->expire_ts();
      c.post_only = b->post_only();
      if ((c.has_min_qty = b->min_qty().has_value())) c.min_qty = *b->min_qty();
      if ((c.has_display_qty = b->display_qty().has_value())) c.display_qty = *b->display_qty();
      c.stp = static_cast<Stp>(checked_enum(b->stp(), wire::Stp::MAX, "stp out of range"));
      c.divisible = b->divisible();
      break;
    }
    case Body::Cancel: {
      const auto* b = env.body_as_Cancel();
      c.type = CommandType::cancel;
      order_ref(b->cl_id(), b->order_id(), c);
      break;
    }
    case Body::Replace: {
      const auto* b = env.body_as_Replace();
      c.type = CommandType::replace;
      order_ref(b->cl_id(), b->order_id(), c);
      if ((c.has_new_cl_id = b->new_cl_id() != nullptr))
        cl_id(b->new_cl_id(), c.new_cl_id, "new_cl_id must be 1-36 printable ASCII characters");
      c.price = PriceField{true, true, b->price()};
      c.qty = b->qty();
      break;
    }
    case Body::MassCancel: {
      const auto* b = env.body_as_MassCancel();
      c.type = CommandType::mass_cancel;
      target(b->instrument(), b->product(), c, false);
      break;
    }
    case Body::Halt:
    case Body::Resume: {
      const bool halt = env.body_type() == Body::Halt;
      const fb::String* instrument = halt ? env.body_as_Halt()->instrument() : env.body_as_Resume()->instrument();
      const fb::String* product = halt ? env.body_as_Halt()->product() : env.body_as_Resume()->product();
      c.type = halt ? CommandType::halt : CommandType::resume;
      target(instrument, product, c, true);
      m.operator_only = true;
      break;
    }
    case Body::Kill:
    case Body::Unkill: {
      const bool kill = env.body_type() == Body::Kill;
      const fb::String* account = kill ? env.body_as_Kill()->account() : env.body_as_Unkill()->account();
      if (!valid_account(view(account))) throw Fail{wire::Reason::bad_field, "account must match [A-Za-z0-9_.-]{1,32}"};
      c.type = kill ? CommandType::kill : CommandType::unkill;
      c.account.assign(view(account));
      m.operator_only = true;
      break;
    }
    case Body::Risk: {
      const auto mode = env.body_as_Risk()->mode();
      if (!mode.has_value()) throw Fail{wire::Reason::bad_field, "risk needs a mode"};
      c.type = CommandType::risk;
      c.risk_on = checked_enum(*mode, wire::RiskMode::MAX, "mode out of range") == wire::RiskMode::on;
      m.operator_only = true;
      break;
    }
    case Body::Deposit:
    case Body::Withdraw: {
      const bool deposit = env.body_type() == Body::Deposit;
      const fb::String* account = deposit ? env.body_as_Deposit()->account() : env.body_as_Withdraw()->account();
      const fb::String* instrument =
          deposit ? env.body_as_Deposit()->instrument() : env.body_as_Withdraw()->instrument();
      if (!valid_account(view(account))) throw Fail{wire::Reason::bad_field, "account must match [A-Za-z0-9_.-]{1,32}"};
      c.type = deposit ? CommandType::deposit : CommandType::withdraw;
      c.account.assign(view(account));
      text(instrument, c.instrument, "instrument longer than 64 bytes");
      c.has_instrument = true;
      c.qty = deposit ? env.body_as_Deposit()->qty() : env.body_as_Withdraw()->qty();
      m.operator_only = true;
      break;
    }
    case Body::Fund: {
      const auto* b = env.body_as_Fund();
      if (!valid_account(view(b->account()))) throw Fail{wire::Reason::bad_field, "account must match [A-Za-z0-9_.-]{1,32}"};
      c.type = CommandType::fund;
      c.account.assign(view(b->account()));
      // Kept as given for fund_rejected; whether it is an amount is the engine's call.
      text(b->amount(), c.amount_text, "amount longer than 40 bytes");
      c.amount.valid = parse_price(c.amount_text.view(), c.amount.value);
      if (!c.amount.valid) c.amount.value = 0;
      m.operator_only = true;
      break;
    }
    case Body::BalanceRequest:
      m.kind = ClientKind::balance;
      return;
    case Body::HoldingsRequest: {
      const auto* b = env.body_as_HoldingsRequest();
      m.kind = ClientKind::holdings;
      m.has_instrument = b->product() != nullptr;
      if (m.has_instrument) text(b->product(), m.instrument, "product longer than 64 bytes");
      m.has_start_hour = b->start_hour().has_value();
      m.window_hours = b->hours();
      if (m.has_start_hour) {
        m.start_hour = *b->start_hour();
        if (m.start_hour < 0 || m.start_hour > kMaxHoldingsStartHour)
          throw Fail{wire::Reason::bad_field, "start_hour must be 0..100000000"};
        if (m.window_hours < 1 || m.window_hours > kMaxHoldingsHours) throw Fail{wire::Reason::bad_field, "hours must be 1..100000"};
      } else if (m.window_hours != 0) {
        throw Fail{wire::Reason::bad_field, "hours needs start_hour"};
      }
      return;
    }
    case Body::Subscribe:
    case Body::Unsubscribe: {
      const bool on = env.body_type() == Body::Subscribe;
      m.kind = on ? ClientKind::subscribe : ClientKind::unsubscribe;
      const fb::String* instrument = on ? env.body_as_Subscribe()->instrument() : env.body_as_Unsubscribe()->instrument();
      const fb::String* product = on ? env.body_as_Subscribe()->product() : env.body_as_Unsubscribe()->product();
      m.hours = on ? env.body_as_Subscribe()->hours() : env.body_as_Unsubscribe()->hours();
      // One name, of the kind `hours` says: a window book's symbol, or a product's hour books.
      if (m.hours ? product == nullptr || instrument != nullptr : instrument == nullptr || product != nullptr)
        throw Fail{wire::Reason::bad_field, "needs an instrument, or a product with hours = true"};
      if (m.hours) text(product, m.instrument, "product longer than 64 bytes");
      else text(instrument, m.instrument, "instrument longer than 64 bytes");
      return;
    }
    case Body::QuoteRequest: {
      const auto* b = env.body_as_QuoteRequest();
      m.kind = ClientKind::quote;
      text(b->instrument(), c.instrument, "instrument longer than 64 bytes");
      c.has_instrument = true;
      c.side = side_of(b->side());
      c.qty = b->qty();
      if (b->limit().has_value()) c.price = PriceField{true, true, *b->limit()};
      return;
    }
    case Body::Heartbeat:
      m.kind = ClientKind::heartbeat;
      return;
    case Body::ListOrders: {
      const fb::String* instrument = env.body_as_ListOrders()->instrument();
      m.kind = ClientKind::list_orders;
      m.has_instrument = instrument != nullptr;
      if (m.has_instrument) text(instrument, m.instrument, "instrument longer than 64 bytes");
      return;
    }
    case Body::Resend:
      m.kind = ClientKind::resend;
      m.since_seq = env.body_as_Resend()->since_seq();
      if (m.since_seq < 0) throw Fail{wire::Reason::bad_field, "since_seq must be 0 or more"};
      return;
    default:
      throw Fail{wire::Reason::unknown_message, "not a message a client may send"};
  }
  m.kind = ClientKind::command;
}

}  // namespace

// Not FinishSizePrefixed: that aligns the envelope 4 bytes off its 8-byte scalars once the
// header is stripped. The envelope is finished aligned and the header written in front.
std::span<const std::uint8_t> frame(fb::FlatBufferBuilder& fbb, fb::Offset<wire::Envelope> env,
                                    std::vector<std::uint8_t>& out) {
  fbb.Finish(env, wire::EnvelopeIdentifier());
  const auto n = static_cast<std::uint32_t>(fbb.GetSize());
  out.resize(kFrameHeader + n);
  out[0] = static_cast<std::uint8_t>(n);
  out[1] = static_cast<std::uint8_t>(n >> 8);
  out[2] = static_cast<std::uint8_t>(n >> 16);
  out[3] = static_cast<std::uint8_t>(n >> 24);
  std::memcpy(out.data() + kFrameHeader, fbb.GetBufferPointer(), n);
  return out;
}

// A cast while the engine's reasons are the wire enum's first values, in the same order. A
// reason the engine gains later goes at the end of the wire enum (after the gateway's own) and
// needs its own case here; this assert fails the build the moment the two drift.
static_assert(static_cast<int>(wire::Reason::capacity) == static_cast<int>(Reason::capacity) &&
                  static_cast<int>(wire::Reason::killed) == static_cast<int>(Reason::killed),
              "engine and wire reasons share numbers up to capacity");
wire::Reason to_wire(Reason r) {
  switch (r) {
    case Reason::no_capacity: return wire::Reason::no_capacity;
    case Reason::no_credit: return wire::Reason::no_credit;
    case Reason::bad_amount: return wire::Reason::bad_amount;
    default: return static_cast<wire::Reason>(r);
  }
}

bool frame_length(std::span<const std::uint8_t, kFrameHeader> h, std::size_t max_frame, std::size_t& length) {
  length = std::size_t{h[0]} | std::size_t{h[1]} << 8 | std::size_t{h[2]} << 16 | std::size_t{h[3]} << 24;
  return length > 0 && length <= max_frame;
}

bool decode_client(std::span<const std::uint8_t> envelope, ClientMessage& out, DecodeError& error) {
  // FlatBuffers reads scalars in place: a frame that sits misaligned in a receive buffer is
  // first copied to an aligned one.
  alignas(8) static thread_local std::uint8_t aligned[kMaxClientFrame];
  if (reinterpret_cast<std::uintptr_t>(envelope.data()) % 8 != 0) {
    if (envelope.size() > kMaxClientFrame) {
      error = {wire::Reason::too_large, "frame larger than the limit"};
      return false;
    }
    std::memcpy(aligned, envelope.data(), envelope.size());
    envelope = {aligned, envelope.size()};
  }
  // The identifier is 4 bytes at offset 4: compared as such, not with FlatBuffers' strncmp
  // (an out-of-line libc call, 5% of the gateway thread at 1M orders/s).
  if (envelope.size() < 8 || std::memcmp(envelope.data() + 4, wire::EnvelopeIdentifier(), 4) != 0) {
    error = {wire::Reason::wrong_identifier, "not a gpux envelope (file identifier GPUX expected)"};
    return false;
  }
  fb::Verifier verifier(envelope.data(), envelope.size(), kMaxDepth, kMaxTables);
  // The identifier was checked above; VerifyEnvelopeBuffer would compare it again with strncmp.
  if (!verifier.VerifyBuffer<wire::Envelope>(nullptr)) {
    error = {wire::Reason::malformed, "the envelope fails FlatBuffers verification"};
    return false;
  }
  const wire::Envelope* env = wire::GetEnvelope(envelope.data());
  if (env->body_type() == Body::NONE || env->body_type() > Body::MAX || env->body() == nullptr) {
    error = {wire::Reason::unknown_message, "the envelope's body type is unknown or NONE"};
    return false;
  }
  try {
    decode(*env, out);
  } catch (const Fail& f) {
    error = {f.reason, f.text};
    return false;
  }
  return true;
}

// ---- client frames -------------------------------------------------------------------------

template <class T>
std::span<const std::uint8_t> ClientEncoder::finish(fb::Offset<T> body, Body type) {
  return frame(fbb_, wire::CreateEnvelope(fbb_, type, body.Union()), frame_);
}

std::span<const std::uint8_t> ClientEncoder::login(std::string_view account, std::string_view token,
                                                   bool cancel_all_on_disconnect, std::uint16_t version) {
  fbb_.Clear();
  const auto a = fbb_.CreateString(account);
  const auto t = fbb_.CreateString(token);
  return finish(wire::CreateLogin(fbb_, version, a, t, cancel_all_on_disconnect), Body::Login);
}

std::span<const std::uint8_t> ClientEncoder::login_market_data(std::uint16_t version) {
  fbb_.Clear();
  const auto a = fbb_.CreateString("");
  const auto t = fbb_.CreateString("");
  return finish(wire::CreateLogin(fbb_, version, a, t, false, true), Body::Login);
}

std::span<const std::uint8_t> ClientEncoder::command(const Command& c) {
  fbb_.Clear();
  const auto str = [&](auto& fixed, bool present) {
    return present ? fbb_.CreateString(fixed.view()) : fb::Offset<fb::String>();
  };
  const auto opt = [](bool present, std::int64_t v) { return present ? fb::Optional<int64_t>(v) : fb::nullopt; };
  switch (c.type) {
    case CommandType::new_order: {
      const auto cl = str(c.cl_id, true);
      const auto i = str(c.instrument, true);
      return finish(wire::CreateNewOrder(
                        fbb_, cl, i, c.side == Side::buy ? wire::Side::buy : wire::Side::sell,
                        c.order_type == OrderType::market ? wire::OrderType::market : wire::OrderType::limit,
                        opt(c.price.present, c.price.value), c.qty,
                        c.has_tif ? fb::Optional<wire::Tif>(static_cast<wire::Tif>(c.tif)) : fb::nullopt,
                        opt(c.has_expire_ts, c.expire_ts), c.post_only, opt(c.has_min_qty, c.min_qty),
                        opt(c.has_display_qty, c.display_qty), static_cast<wire::Stp>(c.stp), c.divisible),
                    Body::NewOrder);
    }
    case CommandType::cancel: {
      const auto cl = str(c.cl_id, c.has_cl_id);
      return finish(wire::CreateCancel(fbb_, cl, opt(c.has_order_id, c.order_id)), Body::Cancel);
    }
    case CommandType::replace: {
      const auto cl = str(c.cl_id, c.has_cl_id);
      const auto ncl = str(c.new_cl_id, c.has_new_cl_id);
      return finish(wire::CreateReplace(fbb_, cl, opt(c.has_order_id, c.order_id), ncl, c.price.value, c.qty),
                    Body::Replace);
    }
    case CommandType::mass_cancel: {
      const auto i = str(c.instrument, c.has_instrument);
      const auto p = str(c.product, c.has_product);
      return finish(wire::CreateMassCancel(fbb_, i, p), Body::MassCancel);
    }
    case CommandType::halt:
    case CommandType::resume: {
      const auto i = str(c.instrument, c.has_instrument);
      const auto p = str(c.product, c.has_product);
      if (c.type == CommandType::halt) return finish(wire::CreateHalt(fbb_, i, p), Body::Halt);
      return finish(wire::CreateResume(fbb_, i, p), Body::Resume);
    }
    case CommandType::kill:
    case CommandType::unkill: {
      const auto a = str(c.account, true);
      if (c.type == CommandType::kill) return finish(wire::CreateKill(fbb_, a), Body::Kill);
      return finish(wire::CreateUnkill(fbb_, a), Body::Unkill);
    }
    case CommandType::risk:
      return finish(wire::CreateRisk(fbb_, c.risk_on ? wire::RiskMode::on : wire::RiskMode::off), Body::Risk);
    case CommandType::deposit:
    case CommandType::withdraw: {
      const auto a = str(c.account, true);
      const auto i = str(c.instrument, true);
      if (c.type == CommandType::deposit) return finish(wire::CreateDeposit(fbb_, a, i, c.qty), Body::Deposit);
      return finish(wire::CreateWithdraw(fbb_, a, i, c.qty), Body::Withdraw);
    }
    case CommandType::fund: {
      const auto a = str(c.account, true);
      const auto t = str(c.amount_text, true);
      return finish(wire::CreateFund(fbb_, a, t), Body::Fund);
    }
    case CommandType::clock:
    case CommandType::disconnect:
      break;
  }
  return heartbeat();  // clocks are the sequencer's, not a client's
}

std::span<const std::uint8_t> ClientEncoder::subscribe(std::string_view instrument, bool on) {
  fbb_.Clear();
  const auto i = fbb_.CreateString(instrument);
  if (on) return finish(wire::CreateSubscribe(fbb_, i), Body::Subscribe);
  return finish(wire::CreateUnsubscribe(fbb_, i), Body::Unsubscribe);
}

std::span<const std::uint8_t> ClientEncoder::subscribe_hours(std::string_view product, bool on) {
  fbb_.Clear();
  const auto p = fbb_.CreateString(product);
  if (on) return finish(wire::CreateSubscribe(fbb_, 0, p, true), Body::Subscribe);
  return finish(wire::CreateUnsubscribe(fbb_, 0, p, true), Body::Unsubscribe);
}

std::span<const std::uint8_t> ClientEncoder::quote(std::string_view instrument, Side side, Qty qty, Price limit) {
  fbb_.Clear();
  const auto i = fbb_.CreateString(instrument);
  return finish(wire::CreateQuoteRequest(fbb_, i, side == Side::buy ? wire::Side::buy : wire::Side::sell, qty,
                                         limit > 0 ? fb::Optional<int64_t>(limit) : fb::nullopt),
                Body::QuoteRequest);
}

std::span<const std::uint8_t> ClientEncoder::heartbeat() {
  fbb_.Clear();
  return finish(wire::CreateHeartbeat(fbb_), Body::Heartbeat);
}

std::span<const std::uint8_t> ClientEncoder::list_orders(std::string_view instrument) {
  fbb_.Clear();
  const auto i = instrument.empty() ? fb::Offset<fb::String>() : fbb_.CreateString(instrument);
  return finish(wire::CreateListOrders(fbb_, i), Body::ListOrders);
}

std::span<const std::uint8_t> ClientEncoder::balance() {
  fbb_.Clear();
  return finish(wire::CreateBalanceRequest(fbb_), Body::BalanceRequest);
}

std::span<const std::uint8_t> ClientEncoder::holdings(std::string_view product, bool has_start_hour,
                                                      std::int64_t start_hour, std::int64_t hours) {
  fbb_.Clear();
  const auto p = product.empty() ? fb::Offset<fb::String>() : fbb_.CreateString(product);
  return finish(wire::CreateHoldingsRequest(fbb_, p, has_start_hour ? fb::Optional<int64_t>(start_hour) : fb::nullopt,
                                            has_start_hour ? hours : 0),
                Body::HoldingsRequest);
}

std::span<const std::uint8_t> ClientEncoder::resend(Seq since_seq) {
  fbb_.Clear();
  return finish(wire::CreateResend(fbb_, since_seq), Body::Resend);
}

}  // namespace gpux::protocol
