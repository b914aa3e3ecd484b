#include "storage/s3_multipart.h"

#include "s3/uri_encode.h"
#include "storage/s3_xml.h"

namespace s3gw::storage {

namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

constexpr std::size_t kResultBodyLimit = 64 * 1024;

awaitable<std::string> read_result(http::ClientResponse& r, std::string_view what) {
  error_code ec;
  std::string body = co_await r.read_all(kResultBodyLimit, ec);
  if (ec) {
    throw StorageError(StorageError::Kind::kUnavailable,
                       std::string(what) + ": reading the response: " + ec.message());
  }
  co_return body;
}

std::string upload_query(std::string_view upload_id) {
  return "uploadId=" + s3::uri_encode(upload_id, true);
}

std::string part_query(std::string_view upload_id, int number) {
  return "partNumber=" + std::to_string(number) + "&" + upload_query(upload_id);
}

}  // namespace

awaitable<std::string> s3_create_multipart(S3Client& client, std::string_view bucket,
                                           std::string_view key) {
  S3Call call;
  call.method = bhttp::verb::post;
  call.bucket = bucket;
  call.key = key;
  call.query = "uploads";
  call.idempotent = false;  // a second try would start a second upload
  auto r = co_await client.call(call);
  const std::string body = co_await read_result(*r, "CreateMultipartUpload");
  if (r->status() != 200) throw_s3_error(r->status(), body, "CreateMultipartUpload");
  std::string id = parse_upload_id(body);
  if (id.empty()) {
    throw StorageError(StorageError::Kind::kIo, "CreateMultipartUpload: no UploadId in reply");
  }
  co_return id;
}

awaitable<std::string> s3_upload_part(S3Client& client, std::string_view bucket,
                                      std::string_view key, std::string_view upload_id, int number,
                                      std::span<const char> body) {
  S3Call call;
  call.method = bhttp::verb::put;
  call.bucket = bucket;
  call.key = key;
  call.query = part_query(upload_id, number);
  call.body = body;
  call.idempotent = true;  // the same bytes under the same part number
  auto r = co_await client.call(call);
  std::string etag(r->header("ETag"));
  const std::string result = co_await read_result(*r, "UploadPart");
  if (r->status() != 200) throw_s3_error(r->status(), result, "UploadPart");
  if (etag.empty()) throw StorageError(StorageError::Kind::kIo, "UploadPart: no ETag in reply");
  co_return etag;
}

awaitable<std::string> s3_upload_part_copy(S3Client& client, std::string_view bucket,
                                           std::string_view key, std::string_view upload_id,
                                           int number, std::string_view source_key) {
  S3Call call;
  call.method = bhttp::verb::put;
  call.bucket = bucket;
  call.key = key;
  call.query = part_query(upload_id, number);
  call.headers.emplace_back("x-amz-copy-source",
                            "/" + std::string(bucket) + "/" + s3::uri_encode(source_key, false));
  call.idempotent = true;  // copying the same source again gives the same part
  auto r = co_await client.call(call);
  const std::string result = co_await read_result(*r, "UploadPartCopy");
  // Like CompleteMultipartUpload, a copy may fail after a 200 head: the error is in the body.
  if (r->status() != 200 || !parse_s3_error(result).code.empty()) {
    throw_s3_error(r->status() == 200 ? 500 : r->status(), result, "UploadPartCopy");
  }
  std::string etag = parse_copy_part_etag(result);
  if (etag.empty()) throw StorageError(StorageError::Kind::kIo, "UploadPartCopy: no ETag in reply");
  co_return etag;
}

awaitable<void> s3_complete_multipart(S3Client& client, std::string_view bucket,
                                      std::string_view key, std::string_view upload_id,
                                      const std::vector<std::pair<int, std::string>>& parts) {
  const std::string xml = complete_multipart_xml(parts);
  S3Call call;
  call.method = bhttp::verb::post;
  call.bucket = bucket;
  call.key = key;
  call.query = upload_query(upload_id);
  call.headers.emplace_back("Content-Type", "application/xml");
  call.body = std::span<const char>(xml.data(), xml.size());
  call.sign_body = true;
  call.idempotent = false;
  auto r = co_await client.call(call);
  const std::string body = co_await read_result(*r, "CompleteMultipartUpload");
  // S3 may answer 200 and still report an error in the body (it fails after sending the head).
  if (r->status() != 200 || !parse_s3_error(body).code.empty()) {
    throw_s3_error(r->status() == 200 ? 500 : r->status(), body, "CompleteMultipartUpload");
  }
}

awaitable<bool> s3_abort_multipart(S3Client& client, std::string_view bucket, std::string_view key,
                                   std::string_view upload_id) {
  S3Call call;
  call.method = bhttp::verb::delete_;
  call.bucket = bucket;
  call.key = key;
  call.query = upload_query(upload_id);
  auto r = co_await client.call(call);
  const unsigned status = r->status();
  const std::string body = co_await read_result(*r, "AbortMultipartUpload");
  if (status == 204 || status == 200) co_return true;
  if (status == 404) co_return false;  // completed or aborted already
  throw_s3_error(status, body, "AbortMultipartUpload");
}

}  // namespace s3gw::storage
