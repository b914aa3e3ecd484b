#pragma once
// The credentials admin API of a regional gateway (/api/credentials/...). The caller has
// already checked the admin bearer token: every route here reads or changes credentials.
// Secrets appear in a response only once, when a credential is created.
#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "http/request.h"
#include "http/response.h"
#include "meta/credential_repository.h"

namespace s3gw::admin {

class CredentialsApi {
 public:
  // `repository` is null when no master key is configured: every route then answers 503.
  explicit CredentialsApi(meta::CredentialRepository* repository) : repository_(repository) {}

  static bool owns(std::string_view path);
  boost::asio::awaitable<http::Response> handle(http::Request& request);

 private:
  boost::asio::awaitable<http::Response> create(http::Request& request, bool demo);
  boost::asio::awaitable<http::Response> update_permissions(http::Request& request,
                                                            std::string access_key_id);

  meta::CredentialRepository* repository_;
};

}  // namespace s3gw::admin
