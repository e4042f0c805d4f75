// The whole server over loopback, on every backend (tests/support/gateway_client.hpp): framing.
// Malformed frames are refused and close only their own connection; frames split into 1-byte
// writes or merged into one write are all read.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <span>
#include <thread>
#include <vector>

#include "tests/support/gateway_client.hpp"

using namespace gpux;
using namespace gpux::gateway;
using namespace gpux::protocol;
using namespace gpux::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

// A frame with a hand-made envelope: any body type, any table.
Bytes raw_frame(std::span<const std::uint8_t> envelope) {
  Bytes out(kFrameHeader + envelope.size());
  const auto n = static_cast<std::uint32_t>(envelope.size());
  out[0] = static_cast<std::uint8_t>(n);
  out[1] = static_cast<std::uint8_t>(n >> 8);
  out[2] = static_cast<std::uint8_t>(n >> 16);
  out[3] = static_cast<std::uint8_t>(n >> 24);
  std::copy(envelope.begin(), envelope.end(), out.begin() + kFrameHeader);
  return out;
}

Bytes header(std::uint32_t n) {
  return {static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n >> 16),
          static_cast<std::uint8_t>(n >> 24)};
}

template <class Make>
Bytes envelope_frame(Make make) {
  flatbuffers::FlatBufferBuilder fbb;
  const auto env = make(fbb);
  fbb.Finish(env, wire::EnvelopeIdentifier());
  return raw_frame({fbb.GetBufferPointer(), fbb.GetSize()});
}

}  // namespace

// ==== malformed frames =======================================================================

TEST_CASE("gateway: malformed frames are refused and close only their own connection", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client m = server.login("maker-1");
  Client sub = server.login("lab-z");
  subscribe(sub);
  place(m, limit("before", Side::buy, 21000, 8));
  sub.expect<wire::BookUpdate>();

  std::mt19937 rng(1234);
  auto random_bytes = [&](std::size_t n) {
    Bytes b(n);
    for (auto& v : b) v = static_cast<std::uint8_t>(rng());
    return b;
  };
  ClientEncoder enc;
  auto valid_login = [&] {
    const auto f = enc.login("lab-x", "demo");
    return Bytes(f.begin(), f.end());
  };

  struct Case {
    const char* name;
    Bytes bytes;
    wire::Reason reason;
  };
  std::vector<Case> cases;
  {
    Bytes body = random_bytes(64);
    body[4] = 'Z';  // whatever else, not "GPUX"
    cases.push_back({"random bytes after a valid header", raw_frame(body), wire::Reason::wrong_identifier});
  }
  {
    Bytes junk = random_bytes(32);
    junk[3] = 0xA5;  // the "length" is far above the limit
    cases.push_back({"random bytes from the first byte", junk, wire::Reason::too_large});
  }
  {
    Bytes f = valid_login();
    REQUIRE(f.size() > kFrameHeader + 8);
    f[kFrameHeader + 4] = 'X';  // "XPUX"
    f[kFrameHeader + 5] = 'P';
    cases.push_back({"a wrong file identifier", f, wire::Reason::wrong_identifier});
  }
  {
    Bytes body = random_bytes(48);
    const std::uint32_t root = 0x7FFFFF00;  // the root table lies far outside the buffer
    std::memcpy(body.data(), &root, 4);
    std::memcpy(body.data() + 4, "GPUX", 4);
    cases.push_back({"the identifier, then garbage", raw_frame(body), wire::Reason::malformed});
  }
  cases.push_back({"an unknown union type", envelope_frame([](flatbuffers::FlatBufferBuilder& fbb) {
                     const auto hb = wire::CreateHeartbeat(fbb);
                     return wire::CreateEnvelope(fbb, static_cast<wire::Body>(200), hb.Union());
                   }),
                   wire::Reason::unknown_message});
  cases.push_back({"a server-to-client message", envelope_frame([](flatbuffers::FlatBufferBuilder& fbb) {
                     const auto fill = wire::CreateFill(fbb, 1, 2, 1, 5);
                     return wire::CreateEnvelope(fbb, wire::Body::Fill, fill.Union());
                   }),
                   wire::Reason::unknown_message});
  cases.push_back({"a NONE body", envelope_frame([](flatbuffers::FlatBufferBuilder& fbb) {
                     return wire::CreateEnvelope(fbb, wire::Body::NONE, 0);
                   }),
                   wire::Reason::unknown_message});
  {
    Bytes f = header(kMaxClientFrame + 1);
    const Bytes tail = random_bytes(16);
    f.insert(f.end(), tail.begin(), tail.end());
    cases.push_back({"a length header just above the limit", f, wire::Reason::too_large});
  }
  cases.push_back({"a length header of 4 GiB", header(0xFFFFFFFF), wire::Reason::too_large});
  cases.push_back({"a length header of 0", header(0), wire::Reason::too_large});
  {
    const auto f = enc.login("bad name!", "demo");
    cases.push_back({"a login whose account breaks the syntax", Bytes(f.begin(), f.end()), wire::Reason::bad_field});
  }
  {
    Command c = limit("x", Side::buy, 21000, 8);
    c.cl_id.assign("");
    const auto f = enc.command(c);
    cases.push_back({"an order with an empty cl_id", Bytes(f.begin(), f.end()), wire::Reason::bad_field});
  }

  for (bool logged_in : {false, true}) {
    for (const Case& c : cases) {
      CAPTURE(c.name, logged_in);
      Client bad = logged_in ? server.relogin("lab-x") : server.connect();
      REQUIRE(bad.write(c.bytes));
      expect_reject_then_close(bad, c.reason);
    }
  }

  {
    INFO("in one write: a valid order, a bad frame, another order: the first is acted on, the last ignored");
    Client bad = server.relogin("lab-x");
    Bytes out;
    auto f = bad.enc.command(limit("pre", Side::buy, 20500, 8));
    out.insert(out.end(), f.begin(), f.end());
    const Bytes zero = header(0);
    out.insert(out.end(), zero.begin(), zero.end());
    f = bad.enc.command(limit("post", Side::buy, 20600, 8));
    out.insert(out.end(), f.begin(), f.end());
    REQUIRE(bad.write(out));
    // The reject goes out at once, ahead of "pre"'s report, which is still in the engine and
    // is lost with the connection; the book shows that "pre" was acted on.
    expect_reject_then_close(bad, wire::Reason::too_large);
    const auto u = sub.expect<wire::BookUpdate>();
    CHECK(u->level()->price() == 20500);
  }
  {
    INFO("a truncated frame, then the client closes");
    Client bad = server.connect();
    const Bytes f = valid_login();
    REQUIRE(bad.write(std::span(f).first(f.size() - 3)));
    std::this_thread::sleep_for(20ms);
    bad.close();
  }
  {
    INFO("a truncated frame, then the client half-closes: the server closes, silently");
    Client bad = server.relogin("lab-x");
    const auto f = bad.enc.command(limit("half", Side::buy, 20000, 8));
    REQUIRE(bad.write(f.first(10)));
    bad.shutdown_write();
    bad.expect_closed();
  }

  // The other sessions noticed nothing and still work.
  m.expect_quiet(20ms);
  sub.expect_quiet(1ms);
  place(m, limit("after", Side::buy, 21010, 8));
  const auto u = sub.expect<wire::BookUpdate>();
  CHECK(u->level()->price() == 21010);
  // "before", "pre" and "after"; "post", "half" and the rest never reached the book.
  const L2 book = L2::of(*subscribe(sub));
  INFO(book.str());
  CHECK(book.bids.size() == 3);
  CHECK(book.bids.count(20600) == 0);
}

TEST_CASE("gateway: frames split into 1-byte writes and merged into one write", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client c = server.connect();

  auto dribble = [&](std::span<const std::uint8_t> f) {
    for (std::size_t i = 0; i < f.size(); ++i) {
      REQUIRE(c.write(f.subspan(i, 1)));
      if (i % 8 == 7) std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
  };
  {
    const auto login = c.enc.login("lab-x", "demo");
    dribble(Bytes(login.begin(), login.end()));
  }
  CHECK(sv(c.expect<wire::LoginAccepted>()->account()) == "lab-x");
  {
    const auto f = c.enc.command(limit("slow", Side::buy, 21000, 8));
    dribble(Bytes(f.begin(), f.end()));
  }
  const auto a = c.expect<wire::Accepted>();
  CHECK(sv(a->cl_id()) == "slow");
  CHECK(a->price() == 21000);

  // Three frames in one write, the last one split across two writes.
  Bytes batch;
  for (const char* cl : {"one", "two", "three"}) {
    const auto f = c.enc.command(limit(cl, Side::buy, 20000, 8));
    batch.insert(batch.end(), f.begin(), f.end());
  }
  REQUIRE(c.write(std::span(batch).first(batch.size() - 5)));
  std::this_thread::sleep_for(20ms);
  REQUIRE(c.write(std::span(batch).last(5)));
  for (const char* cl : {"one", "two", "three"}) CHECK(sv(c.expect<wire::Accepted>()->cl_id()) == cl);
}
