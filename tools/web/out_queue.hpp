// A web client's output queue, bounded in bytes like a TCP session's (--max-queued-bytes):
// messages wait here while the client reads slowly; one that would pass the bound means the
// client cannot keep up, and the server disconnects it rather than hold more for it.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>

namespace gpux::web {

class OutQueue {
 public:
  explicit OutQueue(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // False, queueing nothing, when `message` would take the queue past its bound. The front
  // message counts until pop(): it is being written.
  bool push(std::shared_ptr<const std::string> message) {
    if (message->size() > max_bytes_ - bytes_ || message->size() > max_bytes_) return false;
    bytes_ += message->size();
    queue_.push_back(std::move(message));
    return true;
  }
  bool empty() const { return queue_.empty(); }
  const std::string& front() const { return *queue_.front(); }
  void pop() {
    bytes_ -= queue_.front()->size();
    queue_.pop_front();
  }
  std::size_t bytes() const { return bytes_; }
  std::size_t size() const { return queue_.size(); }
  std::size_t max_bytes() const { return max_bytes_; }

 private:
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::deque<std::shared_ptr<const std::string>> queue_;
};

}  // namespace gpux::web
