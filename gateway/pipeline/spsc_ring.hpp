// A bounded lock-free ring between exactly one producer thread and one consumer thread: the
// gateway → sequencer → engine pipeline and the events coming back. See gateway/README.md,
// "Rings and waiting", for the design; gateway/pipeline/wait.hpp makes either side sleep when idle.
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <type_traits>
#include <utility>

namespace gpux::gateway {

// What keeps two threads' hot variables from sharing a cache line. Two lines, not one: Intel's
// adjacent-line prefetcher fetches 64-byte lines in pairs, so data 64 bytes apart still
// ping-pongs (folly and crossbeam pad to 128 on x86-64 for the same reason). A constant rather
// than std::hardware_destructive_interference_size, whose value may change with -mtune and so
// must not shape a layout shared between translation units.
inline constexpr std::size_t kFalseSharingRange = 128;

// The ring's capacity as a template argument meaning "given to the constructor".
inline constexpr std::size_t kRuntimeCapacity = 0;

// SpscRing<T, N>: a FIFO of at most N items (N a power of two), or SpscRing<T> with the
// capacity given at construction (rounded up to a power of two). Storage is allocated and
// touched once, in the constructor; nothing allocates afterwards.
//
// Producer-side calls: try_push, try_emplace, claim, publish. Consumer-side calls: try_pop,
// peek, release, consume. Each side may be one thread at a time; size/empty/full from anywhere.
//
// Indices are free-running counters (slot = index & mask), so full and empty are told apart
// without a wasted slot, and because the capacity divides 2^64 the arithmetic stays right when a
// counter wraps. Each side keeps a private copy of the other side's index and reloads it only
// when that copy says full (producer) or empty (consumer): while the ring is neither, a push or
// pop touches no cache line the other thread writes, apart from the slot itself.
template <class T, std::size_t Capacity = kRuntimeCapacity>
class SpscRing {
  static_assert(Capacity == kRuntimeCapacity || std::has_single_bit(Capacity),
                "a compile-time capacity must be a power of two");
  static_assert(std::is_nothrow_destructible_v<T>);

 public:
  SpscRing()
    requires(Capacity != kRuntimeCapacity)
      : SpscRing(Capacity, 0) {}

  explicit SpscRing(std::size_t capacity)
    requires(Capacity == kRuntimeCapacity)
      : SpscRing(std::bit_ceil(std::max<std::size_t>(capacity, 1)), 0) {}

  ~SpscRing() {
    if constexpr (!std::is_trivially_destructible_v<T>) {
      const std::size_t tail = producer_.tail.load(std::memory_order_acquire);
      for (std::size_t i = consumer_.head.load(std::memory_order_relaxed); i != tail; ++i)
        slot(i)->~T();
    }
    ::operator delete(slots_, std::align_val_t{kStorageAlign});
  }

  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  std::size_t capacity() const noexcept {
    if constexpr (Capacity != kRuntimeCapacity)
      return Capacity;
    else
      return runtime_capacity_;
  }

  // ---- producer ----

  // Constructs an item in the next free slot; false, with `args` untouched, when full.
  template <class... Args>
  bool try_emplace(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args...>) {
    const std::size_t tail = producer_.tail.load(std::memory_order_relaxed);
    if (tail - producer_.head_seen == capacity()) {
      producer_.head_seen = consumer_.head.load(std::memory_order_acquire);
      if (tail - producer_.head_seen == capacity()) return false;
    }
    ::new (static_cast<void*>(slot(tail))) T(std::forward<Args>(args)...);
    producer_.tail.store(tail + 1, std::memory_order_release);
    return true;
  }
  bool try_push(const T& item) noexcept(std::is_nothrow_copy_constructible_v<T>) {
    return try_emplace(item);
  }
  bool try_push(T&& item) noexcept(std::is_nothrow_move_constructible_v<T>) {
    return try_emplace(std::move(item));
  }

  // Up to `max` free slots, contiguous (so fewer than asked at the wrap point, or none when
  // full), to be filled in place and then made visible with publish(k) for k <= their count.
  // Only for trivially copyable items: a free slot holds a stale but live T to overwrite (the
  // storage's allocation implicitly created them), which is what makes in-place writes legal.
  std::span<T> claim(std::size_t max) noexcept
    requires std::is_trivially_copyable_v<T>
  {
    const std::size_t tail = producer_.tail.load(std::memory_order_relaxed);
    if (capacity() - (tail - producer_.head_seen) < max)
      producer_.head_seen = consumer_.head.load(std::memory_order_acquire);
    const std::size_t free = capacity() - (tail - producer_.head_seen);
    const std::size_t at = tail & mask();
    return {slot(tail), std::min({max, free, capacity() - at})};
  }
  // The next free slot, or nullptr when full.
  T* claim() noexcept
    requires std::is_trivially_copyable_v<T>
  {
    std::span<T> s = claim(1);
    return s.empty() ? nullptr : s.data();
  }
  // Makes the next `n` claimed slots visible to the consumer, with a single index store.
  void publish(std::size_t n = 1) noexcept
    requires std::is_trivially_copyable_v<T>
  {
    const std::size_t tail = producer_.tail.load(std::memory_order_relaxed);
    assert(n <= capacity() - (tail - producer_.head_seen) && "publish(n) beyond what was claimed");
    producer_.tail.store(tail + n, std::memory_order_release);
  }

  // ---- consumer ----

  // Up to `max` items, oldest first, contiguous (so fewer than available at the wrap point), to
  // be read or modified in place and then freed with release(k) for k <= their count.
  std::span<T> peek(std::size_t max) noexcept {
    const std::size_t head = consumer_.head.load(std::memory_order_relaxed);
    if (consumer_.tail_seen - head < max)
      consumer_.tail_seen = producer_.tail.load(std::memory_order_acquire);
    const std::size_t at = head & mask();
    return {slot(head), std::min({max, consumer_.tail_seen - head, capacity() - at})};
  }
  // The oldest item, or nullptr when empty.
  T* peek() noexcept {
    std::span<T> s = peek(1);
    return s.empty() ? nullptr : s.data();
  }
  // Destroys the `n` oldest items and hands their slots back, with a single index store.
  void release(std::size_t n = 1) noexcept {
    const std::size_t head = consumer_.head.load(std::memory_order_relaxed);
    assert(n <= consumer_.tail_seen - head && "release(n) beyond what was peeked");
    if constexpr (!std::is_trivially_destructible_v<T>)
      for (std::size_t i = head; i != head + n; ++i) slot(i)->~T();
    consumer_.head.store(head + n, std::memory_order_release);
  }

  // Moves the oldest item into `out`; false when empty.
  bool try_pop(T& out) noexcept(std::is_nothrow_move_assignable_v<T>) {
    T* item = peek();
    if (!item) return false;
    out = std::move(*item);
    release();
    return true;
  }

  // Calls `f(T&)` on up to `max` items, oldest first, across the wrap point, then frees them
  // all with a single index store: how a thread that drains in batches should read. Returns how
  // many were consumed. `f` must not throw (it would terminate: the batch is half consumed).
  template <class F>
  std::size_t consume(F&& f, std::size_t max = SIZE_MAX) noexcept {
    const std::size_t head = consumer_.head.load(std::memory_order_relaxed);
    if (consumer_.tail_seen - head < max)
      consumer_.tail_seen = producer_.tail.load(std::memory_order_acquire);
    const std::size_t n = std::min(max, consumer_.tail_seen - head);
    for (std::size_t i = head; i != head + n; ++i) {
      T* item = slot(i);
      f(*item);
      if constexpr (!std::is_trivially_destructible_v<T>) item->~T();
    }
    if (n) consumer_.head.store(head + n, std::memory_order_release);
    return n;
  }

  // ---- either side ----

  // Exact when called by the consumer (for empty) or the producer (for full) at the moment the
  // other side's index is read; from any other thread, a snapshot that may be stale at once.
  std::size_t size() const noexcept {
    // Head first: a later tail can only be further ahead, so the difference never underflows.
    const std::size_t head = consumer_.head.load(std::memory_order_acquire);
    const std::size_t tail = producer_.tail.load(std::memory_order_acquire);
    return std::min(tail - head, capacity());
  }
  bool empty() const noexcept { return size() == 0; }
  bool full() const noexcept { return size() == capacity(); }

 private:
  static constexpr std::size_t kStorageAlign = std::max(alignof(T), kFalseSharingRange);

  SpscRing(std::size_t capacity, int) : slots_(allocate(capacity)) {
    if constexpr (Capacity == kRuntimeCapacity) runtime_capacity_ = capacity;
  }

  // Rounded up to whole false-sharing ranges so no other allocation shares the slots' lines.
  static T* allocate(std::size_t capacity) {
    const std::size_t bytes =
        (capacity * sizeof(T) + kFalseSharingRange - 1) / kFalseSharingRange * kFalseSharingRange;
    void* p = ::operator new(bytes, std::align_val_t{kStorageAlign});
    // Touch every page now, so the first lap does not take page faults while trading.
    std::memset(p, 0, bytes);
    return static_cast<T*>(p);
  }

  std::size_t mask() const noexcept { return capacity() - 1; }
  T* slot(std::size_t index) const noexcept { return slots_ + (index & mask()); }

  // Read-only after construction, so both threads may share this line.
  T* const slots_;
  struct CompileTimeCapacity {};
  [[no_unique_address]] std::conditional_t<Capacity == kRuntimeCapacity, std::size_t,
                                           CompileTimeCapacity> runtime_capacity_{};

  struct alignas(kFalseSharingRange) Producer {
    std::atomic<std::size_t> tail{0};  // next index to write; written only by the producer
    std::size_t head_seen = 0;         // the producer's copy of consumer.head
  };
  struct alignas(kFalseSharingRange) Consumer {
    std::atomic<std::size_t> head{0};  // next index to read; written only by the consumer
    std::size_t tail_seen = 0;         // the consumer's copy of producer.tail
  };
  Producer producer_;
  Consumer consumer_;
};

}  // namespace gpux::gateway
