// A large fixed array in anonymous memory that asks for transparent huge pages: the order pool
// and its indexes are hit at random, and with 4 KiB pages nearly every such hit is also a TLB
// miss. Pages arrive zeroed and only when first touched.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace gpux {

template <class T>
class HugeArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  explicit HugeArray(std::size_t n) : bytes_(round_up(n * sizeof(T))) {
    void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    madvise(p, bytes_, MADV_HUGEPAGE);  // a hint: without THP it is simply ignored
    data_ = static_cast<T*>(p);
  }
  ~HugeArray() {
    if (data_) munmap(data_, bytes_);
  }
  HugeArray(const HugeArray&) = delete;
  HugeArray& operator=(const HugeArray&) = delete;
  void swap(HugeArray& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(bytes_, other.bytes_);
  }

  T* get() const { return data_; }
  T& operator[](std::size_t i) const { return data_[i]; }

  // Touches every page now rather than during trading.
  void prefault() { std::memset(static_cast<void*>(data_), 0, bytes_); }

 private:
  static std::size_t round_up(std::size_t b) {
    constexpr std::size_t huge = std::size_t{2} << 20;
    return (b + huge - 1) / huge * huge;
  }
  T* data_ = nullptr;
  std::size_t bytes_;
};

}  // namespace gpux
