#include "ops/list_params.h"

#include <algorithm>
#include <charconv>

namespace s3gw::ops {

std::variant<ListParams, s3::S3Error> list_params(const S3Request& req) {
  ListParams p;
  p.prefix = std::string(req.query.get("prefix").value_or(""));
  p.delimiter = std::string(req.query.get("delimiter").value_or(""));
  const auto encoding = req.query.get("encoding-type");
  if (encoding && *encoding != "url") {
    return s3::S3Error(s3::ErrorCode::kInvalidArgument,
                       "Invalid Encoding Method specified in Request");
  }
  p.url = encoding.has_value();
  if (auto mk = req.query.get("max-keys")) {
    int n = 0;
    auto [end, ec] = std::from_chars(mk->data(), mk->data() + mk->size(), n);
    if (ec != std::errc() || end != mk->data() + mk->size() || n < 0) {
      return s3::S3Error(s3::ErrorCode::kInvalidArgument,
                         "Provided max-keys not an integer or within integer range");
    }
    p.max_keys = std::min(n, 1000);
  }
  return p;
}

}  // namespace s3gw::ops
