// The gateway's SPSC ring and its wait strategy: single-thread semantics, two-thread stress
// (order, loss, payload integrity), parking without lost wakeups, shutdown, eventfd waiting.
// Catch2 assertions are not thread-safe, so worker threads only record; the test thread checks.
#include <catch2/catch.hpp>

#include "tests/support/watchdog.hpp"
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "engine/command.hpp"
#include "gateway/pipeline/spsc_ring.hpp"
#include "gateway/pipeline/wait.hpp"

using namespace gpux;
using namespace gpux::gateway;
using namespace std::chrono_literals;

namespace {

// Optimised builds move tens of millions of items; sanitizer and debug builds, which run
// several times slower (TSan most), a fraction, to stay within seconds.
#if defined(__SANITIZE_THREAD__)
constexpr std::uint64_t kScaleDown = 10;
#elif !defined(NDEBUG)
constexpr std::uint64_t kScaleDown = 4;
#else
constexpr std::uint64_t kScaleDown = 1;
#endif

using gpux::test::Watchdog;

// Retry loop for tests that exercise the bare ring: spin a little, then let the other thread
// have the core (the machine may have fewer cores than runnable threads).
void back_off(unsigned& failures) {
  if (++failures % 64 == 0)
    std::this_thread::yield();
  else
    cpu_relax();
}

// A policy that parks at the first miss, so every idle moment exercises the sleep/wake race.
constexpr WaitPolicy kParkAtOnce{.spin = 0ns, .yields = 0, .park = true};

// Busy-waits a pseudo-random 0 to 127 pauses (up to a few microseconds), spread roughly
// log-uniformly (a random bound 2^0..2^7, then a count below it): a window a few pauses wide
// is hit about as often near the start of the range as near its end.
void jitter(std::uint64_t& state) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  for (std::uint64_t k = (state >> 3) % (std::uint64_t{1} << (state % 8)); k; --k) cpu_relax();
}

}  // namespace

TEST_CASE("ring: FIFO order, full and empty, wraparound", "[ring]") {
  SpscRing<int> ring(5);
  REQUIRE(ring.capacity() == 8);
  REQUIRE(ring.empty());
  int out = -1;
  REQUIRE_FALSE(ring.try_pop(out));
  REQUIRE(ring.peek() == nullptr);

  for (int i = 0; i < 8; ++i) REQUIRE(ring.try_push(i));
  REQUIRE(ring.full());
  REQUIRE(ring.size() == 8);
  REQUIRE_FALSE(ring.try_push(99));
  for (int i = 0; i < 8; ++i) {
    REQUIRE(ring.try_pop(out));
    REQUIRE(out == i);
  }
  REQUIRE(ring.empty());
  REQUIRE_FALSE(ring.try_pop(out));

  // Uneven bursts in and out, so every slot is head and tail at the wrap point many times.
  int next_in = 0, next_out = 0;
  for (int step = 0; step < 10'000; ++step) {
    for (int k = 0; k < step % 11; ++k) {
      if (!ring.try_emplace(next_in)) {
        REQUIRE(next_in - next_out == 8);
        break;
      }
      ++next_in;
    }
    REQUIRE(ring.size() == static_cast<std::size_t>(next_in - next_out));
    for (int k = 0; k < (step * 7) % 10; ++k) {
      if (!ring.try_pop(out)) {
        REQUIRE(next_in == next_out);
        break;
      }
      REQUIRE(out == next_out++);
    }
  }
  REQUIRE(next_out > 30'000);
}

TEST_CASE("ring: capacities", "[ring]") {
  SpscRing<std::uint64_t, 4> fixed;
  static_assert(sizeof(fixed) == 3 * kFalseSharingRange,
                "a compile-time capacity needs no storage of its own");
  REQUIRE(fixed.capacity() == 4);
  for (std::uint64_t i = 0; i < 4; ++i) REQUIRE(fixed.try_push(i));
  REQUIRE_FALSE(fixed.try_push(4));

  SpscRing<int> one(0);
  REQUIRE(one.capacity() == 1);
  REQUIRE(one.try_push(1));
  REQUIRE(one.full());
  REQUIRE_FALSE(one.try_push(2));
  int out = 0;
  REQUIRE(one.try_pop(out));
  REQUIRE(out == 1);
  REQUIRE(one.try_push(3));

  REQUIRE(SpscRing<int>(1024).capacity() == 1024);
  REQUIRE(SpscRing<int>(1025).capacity() == 2048);
}

TEST_CASE("ring: claim/publish and peek/release work in place, in runs up to the wrap point",
          "[ring]") {
  SpscRing<std::uint64_t> ring(8);
  std::uint64_t out;
  for (int i = 0; i < 6; ++i) REQUIRE(ring.try_push(0));
  for (int i = 0; i < 6; ++i) REQUIRE(ring.try_pop(out));  // head = tail = slot 6

  std::span<std::uint64_t> run = ring.claim(8);
  REQUIRE(run.size() == 2);  // slots 6 and 7, then the wrap
  run[0] = 100;
  run[1] = 101;
  REQUIRE(ring.empty());  // claimed is not yet published
  ring.publish(2);
  REQUIRE(ring.size() == 2);

  run = ring.claim(8);
  REQUIRE(run.size() == 6);  // slots 0..5
  for (std::uint64_t k = 0; k < 6; ++k) run[k] = 102 + k;
  ring.publish(5);  // the last claimed slot stays unpublished, and is claimed again below
  REQUIRE(ring.size() == 7);
  std::uint64_t* last = ring.claim();
  REQUIRE(last == run.data() + 5);
  *last = 107;
  ring.publish();
  REQUIRE(ring.full());
  REQUIRE(ring.claim() == nullptr);
  REQUIRE(ring.claim(4).empty());

  std::span<std::uint64_t> batch = ring.peek(8);
  REQUIRE(batch.size() == 2);
  REQUIRE(batch[0] == 100);
  REQUIRE(batch[1] == 101);
  ring.release(2);
  batch = ring.peek(100);
  REQUIRE(batch.size() == 6);
  for (std::uint64_t k = 0; k < 6; ++k) REQUIRE(batch[k] == 102 + k);
  ring.release(3);
  REQUIRE(ring.size() == 3);
  REQUIRE(*ring.peek() == 105);
  ring.release();
  REQUIRE(ring.peek(2).size() == 2);
}

TEST_CASE("ring: consume drains across the wrap point, up to a limit", "[ring]") {
  SpscRing<std::uint64_t> ring(8);
  std::uint64_t out;
  for (int i = 0; i < 6; ++i) REQUIRE(ring.try_push(0));
  for (int i = 0; i < 6; ++i) REQUIRE(ring.try_pop(out));
  for (std::uint64_t i = 0; i < 8; ++i) REQUIRE(ring.try_push(i));  // slots 6, 7, 0..5

  std::uint64_t expected = 0;
  bool in_order = true;
  auto check = [&](std::uint64_t& v) { in_order = in_order && v == expected++; };
  REQUIRE(ring.consume(check, 5) == 5);
  REQUIRE(ring.size() == 3);
  REQUIRE(ring.consume(check) == 3);
  REQUIRE(in_order);
  REQUIRE(expected == 8);
  REQUIRE(ring.empty());
  REQUIRE(ring.consume(check) == 0);
  REQUIRE(ring.claim(8).size() == 2);  // every slot is free again; the run stops at the wrap
}

TEST_CASE("ring: items that own resources are moved, destroyed once, never leaked", "[ring]") {
  struct Tracked {
    std::unique_ptr<std::string> text;
    int* live;
    Tracked(std::string s, int* l) : text(std::make_unique<std::string>(std::move(s))), live(l) {
      ++*live;
    }
    Tracked(Tracked&& o) noexcept : text(std::move(o.text)), live(o.live) { ++*live; }
    Tracked& operator=(Tracked&& o) noexcept {
      text = std::move(o.text);
      return *this;
    }
    ~Tracked() { --*live; }
  };
  int live = 0;
  {
    SpscRing<Tracked> ring(4);
    for (int i = 0; i < 4; ++i) REQUIRE(ring.try_emplace("item " + std::to_string(i), &live));
    REQUIRE(live == 4);

    Tracked refused("refused", &live);
    REQUIRE_FALSE(ring.try_push(std::move(refused)));
    REQUIRE(refused.text != nullptr);  // a failed push leaves its argument untouched

    Tracked out("", &live);
    REQUIRE(ring.try_pop(out));
    REQUIRE(*out.text == "item 0");
    REQUIRE(live == 5);  // 3 in the ring + refused + out

    REQUIRE(ring.peek()->text != nullptr);
    REQUIRE(*ring.peek()->text == "item 1");
    ring.release();
    REQUIRE(live == 4);

    std::string seen;
    REQUIRE(ring.consume([&](Tracked& t) { seen = *t.text; }, 1) == 1);
    REQUIRE(seen == "item 2");
    REQUIRE(live == 3);
    REQUIRE(ring.try_emplace("item 4", &live));
    REQUIRE(ring.try_push(std::move(refused)));
    REQUIRE(live == 5);  // refused, out, and 3 in the ring: the ring's destructor frees those
  }
  REQUIRE(live == 0);
}

TEST_CASE("ring: two threads move tens of millions of sequence numbers in order", "[ring]") {
  // A small ring is full or empty most of the time (the cached indices are reloaded
  // constantly); a large one rarely is. Both sides mix every API.
  const auto config = GENERATE(table<std::size_t, std::uint64_t>({
      {16, 1'000'000 / kScaleDown},
      {4096, 24'000'000 / kScaleDown},
  }));
  const std::size_t capacity = std::get<0>(config);
  const std::uint64_t count = std::get<1>(config);
  CAPTURE(capacity, count);
  SpscRing<std::uint64_t> ring(capacity);

  std::thread producer([&] {
    unsigned failures = 0;
    std::uint64_t next = 0;
    while (next < count) {
      if (next % 3 == 0) {
        std::span<std::uint64_t> run = ring.claim(std::min<std::uint64_t>(count - next, 37));
        for (std::uint64_t& slot : run) slot = next++;
        if (run.empty())
          back_off(failures);
        else
          ring.publish(run.size());
      } else if (ring.try_push(next)) {
        ++next;
      } else {
        back_off(failures);
      }
    }
  });

  std::uint64_t expected = 0, mismatches = 0;
  unsigned failures = 0;
  auto check = [&](std::uint64_t v) { mismatches += v != expected++; };
  while (expected < count) {
    std::uint64_t v;
    switch (expected % 3) {
      case 0:
        if (ring.try_pop(v)) {
          check(v);
          continue;
        }
        break;
      case 1: {
        std::span<std::uint64_t> batch = ring.peek(29);
        for (std::uint64_t x : batch) check(x);
        ring.release(batch.size());
        if (!batch.empty()) continue;
        break;
      }
      default:
        if (ring.consume([&](std::uint64_t& x) { check(x); }, 53)) continue;
    }
    back_off(failures);
  }
  producer.join();
  REQUIRE(mismatches == 0);
  REQUIRE(expected == count);
  REQUIRE(ring.empty());
}

namespace {

// `prefix` followed by the decimal digits of `i`, without allocating.
struct Tag {
  char text[96];
  std::size_t len;
  Tag(std::string_view prefix, std::uint64_t i) {
    std::memcpy(text, prefix.data(), prefix.size());
    len = static_cast<std::size_t>(
        std::to_chars(text + prefix.size(), text + sizeof text, i).ptr - text);
  }
  std::string_view view() const { return {text, len}; }
};

// Every field of an engine command derived from `i`, so a torn or stale slot shows.
void fill(Command& c, std::uint64_t i) {
  c.type = static_cast<CommandType>(i % 9);
  c.side = static_cast<Side>(i % 2);
  c.has_cl_id = i % 3 == 0;
  c.seq = static_cast<Seq>(i);
  c.ts = static_cast<Ts>(i * 1'000 + 7);
  c.price = {true, i % 5 != 0, static_cast<Price>(i * 13)};
  c.qty = static_cast<Qty>(i ^ 0x5555);
  c.order_id = static_cast<OrderId>(~i);
  c.account.assign(Tag("acct-", i).view());
  c.cl_id.assign(Tag("cl-", i * 7919).view());
  c.instrument.assign(Tag("H100.MEM1@2026-12-01T00Z+24h#", i).view());
  c.product.assign(Tag("", i).view());
}

bool intact(const Command& c, std::uint64_t i) {
  return c.type == static_cast<CommandType>(i % 9) && c.side == static_cast<Side>(i % 2) &&
         c.has_cl_id == (i % 3 == 0) && c.seq == static_cast<Seq>(i) &&
         c.ts == static_cast<Ts>(i * 1'000 + 7) && c.price.present &&
         c.price.valid == (i % 5 != 0) && c.price.value == static_cast<Price>(i * 13) &&
         c.qty == static_cast<Qty>(i ^ 0x5555) && c.order_id == static_cast<OrderId>(~i) &&
         c.account.view() == Tag("acct-", i).view() &&
         c.cl_id.view() == Tag("cl-", i * 7919).view() &&
         c.instrument.view() == Tag("H100.MEM1@2026-12-01T00Z+24h#", i).view() &&
         c.product.view() == Tag("", i).view();
}

}  // namespace

TEST_CASE("ring: engine commands (328 bytes) cross intact, written and read in place",
          "[ring]") {
  static_assert(sizeof(Command) > 300);
  const std::uint64_t count = 1'000'000 / kScaleDown;
  SpscRing<Command> ring(256);

  std::thread producer([&] {
    unsigned failures = 0;
    Command staged{};
    for (std::uint64_t i = 0; i < count;) {
      if (i % 2 == 0) {
        if (Command* slot = ring.claim()) {
          fill(*slot, i++);
          ring.publish();
          continue;
        }
      } else {
        fill(staged, i);
        if (ring.try_push(staged)) {
          ++i;
          continue;
        }
      }
      back_off(failures);
    }
  });

  std::uint64_t expected = 0, damaged = 0;
  unsigned failures = 0;
  while (expected < count) {
    if (expected % 2 == 0) {
      if (const Command* c = ring.peek()) {
        damaged += !intact(*c, expected++);
        ring.release();
        continue;
      }
    } else if (ring.consume([&](const Command& c) { damaged += !intact(c, expected++); }, 16)) {
      continue;
    }
    back_off(failures);
  }
  producer.join();
  REQUIRE(damaged == 0);
  REQUIRE(expected == count);
}

TEST_CASE("wait: a parked consumer is woken every time, never lost", "[ring]") {
  // Ping-pong over two rings with both sides parking at the first miss; every few steps a side
  // sleeps, so the other is surely parked.
  const Doorbell::Mode mode = GENERATE(Doorbell::Mode::futex, Doorbell::Mode::eventfd);
  CAPTURE(mode == Doorbell::Mode::futex ? "futex" : "eventfd");
  const std::uint64_t round_trips = 20'000 / kScaleDown;

  SpscRing<std::uint64_t> ping(64), pong(64);
  Doorbell ping_bell(mode), pong_bell(mode);
  Watchdog watchdog(60s, [&] {
    ping_bell.close();
    pong_bell.close();
  });

  std::uint64_t echoed = 0, echo_errors = 0, echo_sleeps = 0;
  std::thread echo([&] {
    auto sleeps = [] {  // every park that really slept is a voluntary context switch
      rusage u{};
      getrusage(RUSAGE_THREAD, &u);
      return static_cast<std::uint64_t>(u.ru_nvcsw);
    };
    const std::uint64_t sleeps_before = sleeps();
    std::uint64_t v;
    while (wait_until(ping_bell, kParkAtOnce, [&] { return !ping.empty(); })) {
      while (ping.try_pop(v)) {
        echo_errors += v != echoed++;
        if (v % 97 == 0) std::this_thread::sleep_for(50us);
        while (!pong.try_push(v)) std::this_thread::yield();
        pong_bell.notify();
      }
    }
    echo_sleeps = sleeps() - sleeps_before;
  });

  std::uint64_t returned = 0, errors = 0;
  for (std::uint64_t i = 0; i < round_trips; ++i) {
    if (i % 89 == 0) std::this_thread::sleep_for(50us);
    errors += !ping.try_push(i);  // one item in flight: never full
    ping_bell.notify();
    if (!wait_until(pong_bell, kParkAtOnce, [&] { return !pong.empty(); })) break;
    std::uint64_t v = 0;
    errors += !pong.try_pop(v) || v != i;
    ++returned;
  }
  ping_bell.close();
  echo.join();
  REQUIRE_FALSE(watchdog.fired());
  REQUIRE(returned == round_trips);
  REQUIRE(echoed == round_trips);
  REQUIRE(errors == 0);
  REQUIRE(echo_errors == 0);
  // Its own pauses, plus at least one park during each of the initiator's.
  CHECK(echo_sleeps > round_trips / 97 + round_trips / 89);
}

TEST_CASE("wait: a push right after any look at the ring is never slept through", "[ring]") {
  // Deterministic, one thread: the waiter's condition itself plays the producer, pushing and
  // notifying just after its k-th look found the ring empty. For some k that is between the
  // last poll and arm(), for another between the re-check and the sleep. Each must return
  // at once; a protocol that missed either would sleep until the watchdog closes the bell.
  const Doorbell::Mode mode = GENERATE(Doorbell::Mode::futex, Doorbell::Mode::eventfd);
  CAPTURE(mode == Doorbell::Mode::futex ? "futex" : "eventfd");
  std::deque<Doorbell> bells;  // one per wait, all alive until the watchdog is gone
  std::atomic<Doorbell*> current{nullptr};
  Watchdog watchdog(20s, [&] { current.load()->close(); });

  // How many looks come before the first sleep: counted by a helper that lets the waiter fall
  // asleep, then wakes it.
  int looks_before_sleep = 0;
  {
    SpscRing<int> ring(4);
    Doorbell& bell = bells.emplace_back(mode);
    current = &bell;
    std::atomic<int> looks{0};
    std::thread helper([&] {
      std::this_thread::sleep_for(50ms);
      looks_before_sleep = looks;
      ring.try_push(0);
      bell.notify();
    });
    wait_until(bell, kParkAtOnce, [&] {
      ++looks;
      return !ring.empty();
    });
    helper.join();
  }
  REQUIRE(looks_before_sleep >= 2);  // at least one poll, and the re-check after arm()

  for (int k = 0; k < looks_before_sleep; ++k) {
    SpscRing<int> ring(4);
    Doorbell& bell = bells.emplace_back(mode);
    current = &bell;
    int looks = 0;
    const bool ready = wait_until(bell, kParkAtOnce, [&] {
      if (!ring.empty()) return true;
      if (looks++ == k) {
        ring.try_push(k);
        bell.notify();
      }
      return false;
    });
    CAPTURE(k, looks_before_sleep);
    REQUIRE_FALSE(watchdog.fired());
    REQUIRE(ready);
  }
}

TEST_CASE("wait: a notify is never lost, whatever point of the wait it lands on", "[ring]") {
  // Each round the waiter acknowledges the last item and at once waits for the next; the
  // notifier, spinning on the acknowledgement, pushes after a random delay. So the pushes land
  // uniformly over the waiter's polling, arming, re-check and sleep, including the few
  // nanoseconds between its last look at the ring and arm(), where a broken protocol (say,
  // without the re-check) loses the wakeup and this test hangs until the watchdog.
  const Doorbell::Mode mode = GENERATE(Doorbell::Mode::futex, Doorbell::Mode::eventfd);
  CAPTURE(mode == Doorbell::Mode::futex ? "futex" : "eventfd");
  const std::uint64_t rounds = 40'000 / kScaleDown;
  SpscRing<std::uint64_t> ring(4);
  Doorbell bell(mode);
  std::atomic<std::uint64_t> acknowledged{0};
  std::atomic<bool> stop{false};
  Watchdog watchdog(30s, [&] {
    stop = true;
    bell.close();
  });

  std::uint64_t errors = 0;
  std::thread waiter([&] {
    std::uint64_t v = 0;
    for (std::uint64_t i = 0; i < rounds; ++i) {
      if (!wait_until(bell, kParkAtOnce, [&] { return !ring.empty(); })) return;
      errors += !ring.try_pop(v) || v != i;
      acknowledged.store(i + 1, std::memory_order_release);
    }
  });
  std::uint64_t random = 0x9e3779b97f4a7c15;
  for (std::uint64_t i = 0; i < rounds && !stop; ++i) {
    while (acknowledged.load(std::memory_order_acquire) != i && !stop) cpu_relax();
    jitter(random);
    ring.try_push(i);
    bell.notify();
  }
  waiter.join();
  REQUIRE_FALSE(watchdog.fired());
  REQUIRE(acknowledged == rounds);
  REQUIRE(errors == 0);
}

TEST_CASE("wait: an idle consumer sleeps without using the CPU, and wakes for work", "[ring]") {
  const Doorbell::Mode mode = GENERATE(Doorbell::Mode::futex, Doorbell::Mode::eventfd);
  SpscRing<std::uint64_t> ring(8);
  Doorbell bell(mode);
  Watchdog watchdog(30s, [&] { bell.close(); });

  std::atomic<int> received{0};
  std::thread consumer([&] {
    std::uint64_t v;
    while (wait_until(bell, WaitPolicy{}, [&] { return !ring.empty(); }))
      while (ring.try_pop(v)) received.fetch_add(1, std::memory_order_release);
  });
  clockid_t cpu_clock;
  REQUIRE(pthread_getcpuclockid(consumer.native_handle(), &cpu_clock) == 0);
  auto cpu_time = [&] {
    timespec t{};
    clock_gettime(cpu_clock, &t);
    return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
  };

  for (int round = 0; round < 2; ++round) {
    std::this_thread::sleep_for(20ms);  // far past the spin and yield phases
    const auto before = cpu_time();
    std::this_thread::sleep_for(100ms);
    const auto used = cpu_time() - before;
    CAPTURE(round, std::chrono::duration_cast<std::chrono::microseconds>(used).count());
    CHECK(used < 10ms);  // a spinning consumer would use all 100 ms

    REQUIRE(ring.try_push(round));
    bell.notify();
    while (received.load(std::memory_order_acquire) != round + 1 && !watchdog.fired())
      std::this_thread::sleep_for(100us);
  }
  bell.close();
  consumer.join();
  REQUIRE_FALSE(watchdog.fired());
  REQUIRE(received == 2);
}

TEST_CASE("wait: close wakes a parked waiter, which drains what is left and stops", "[ring]") {
  const Doorbell::Mode mode = GENERATE(Doorbell::Mode::futex, Doorbell::Mode::eventfd);
  SpscRing<int> ring(8);
  Doorbell bell(mode);
  // close() is what is under test, so the rescue can only try it again, then abort.
  Watchdog watchdog(10s, [&] { bell.close(); });

  std::atomic<bool> woke{false};
  bool ready_reported = true;
  std::thread consumer([&] {
    ready_reported = wait_until(bell, WaitPolicy{}, [&] { return !ring.empty(); });
    woke = true;
  });
  std::this_thread::sleep_for(50ms);  // parked by now
  const bool woke_early = woke;
  bell.close();
  consumer.join();
  REQUIRE_FALSE(watchdog.fired());
  REQUIRE_FALSE(woke_early);
  REQUIRE_FALSE(ready_reported);

  // Once closed, waiting still reports work that is there, then stops instead of parking.
  REQUIRE(ring.try_push(1));
  REQUIRE(wait_until(bell, kParkAtOnce, [&] { return !ring.empty(); }));
  int v;
  REQUIRE(ring.try_pop(v));
  REQUIRE_FALSE(wait_until(bell, kParkAtOnce, [&] { return !ring.empty(); }));
  REQUIRE_FALSE(bell.arm());
  bell.close();  // idempotent
  REQUIRE(bell.closed());
}

TEST_CASE("wait: a blocked producer parks on a full ring and resumes as space frees", "[ring]") {
  const std::uint64_t count = 200'000 / kScaleDown;
  SpscRing<std::uint64_t> ring(8);
  Doorbell items, space;
  Watchdog watchdog(60s, [&] {
    items.close();
    space.close();
  });

  std::uint64_t pushed = 0;
  std::thread producer([&] {
    for (std::uint64_t i = 0; i < count; ++i) {
      if (!push_wait(ring, space, kParkAtOnce, i)) return;
      items.notify();
      ++pushed;
    }
  });

  std::uint64_t expected = 0, errors = 0;
  while (expected < count &&
         wait_until(items, kParkAtOnce, [&] { return !ring.empty(); })) {
    if (expected % 1'000 == 0) std::this_thread::sleep_for(200us);  // the producer fills up
    ring.consume([&](std::uint64_t v) { errors += v != expected++; }, 3);
    space.notify();
  }
  producer.join();
  REQUIRE_FALSE(watchdog.fired());
  REQUIRE(pushed == count);
  REQUIRE(expected == count);
  REQUIRE(errors == 0);

  // Full, and the space doorbell closed: the blocking push gives up instead of waiting.
  for (int i = 0; i < 8; ++i) REQUIRE(ring.try_push(i));
  space.close();
  REQUIRE_FALSE(push_wait(ring, space, kParkAtOnce, 8));
}

TEST_CASE("wait: an event loop can watch the doorbell's eventfd with its other fds", "[ring]") {
  // The consumer polls the doorbell together with another fd, as an io_uring or epoll thread
  // would: arm, re-check the ring, poll, read the eventfd to reset it, disarm.
  const std::uint64_t count = 20'000 / kScaleDown;
  SpscRing<std::uint64_t> ring(64);
  Doorbell bell(Doorbell::Mode::eventfd);
  REQUIRE(bell.fd() >= 0);
  int other[2];
  REQUIRE(pipe(other) == 0);
  Watchdog watchdog(60s, [&] { bell.close(); });

  std::uint64_t received = 0, errors = 0, polls = 0;
  std::thread consumer([&] {
    std::uint64_t v;
    for (;;) {
      while (ring.try_pop(v)) errors += v != received++;
      if (!bell.arm()) {
        while (ring.try_pop(v)) errors += v != received++;
        return;
      }
      if (!ring.empty()) {
        bell.disarm();
        continue;
      }
      pollfd fds[2] = {{bell.fd(), POLLIN, 0}, {other[0], POLLIN, 0}};
      ++polls;
      ::poll(fds, 2, -1);
      if (fds[0].revents & POLLIN) {
        std::uint64_t n;
        [[maybe_unused]] ssize_t r = ::read(bell.fd(), &n, sizeof n);
      }
      bell.disarm();
    }
  });

  for (std::uint64_t i = 0; i < count; ++i) {
    if (i % 16 == 0) std::this_thread::sleep_for(20us);
    while (!ring.try_push(i)) std::this_thread::yield();
    bell.notify();
  }
  bell.close();
  consumer.join();
  ::close(other[0]);
  ::close(other[1]);
  REQUIRE_FALSE(watchdog.fired());
  REQUIRE(received == count);
  REQUIRE(errors == 0);
  REQUIRE(polls > 0);
}
