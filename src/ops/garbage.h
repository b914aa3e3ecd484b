#pragma once
#include <vector>

#include "meta/object_repository.h"
#include "ops/context.h"

namespace s3gw::ops {

// Removes blobs that committed metadata no longer references, then their garbage records.
// Failures are logged and the record stays for the next sweep: never an error for the client,
// whose change has already committed.
boost::asio::awaitable<void> remove_garbage(OpContext& ctx, std::vector<meta::GarbageBlob> blobs);

// Sweeps garbage left by a crash between a commit and the blob removal (run at start-up).
boost::asio::awaitable<void> sweep_garbage(OpContext& ctx);

}  // namespace s3gw::ops
