#include "ops/multipart_rules.h"

#include <algorithm>
#include <charconv>

#include "util/crc_combine.h"
#include "util/encoding.h"
#include "util/strings.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;

namespace {

std::string_view unquoted(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

std::string lower_name(util::ChecksumAlgorithm a) {
  return util::ascii_lower(util::checksum_name(a));
}

}  // namespace

std::optional<int> parse_part_number(std::string_view text) {
  int n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  if (n < 1 || n > kMaxPartNumber) return std::nullopt;
  return n;
}

std::variant<UploadChecksum, S3Error> plan_upload_checksum(
    std::optional<std::string_view> algorithm, std::optional<std::string_view> type) {
  UploadChecksum c;
  if (!algorithm) {
    if (type) {
      return S3Error(ErrorCode::kInvalidRequest,
                     "The x-amz-checksum-type header can only be used with the "
                     "x-amz-checksum-algorithm header.");
    }
    return c;
  }
  c.algorithm = util::parse_checksum_algorithm(*algorithm);
  if (!c.algorithm) {
    return S3Error(ErrorCode::kInvalidRequest, "Checksum algorithm provided is unsupported.");
  }
  const bool crc = util::is_combinable(*c.algorithm);
  if (!type) {
    // S3's defaults: COMPOSITE where it exists; CRC64NVME is FULL_OBJECT only.
    c.composite = *c.algorithm != util::ChecksumAlgorithm::kCRC64NVME;
    return c;
  }
  const std::string t = util::ascii_lower(*type);
  if (t == "composite") {
    if (*c.algorithm == util::ChecksumAlgorithm::kCRC64NVME) {
      return S3Error(ErrorCode::kInvalidRequest,
                     "The COMPOSITE checksum type cannot be used with the crc64nvme checksum "
                     "algorithm.");
    }
    c.composite = true;
  } else if (t == "full_object") {
    if (!crc) {
      return S3Error(ErrorCode::kInvalidRequest,
                     "The FULL_OBJECT checksum type cannot be used with the " +
                         lower_name(*c.algorithm) + " checksum algorithm.");
    }
    c.composite = false;
  } else {
    return S3Error(ErrorCode::kInvalidRequest, "Value for x-amz-checksum-type header is invalid.");
  }
  return c;
}

util::ChecksumAlgorithm part_algorithm(const UploadChecksum& c) {
  return c.algorithm.value_or(util::ChecksumAlgorithm::kCRC64NVME);
}

bool same_etag(std::string_view a, std::string_view b) {
  return util::iequals_ascii(unquoted(a), unquoted(b));
}

std::variant<std::vector<const meta::MultipartPart*>, S3Error> select_parts(
    const s3::CompleteMultipartUpload& request, const std::vector<meta::MultipartPart>& stored,
    const UploadChecksum& checksum) {
  std::vector<const meta::MultipartPart*> chosen;
  chosen.reserve(request.parts.size());
  long long previous = 0;
  auto invalid_part = [](long long n, std::string why) {
    return S3Error(ErrorCode::kInvalidPart,
                   "One or more of the specified parts could not be found. Part " +
                       std::to_string(n) + ": " + why);
  };
  for (const auto& p : request.parts) {
    const meta::MultipartPart* found = nullptr;
    if (p.number < 1 || p.number > kMaxPartNumber) return invalid_part(p.number, "no such part.");
    if (p.number <= previous) return S3Error(ErrorCode::kInvalidPartOrder);
    previous = p.number;
    {
      // `stored` is ordered by number.
      auto it =
          std::lower_bound(stored.begin(), stored.end(), p.number,
                           [](const meta::MultipartPart& s, long long n) { return s.number < n; });
      if (it != stored.end() && it->number == p.number) found = &*it;
    }
    if (found == nullptr) return invalid_part(p.number, "not uploaded.");
    if (!same_etag(p.etag, found->etag)) return invalid_part(p.number, "the ETag does not match.");
    bool has_upload_checksum = false;
    for (const auto& [alg, value] : p.checksums) {
      std::optional<std::string> stored_value;
      if (alg == part_algorithm(checksum)) {
        stored_value = found->checksum_value;
        has_upload_checksum = true;
      } else if (found->client_checksum_algorithm &&
                 util::parse_checksum_algorithm(*found->client_checksum_algorithm) == alg) {
        stored_value = found->client_checksum_value;
      }
      if (!stored_value || *stored_value != value) {
        return invalid_part(
            p.number, "the " + std::string(util::checksum_name(alg)) + " checksum does not match.");
      }
    }
    if (checksum.algorithm && checksum.composite && !has_upload_checksum) {
      return S3Error(ErrorCode::kInvalidRequest,
                     "The upload was created using a " + lower_name(*checksum.algorithm) +
                         " checksum. The complete request must include the checksum for each "
                         "part. It was missing for part " +
                         std::to_string(p.number) + " in the request.");
    }
    chosen.push_back(found);
  }
  for (std::size_t i = 0; i + 1 < chosen.size(); ++i) {
    if (static_cast<std::uint64_t>(chosen[i]->size) < kMinPartSize) {
      S3Error e(ErrorCode::kEntityTooSmall);
      e.extra_xml = "<ProposedSize>" + std::to_string(chosen[i]->size) +
                    "</ProposedSize><MinSizeAllowed>" + std::to_string(kMinPartSize) +
                    "</MinSizeAllowed><PartNumber>" + std::to_string(chosen[i]->number) +
                    "</PartNumber>";
      return e;
    }
  }
  return chosen;
}

std::optional<std::string> multipart_etag(const std::vector<std::string>& part_etags) {
  util::Md5 md5;
  for (const auto& e : part_etags) {
    auto raw = util::hex_decode(unquoted(e));
    if (!raw || raw->size() != 16) return std::nullopt;
    md5.update(*raw);
  }
  return "\"" + util::hex_encode(md5.digest()) + "-" + std::to_string(part_etags.size()) + "\"";
}

std::optional<std::string> composite_checksum(util::ChecksumAlgorithm algorithm,
                                              const std::vector<PartChecksum>& parts) {
  auto h = util::make_hasher(algorithm);
  for (const auto& p : parts) {
    auto raw = util::base64_decode(p.value);
    if (!raw || raw->size() != util::checksum_digest_size(algorithm)) return std::nullopt;
    h->update(*raw);
  }
  return util::base64_encode(h->digest()) + "-" + std::to_string(parts.size());
}

std::optional<std::string> full_object_checksum(util::ChecksumAlgorithm algorithm,
                                                const std::vector<PartChecksum>& parts) {
  if (!util::is_combinable(algorithm) || parts.empty()) return std::nullopt;
  std::optional<std::string> acc;
  for (const auto& p : parts) {
    auto raw = util::base64_decode(p.value);
    if (!raw || raw->size() != util::checksum_digest_size(algorithm)) return std::nullopt;
    acc = acc ? util::crc_combine(algorithm, *acc, *raw, p.size) : std::optional(*raw);
    if (!acc) return std::nullopt;
  }
  return util::base64_encode(*acc);
}

}  // namespace s3gw::ops
