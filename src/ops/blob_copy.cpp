#include "ops/blob_copy.h"

#include <algorithm>
#include <array>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <memory>
#include <span>

namespace s3gw::ops {

using boost::asio::awaitable;
using namespace boost::asio::experimental::awaitable_operators;

awaitable<CopiedBytes> copy_blob_bytes(const OpContext& ctx, http::BodySource& source,
                                       std::uint64_t length, storage::BlobWriter& writer,
                                       const std::vector<util::ChecksumAlgorithm>& algorithms) {
  util::Md5 md5;
  std::vector<std::unique_ptr<util::Hasher>> hashers;
  for (auto a : algorithms) hashers.push_back(util::make_hasher(a));
  std::array<std::vector<char>, 2> bufs{std::vector<char>(ctx.config.io_buffer),
                                        std::vector<char>(ctx.config.io_buffer)};
  std::uint64_t copied = 0;  // read from the source so far
  std::span<const char> ready;
  auto consume = [&](std::span<const char> data) -> awaitable<void> {
    if (data.empty()) co_return;
    md5.update(data);
    for (auto& h : hashers) h->update(data);
    co_await writer.write(data);
  };
  std::exception_ptr failed;
  try {
    for (std::size_t cur = 0;; cur ^= 1) {
      boost::system::error_code ec;
      std::size_t n = 0;
      auto read = [&]() -> awaitable<void> {
        const auto want =
            static_cast<std::size_t>(std::min<std::uint64_t>(bufs[cur].size(), length - copied));
        if (want == 0) co_return;
        n = co_await source.read(boost::asio::buffer(bufs[cur].data(), want), ec);
      };
      co_await (read() && consume(ready));
      ready = {};
      if (ec) {
        throw storage::StorageError(storage::StorageError::Kind::kIo,
                                    "reading the copy source: " + ec.message());
      }
      if (n == 0) break;
      copied += n;
      ready = std::span<const char>(bufs[cur].data(), n);
    }
    co_await consume(ready);
    if (copied != length) {
      throw storage::StorageError(storage::StorageError::Kind::kIo,
                                  "the copy source ended after " + std::to_string(copied) + " of " +
                                      std::to_string(length) + " bytes");
    }
  } catch (...) {
    failed = std::current_exception();
  }
  if (failed) {
    try {
      co_await writer.abort();
    } catch (const std::exception&) {  // the original failure is what matters
    }
    std::rethrow_exception(failed);
  }
  CopiedBytes out;
  out.bytes = copied;
  out.md5 = md5.digest();
  for (auto& h : hashers) out.checksums.push_back(h->digest());
  co_return out;
}

}  // namespace s3gw::ops
