#pragma once
// One CompleteMultipartUpload in progress: the upload row locked (FOR UPDATE) with its parts
// read, while the backend assembles the object. commit() makes the object version visible and
// drops the upload in the same transaction; destroyed uncommitted, it changes nothing. A
// concurrent completion or abort of the same upload waits for it, then finds the upload gone.
#include <optional>
#include <vector>

#include "meta/multipart_repository.h"

namespace s3gw::meta {

class MultipartCompletion {
 public:
  MultipartCompletion(PgLease lease, PgTransaction tx, MultipartUpload upload,
                      std::vector<MultipartPart> parts)
      : lease_(std::move(lease)), tx_(tx), upload_(std::move(upload)), parts_(std::move(parts)) {}

  const MultipartUpload& upload() const { return upload_; }
  const std::vector<MultipartPart>& parts() const { return parts_; }  // by number

  // The version becomes the key's latest, the upload and all its parts go (separate part blobs
  // to garbage), the log row is written (with the version id); the outcome's garbage holds the
  // replaced version's blob and the part blobs. nullopt: the bucket is gone; `locked`: the
  // 'null' version it would replace is under object lock. Neither commits. Once only.
  awaitable<std::optional<PutOutcome>> commit(const ObjectVersion& version,
                                              const OperationRecord& log);

 private:
  PgLease lease_;
  PgTransaction tx_;
  MultipartUpload upload_;
  std::vector<MultipartPart> parts_;
};

}  // namespace s3gw::meta
