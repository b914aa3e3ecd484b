#include "storage/filesystem_provider.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "util/random.h"

namespace s3gw::storage {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

class FilesystemProviderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("s3gw-fs-test-" + util::random_hex(6));
    provider_ = std::make_unique<FilesystemProvider>("zz-test-st-1", root_, pool_);
  }
  void TearDown() override { fs::remove_all(root_); }

  template <class T>
  T run(asio::awaitable<T> aw) {
    auto fut = asio::co_spawn(ioc_, std::move(aw), asio::use_future);
    ioc_.run();
    ioc_.restart();
    return fut.get();
  }

  std::size_t files_under_root() {
    std::size_t n = 0;
    for (auto& e : fs::recursive_directory_iterator(root_)) n += e.is_regular_file() ? 1 : 0;
    return n;
  }

  asio::awaitable<std::string> read_all(std::string key, std::uint64_t off, std::uint64_t len) {
    auto src = co_await provider_->open_blob("s3gw-00000000-test", key, off, len);
    std::string out;
    char buf[7];  // small on purpose: many reads
    for (;;) {
      boost::system::error_code ec;
      auto n = co_await src->read(asio::buffer(buf), ec);
      if (ec) throw boost::system::system_error(ec);
      if (n == 0) break;
      out.append(buf, n);
    }
    co_return out;
  }

  asio::io_context ioc_;
  util::BlockingPool pool_{2};
  fs::path root_;
  std::unique_ptr<FilesystemProvider> provider_;
};

TEST_F(FilesystemProviderTest, CommittedBlobIsReadableWholeAndInRanges) {
  const std::string key = util::random_hex(16);
  run([&]() -> asio::awaitable<int> {
    auto w = co_await provider_->create_blob("s3gw-00000000-test", key);
    co_await w->write(std::span<const char>("hello ", 6));
    co_await w->write(std::span<const char>("world", 5));
    co_await w->commit();
    co_return 0;
  }());
  EXPECT_EQ(run(read_all(key, 0, 11)), "hello world");
  EXPECT_EQ(run(read_all(key, 6, 5)), "world");
  EXPECT_EQ(files_under_root(), 1u);
}

TEST_F(FilesystemProviderTest, AbortedOrAbandonedWritersLeaveNothing) {
  const std::string k1 = util::random_hex(16);
  const std::string k2 = util::random_hex(16);
  run([&]() -> asio::awaitable<int> {
    auto w = co_await provider_->create_blob("s3gw-00000000-test", k1);
    co_await w->write(std::span<const char>("partial", 7));
    co_await w->abort();
    auto w2 = co_await provider_->create_blob("s3gw-00000000-test", k2);
    co_await w2->write(std::span<const char>("partial", 7));
    co_return 0;  // w2 destroyed uncommitted: a client that went away
  }());
  EXPECT_EQ(files_under_root(), 0u);
  EXPECT_THROW(run(read_all(k1, 0, 1)), StorageError);
}

TEST_F(FilesystemProviderTest, DeleteIsIdempotentAndBucketRemovalKeepsData) {
  const std::string key = util::random_hex(16);
  run([&]() -> asio::awaitable<int> {
    auto w = co_await provider_->create_blob("s3gw-00000000-test", key);
    co_await w->write(std::span<const char>("x", 1));
    co_await w->commit();
    co_await provider_->delete_bucket("s3gw-00000000-test");  // not empty: kept
    co_return 0;
  }());
  EXPECT_EQ(run(read_all(key, 0, 1)), "x");
  run([&]() -> asio::awaitable<int> {
    co_await provider_->delete_blob("s3gw-00000000-test", key);
    co_await provider_->delete_blob("s3gw-00000000-test", key);
    co_await provider_->delete_bucket("s3gw-00000000-test");
    co_return 0;
  }());
  EXPECT_FALSE(fs::exists(root_ / "s3gw-00000000-test"));
}

TEST_F(FilesystemProviderTest, RefusesNamesThatCouldEscapeTheRoot) {
  EXPECT_THROW(provider_->blob_path("..", "abcd"), StorageError);
  EXPECT_THROW(provider_->blob_path("s3gw-00000000-test", "../../etc/passwd"), StorageError);
  EXPECT_THROW(provider_->blob_path("a/b", "abcd"), StorageError);
}

}  // namespace
}  // namespace s3gw::storage

namespace s3gw::storage {
namespace {

TEST_F(FilesystemProviderTest, SweepRemovesOnlyAbandonedTemporaries) {
  const std::string old_key = util::random_hex(16);
  const std::string live_key = util::random_hex(16);
  std::unique_ptr<BlobWriter> live;
  run([&]() -> asio::awaitable<int> {
    live = co_await provider_->create_blob("s3gw-00000000-test", live_key);
    co_await live->write(std::span<const char>("live", 4));
    co_return 0;
  }());
  // What a process killed mid-upload leaves: a temporary nobody writes to, two hours old.
  const auto orphan = root_ / "s3gw-00000000-test" / ".tmp" / (old_key + ".dead");
  std::ofstream(orphan) << "old";
  fs::last_write_time(orphan, fs::file_time_type::clock::now() - std::chrono::hours(2));
  const auto removed = run(provider_->sweep_abandoned_uploads(std::chrono::hours(1)));
  EXPECT_EQ(removed, 1u);
  EXPECT_EQ(files_under_root(), 1u);  // the live upload's temporary
  run([&]() -> asio::awaitable<int> {
    co_await live->commit();
    co_return 0;
  }());
  EXPECT_EQ(run(read_all(live_key, 0, 4)), "live");
}

TEST_F(FilesystemProviderTest, MultipartPartsAssembleIntoTheBlob) {
  const std::string bucket = "s3gw-00000000-test";
  const std::string key = util::random_hex(16) + std::string(kMultipartBlobSuffix);
  const std::string p1(3000, 'a');
  const std::string p2 = "second part";
  const std::string p3(70000, 'c');
  auto write_part = [&](int n, const std::string& data) -> asio::awaitable<StoredPart> {
    auto w = co_await provider_->create_part(bucket, key, "", n, data.size());
    for (std::size_t off = 0; off < data.size(); off += 4096) {
      co_await w->write(
          std::span<const char>(data).subspan(off, std::min<std::size_t>(4096, data.size() - off)));
    }
    co_await w->commit();
    co_return w->stored();
  };
  EXPECT_EQ(run(provider_->begin_multipart(bucket, key)), "");
  // Out of order, and part 2 twice: each upload is a separate blob.
  const StoredPart s3 = run(write_part(3, p3));
  const StoredPart s1 = run(write_part(1, p1));
  const StoredPart s2a = run(write_part(2, "stale"));
  const StoredPart s2 = run(write_part(2, p2));
  EXPECT_TRUE(s1.separate_blob);
  EXPECT_NE(s2a.handle, s2.handle);
  run(provider_->complete_multipart(bucket, key, "",
                                    {{1, s1, p1.size()}, {2, s2, p2.size()}, {3, s3, p3.size()}}));
  const std::string whole = p1 + p2 + p3;
  EXPECT_EQ(run(read_all(key, 0, whole.size())), whole);
  EXPECT_EQ(run(read_all(key, 2990, 20)), whole.substr(2990, 20));
  // The parts stay until the caller removes them.
  EXPECT_EQ(run(read_all(s2a.handle, 0, 5)), "stale");
  for (const auto& s : {s1, s2a, s2, s3}) run(provider_->delete_blob(bucket, s.handle));
  EXPECT_EQ(files_under_root(), 1u);
}

TEST_F(FilesystemProviderTest, MultipartWithAMissingOrShortPartFailsAndLeavesNothing) {
  const std::string bucket = "s3gw-00000000-test";
  const std::string key = util::random_hex(16) + std::string(kMultipartBlobSuffix);
  auto stored = run([&]() -> asio::awaitable<StoredPart> {
    auto w = co_await provider_->create_part(bucket, key, "", 1, 3);
    co_await w->write(std::span<const char>("abc", 3));
    co_await w->commit();
    co_return w->stored();
  }());
  auto fails = [&](std::vector<PartRef> parts) {
    try {
      run(provider_->complete_multipart(bucket, key, "", parts));
    } catch (const StorageError& e) {
      return e.kind() == StorageError::Kind::kNotFound;
    }
    return false;
  };
  EXPECT_TRUE(fails({{1, stored, 4}}));                                   // shorter than recorded
  EXPECT_TRUE(fails({{1, stored, 3}, {2, {key + ".2.0000", true}, 1}}));  // never written
  run(provider_->delete_blob(bucket, stored.handle));
  EXPECT_EQ(files_under_root(), 0u);
}

}  // namespace
}  // namespace s3gw::storage
