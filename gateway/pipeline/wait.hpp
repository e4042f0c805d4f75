// Waiting for a ring without burning a core: spin briefly, yield, then park on a futex or an
// eventfd until the other side rings a Doorbell. See gateway/README.md, "Rings and waiting",
// for the protocol and why it cannot lose a wakeup.
#pragma once

#include <linux/futex.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <system_error>
#include <thread>
#include <utility>

#include "gateway/pipeline/spsc_ring.hpp"

namespace gpux::gateway {

// Tells the core (and an SMT sibling) that this is a spin loop: less power, no memory-order
// mis-speculation penalty when the awaited line finally changes.
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

// How a thread that finds nothing to do waits: `spin` of pause-instruction polling (a wakeup
// costs tens of microseconds on a VM, so work that arrives this soon is better caught awake),
// then `yields` rounds of sched_yield (lets a thread sharing the core run), then, if `park`,
// sleep until the Doorbell is rung. park = false spins and yields forever: for dedicated cores.
struct WaitPolicy {
  std::chrono::nanoseconds spin = std::chrono::microseconds(10);
  int yields = 2;
  bool park = true;
};

// The wakeup channel of one waiting thread (the consumer of one or more rings, or a producer
// blocked on a full ring), rung by any number of notifying threads. One 32-bit word holds
// `armed` (the waiter is about to sleep or asleep) and `closed` (shutdown: waiting ends for
// good). Parking is a futex wait on that word, or in eventfd mode a read of an eventfd, which an
// io_uring or epoll loop can instead watch together with its other file descriptors.
class alignas(kFalseSharingRange) Doorbell {
 public:
  enum class Mode { futex, eventfd };

  explicit Doorbell(Mode mode = Mode::futex)
      : fd_(mode == Mode::eventfd ? ::eventfd(0, EFD_CLOEXEC) : -1) {
    if (mode == Mode::eventfd && fd_ < 0)
      throw std::system_error(errno, std::system_category(), "eventfd");
  }
  ~Doorbell() {
    if (fd_ >= 0) ::close(fd_);
  }
  Doorbell(const Doorbell&) = delete;
  Doorbell& operator=(const Doorbell&) = delete;

  // ---- notifiers ----

  // Call after publishing (once per batch is enough). One locked instruction on a line only
  // notifiers write while the waiter is awake; a syscall only when the waiter has armed.
  void notify() noexcept {
    // A read-modify-write rather than a load, because RMWs of one word are totally ordered:
    // either this one follows the waiter's arm() and sees `armed`, or it precedes it, and then
    // arm() synchronizes with it, so the waiter's re-check sees what was published before this
    // call. Clearing the bit makes one notifier pay for the wakeup, and makes a futex wait
    // that has not started yet return at once instead of sleeping.
    if (state_.fetch_and(~kArmed, std::memory_order_acq_rel) & kArmed) [[unlikely]] wake(1);
  }

  // Ends waiting for good: a sleeping waiter wakes, arm() fails from now on, wait_until
  // returns false once its condition is not met. Idempotent; any thread.
  void close() noexcept {
    state_.fetch_or(kClosed, std::memory_order_acq_rel);
    wake(INT_MAX);
  }
  bool closed() const noexcept { return state_.load(std::memory_order_acquire) & kClosed; }

  // ---- the waiter ----
  // Parking by hand (what wait_until does):  if (arm()) { if (work) disarm(); else sleep(); }
  // In an event loop, instead of sleep(): watch fd() for reading (an io_uring read of its 8
  // bytes both waits and resets it), and call disarm() when the loop wakes, for any reason.

  // Announces that the waiter is about to sleep; false (and not armed) once closed. The caller
  // must then look for work again before sleeping: that re-check is what a notify() racing
  // with this call is guaranteed to be visible to.
  bool arm() noexcept {
    const std::uint32_t prev = state_.fetch_or(kArmed, std::memory_order_acq_rel);
    if (prev & kClosed) {
      disarm();
      return false;
    }
    return true;
  }
  void disarm() noexcept { state_.fetch_and(~kArmed, std::memory_order_acq_rel); }

  // Blocks until notify() or close() (or a signal, or spuriously: callers re-check), then
  // disarms. Only after arm() returned true.
  void sleep() noexcept {
    if (fd_ >= 0) {
      std::uint64_t count;
      [[maybe_unused]] ssize_t r = ::read(fd_, &count, sizeof count);
    } else {
      // Sleeps only if the word is still exactly `armed`: a notify() or close() that came first
      // has changed it, so nothing between arm() and here can be missed.
      ::syscall(SYS_futex, futex_word(), FUTEX_WAIT_PRIVATE, kArmed, nullptr, nullptr, 0);
    }
    disarm();
  }

  // The eventfd in eventfd mode (readable after a notify or close), -1 in futex mode.
  int fd() const noexcept { return fd_; }

 private:
  static constexpr std::uint32_t kArmed = 1;
  static constexpr std::uint32_t kClosed = 2;

  static_assert(std::atomic<std::uint32_t>::is_always_lock_free &&
                sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
  std::uint32_t* futex_word() noexcept { return reinterpret_cast<std::uint32_t*>(&state_); }

  void wake(int waiters) noexcept {
    if (fd_ >= 0) {
      const std::uint64_t one = 1;
      [[maybe_unused]] ssize_t r = ::write(fd_, &one, sizeof one);
    } else {
      ::syscall(SYS_futex, futex_word(), FUTEX_WAKE_PRIVATE, waiters, nullptr, nullptr, 0);
    }
  }

  std::atomic<std::uint32_t> state_{0};
  const int fd_;
};

// Waits until `ready()` is true, following `policy`; `ready` must observe what the notifiers of
// `bell` publish (e.g. !ring.empty() for a consumer, !ring.full() for a producer). True when
// ready; false when `bell` was closed and `ready()` is still false.
template <class Ready>
bool wait_until(Doorbell& bell, const WaitPolicy& policy, Ready&& ready) {
  using Clock = std::chrono::steady_clock;
  // Pauses between clock reads: a read is ~20 ns, a pause 10–150 cycles depending on the core.
  constexpr int kPausesPerClockRead = 8;
  for (;;) {
    const Clock::time_point spin_end = Clock::now() + policy.spin;
    do {
      for (int i = 0; i < kPausesPerClockRead; ++i) {
        if (ready()) return true;
        cpu_relax();
      }
    } while (Clock::now() < spin_end);
    for (int i = 0; i < policy.yields; ++i) {
      std::this_thread::yield();
      if (ready()) return true;
    }
    if (policy.park && bell.arm()) {
      if (ready()) {
        bell.disarm();
        return true;
      }
      bell.sleep();
    }
    if (bell.closed()) return ready();
  }
}

// Pushes onto `ring`, waiting on `space` while it is full: the blocking-producer variant of
// try_emplace, for callers that would rather stall than shed load. The consumer must
// space.notify() after it frees slots. False only if `space` was closed while the ring was full.
template <class T, std::size_t Capacity, class... Args>
bool push_wait(SpscRing<T, Capacity>& ring, Doorbell& space, const WaitPolicy& policy,
               Args&&... args) {
  // Forwarding on every attempt is safe: a failed try_emplace leaves its arguments untouched.
  while (!ring.try_emplace(std::forward<Args>(args)...))
    if (!wait_until(space, policy, [&] { return !ring.full(); })) return false;
  return true;
}

}  // namespace gpux::gateway
