// The pipeline's lean ring records (gateway/pipeline/records.hpp): what a slot carries is what
// the engine and the codecs read, and a pipeline with tiny rings hands the gateway exactly the
// engine's own output, names included.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "gateway/pipeline/pipeline.hpp"
#include "schemas/codec.hpp"
#include "schemas/reports.hpp"
#include "tests/support/live_orders.hpp"

using namespace gpux;
using namespace gpux::gateway;

namespace {

using Bytes = std::vector<std::uint8_t>;
const char* const kAccounts[] = {"acct-0", "acct-1", "acct-2", "acct-3"};

// Every frame the gateway makes of an event: its execution reports, and a trade's public trade.
std::vector<Bytes> frames_of(const Event& e, std::string_view instrument, std::string_view account,
                             std::string_view counterparty) {
  protocol::ServerEncoder enc;
  std::vector<Bytes> out;
  protocol::execution_reports(enc, e, instrument, account, counterparty,
                              [&](protocol::Audience, std::string_view to, std::span<const std::uint8_t> f) {
                                out.emplace_back(to.begin(), to.end());
                                out.emplace_back(f.begin(), f.end());
                              });
  if (e.type == EventType::trade) {
    const auto f = enc.public_trade(e, instrument);
    out.emplace_back(f.begin(), f.end());
  }
  return out;
}

std::vector<Bytes> frames_of(const Engine& engine, const Event& e) {
  const protocol::ReportNames n = protocol::report_names(engine, e);
  return frames_of(e, n.instrument, n.account, n.counterparty);
}

// A flow over eight daily windows, so that books empty and instrument ids are reused: new
// orders of every kind the slots carry or not, cancels (known, unknown, by order id),
// replaces, mass cancels, halts, kills, risk changes.
class Flow {
 public:
  explicit Flow(std::uint64_t seed) : rng_(seed) {
    for (int day = 2; day < 10; ++day) windows_.push_back({test::live_symbol("H100.MEM1", day), 21000});
  }

  Command next() {
    const unsigned r = static_cast<unsigned>(rng_() % 100);
    const std::string cl = test::live_numbered("c", ++n_);
    Command c;
    if (r < 50 || cls_.empty()) {
      c = test::live_random_new(rng_, cl, windows_[rng_() % windows_.size()]);
      if (r % 7 == 0) c.has_min_qty = true, c.min_qty = 8;
      if (r % 11 == 0) c.has_tif = true, c.tif = Tif::gtd, c.has_expire_ts = true, c.expire_ts = 4'000'000'000'000'000'000;
      if (r % 13 == 0) c.stp = Stp::cancel_both;
      cls_.push_back(cl);
    } else if (r < 75) {
      c = test::live_cancel(r % 5 == 0 ? std::string("nobody") : cls_[rng_() % cls_.size()]);
      if (r % 9 == 0) c.has_cl_id = false, c.has_order_id = true, c.order_id = static_cast<OrderId>(rng_() % (n_ + 5));
    } else if (r < 85) {
      c = test::live_replace(cls_[rng_() % cls_.size()], 21000 + 10 * static_cast<Price>(rng_() % 5), 16, cl);
      cls_.push_back(cl);
    } else if (r < 88) {
      c = make_command(CommandType::mass_cancel, 0, 0);
    } else if (r < 91) {
      c = make_command(rng_() % 2 ? CommandType::halt : CommandType::resume, 0, 0);
      c.has_instrument = true;
      c.instrument.assign(windows_[rng_() % windows_.size()].symbol);
    } else if (r < 93) {
      c = make_command(rng_() % 2 ? CommandType::kill : CommandType::unkill, 0, 0);
    } else if (r < 95) {
      c = make_command(CommandType::risk, 0, 0);
      c.risk_on = false;
    } else {
      c = make_command(CommandType::clock, 0, 0);
    }
    if (cls_.size() > 200) cls_.erase(cls_.begin(), cls_.begin() + 100);
    c.account.assign(kAccounts[rng_() % 4]);
    return c;
  }

 private:
  std::mt19937_64 rng_;
  std::vector<test::LiveInstrument> windows_;
  std::vector<std::string> cls_;
  long n_ = 0;
};

// Every field of a command, for comparing two of them.
auto fields(const Command& c) {
  return std::make_tuple(c.type, c.side, c.order_type, c.tif, c.stp, c.post_only, c.divisible, c.has_tif,
                         c.has_expire_ts, c.has_min_qty, c.has_display_qty, c.has_cl_id, c.has_order_id,
                         c.has_new_cl_id, c.has_instrument, c.has_product, c.seq, c.ts, c.price.present,
                         c.price.valid, c.price.value, c.qty, c.expire_ts, c.min_qty, c.display_qty, c.order_id,
                         std::string(c.account.view()), std::string(c.cl_id.view()),
                         std::string(c.instrument.view()), std::string(c.new_cl_id.view()),
                         std::string(c.product.view()), c.risk_on);
}

}  // namespace

TEST_CASE("records: a slot carries every field its command or event type uses", "[records]") {
  Engine engine(Catalog::builtin());
  EventBuffer events;
  Flow flow(7);
  std::size_t slots = 0, wholes = 0, compact_events = 0, rare_events = 0;
  Ts ts = 1'000'000'000;
  for (int i = 0; i < 4000; ++i) {
    Command c = flow.next();
    const Inbound in{c, 3};
    if (InboundSlot::fits(in)) {
      InboundSlot slot;
      slot.set(c, 3);
      CHECK(slot.session == 3);
      CHECK(fields(slot.get()) == fields(c));
      ++slots;
    } else {
      ++wholes;
    }
    c.seq = i + 1;
    c.ts = ts += 1'000;
    events.clear();
    engine.process(c, events);
    for (const Event& e : events) {
      if (!EventRecord::fits(e)) {
        ++rare_events;
        continue;
      }
      EventRecord r{};  // zeroed only to quiet GCC: set() writes what get() reads for the type
      r.set(e);
      Event back;
      r.get(e.seq, back);
      INFO(to_string(e.type));
      CHECK(frames_of(engine, back) == frames_of(engine, e));
      ++compact_events;
    }
  }
  // The flow reached both paths of both directions.
  CHECK(slots > 1000);
  CHECK(wholes > 500);
  CHECK(compact_events > 2000);
  CHECK(rare_events > 50);
}

TEST_CASE("records: through tiny rings the gateway sees the engine's own output, names included", "[records]") {
  // The same commands through a plain engine and through a pipeline over another, whose rings
  // hold a few items each, so that both sides wait on every ring, names are sent mid-stream,
  // and instrument ids are reused under them.
  Engine direct(Catalog::builtin());
  Engine piped(Catalog::builtin());
  PipelineConfig pc;
  pc.inbound_capacity = 4;
  pc.inbound_whole_capacity = 2;
  pc.outbound_capacity = 4;
  pc.rare_capacity = 2;
  Pipeline p(piped, pc, [] {});
  p.start();

  struct Level {
    Seq seq;
    std::string symbol;
    Side side;
    bool hours;
    Price price;
    Qty qty;
    std::uint32_t orders;
    bool operator==(const Level&) const = default;
  };
  std::vector<Event> events;           // the pipeline's, whole again
  std::vector<std::vector<Bytes>> got;  // their frames, with the names the gateway resolved
  std::vector<Level> levels;
  std::vector<std::string> accounts, symbols;  // as named by NameRecords
  std::size_t answers = 0, instrument_names = 0;
  const auto take = [&](Outbound& o) {
    switch (o.kind) {
      case Outbound::Kind::name: {
        auto& names = o.name.what == NameRecord::What::account ? accounts : symbols;
        instrument_names += o.name.what == NameRecord::What::instrument;
        if (names.size() <= o.name.id) names.resize(o.name.id + 1);
        names[o.name.id] = o.name.text.view();
        return;
      }
      case Outbound::Kind::level:
        levels.push_back({o.seq, symbols.at(o.level.instrument), o.level.side, o.level.hours, o.level.price,
                          o.level.qty, o.level.orders});
        return;
      case Outbound::Kind::event: {
        const EventRecord& r = o.event;
        Event e;
        r.get(o.seq, e);
        const bool named = EventRecord::names_instrument(r.type, r.flags & EventRecord::kHasInstrument);
        got.push_back(frames_of(e, named ? symbols.at(r.instrument) : "",
                                EventRecord::names_account(r.type) ? accounts.at(r.account) : "",
                                r.type == EventType::trade ? accounts.at(r.sell_account) : ""));
        events.push_back(e);
        return;
      }
      case Outbound::Kind::rare:
        if (o.rare->kind != Rare::Kind::event) {
          answers += o.rare->kind == Rare::Kind::orders_end;
          return;
        }
        got.push_back(frames_of(o.rare->event, o.rare->instrument.view(), o.rare->account.view(),
                                o.rare->counterparty.view()));
        events.push_back(o.rare->event);
        return;
    }
  };

  Flow flow(11);
  std::vector<Command> sent;
  std::size_t queries = 0;
  for (int i = 0; i < 3000; ++i) {
    Inbound in{flow.next(), 1};
    if (i % 50 == 49) {
      in.kind = Inbound::Kind::list_orders;
      ++queries;
    } else {
      sent.push_back(in.command);
    }
    while (!p.submit(in)) {
      p.flush_submissions();
      p.drain(take);
    }
    p.flush_submissions();
    if (i % 3 == 0) p.drain(take);
  }
  // A last query's answer follows all the output before it.
  Inbound end{make_command(CommandType::clock, 0, 0), 1, Inbound::Kind::list_orders};
  end.command.account.assign(kAccounts[0]);
  ++queries;
  while (!p.submit(end)) p.drain(take);
  p.flush_submissions();
  while (answers < queries) p.drain(take);
  p.stop();

  // The same commands, with the pipeline's seq and ts, straight into an engine.
  EventBuffer out;
  DepthBuffer depth;
  std::vector<std::vector<Bytes>> want;
  std::vector<Level> want_levels;
  std::size_t next_event = 0;
  Ts ts = 0;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    Command c = sent[i];
    c.seq = static_cast<Seq>(i + 1);
    // The pipeline stamped wall time; take it from its events where there are some.
    if (next_event < events.size() && events[next_event].seq == c.seq) ts = events[next_event].ts;
    c.ts = ts;
    out.clear();
    depth.clear();
    direct.process(c, out, &depth);
    for (const Event& e : out) {
      want.push_back(frames_of(direct, e));
      ++next_event;
    }
    for (const LevelUpdate& u : depth)
      want_levels.push_back({u.seq, std::string(direct.symbol(u.instrument)), u.side, u.hours, u.price, u.qty, u.orders});
  }
  CHECK(answers == queries);
  // More names than the flow's 8 windows: ids were reused for other instruments, and named again.
  CHECK(instrument_names > 8);
  UNSCOPED_INFO("instrument names sent: " << instrument_names);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("event " << i << ": " << to_string(events[i].type) << " seq " << events[i].seq);
    REQUIRE(got[i] == want[i]);
  }
  CHECK(levels == want_levels);
}
