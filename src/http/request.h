#pragma once
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/body.h"

namespace s3gw::http {

// One HTTP request as handlers see it: the head, already parsed, and a streaming body.
class Request {
 public:
  Request(boost::beast::http::verb method, std::string_view method_string, std::string target,
          const boost::beast::http::fields& headers, BodyReader& body, std::string remote)
      : method_(method),
        method_string_(method_string),
        target_(std::move(target)),
        headers_(headers),
        body_(body),
        remote_(std::move(remote)) {
    const auto q = target_.find('?');
    path_ = std::string_view(target_).substr(0, q);
    if (q != std::string::npos) query_ = std::string_view(target_).substr(q + 1);
  }

  boost::beast::http::verb method() const { return method_; }
  std::string_view method_string() const { return method_string_; }
  const std::string& target() const { return target_; }
  std::string_view path() const { return path_; }    // raw, still percent-encoded
  std::string_view query() const { return query_; }  // raw, without '?'
  const boost::beast::http::fields& headers() const { return headers_; }
  std::optional<std::string_view> header(std::string_view name) const {
    auto it = headers_.find(name);
    if (it == headers_.end()) return std::nullopt;
    return it->value();
  }
  BodyReader& body() { return body_; }
  const std::string& remote() const { return remote_; }

 private:
  boost::beast::http::verb method_;
  std::string method_string_;
  std::string target_;
  std::string_view path_;
  std::string_view query_;
  const boost::beast::http::fields& headers_;
  BodyReader& body_;
  std::string remote_;
};

}  // namespace s3gw::http
