#pragma once
// What authentication needs to see of a request, without depending on the HTTP layer.
#include <string_view>

#include "auth/header_lookup.h"

namespace s3gw::auth {

struct RequestView {
  std::string_view method;     // as sent, e.g. "GET"
  std::string_view raw_path;   // as sent, still percent-encoded, without the query
  std::string_view raw_query;  // as sent, without '?'
  const HeaderLookup& headers;
  // Set for virtual-hosted-style requests (bucket named in Host): SigV2 signs "/bucket" + path,
  // SigV4 does not care.
  std::string_view virtual_host_bucket = {};
};

}  // namespace s3gw::auth
