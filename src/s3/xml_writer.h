#pragma once
// A small streaming writer for S3 XML documents. Escapes text; does not check nesting.
#include <cstdint>
#include <string>
#include <string_view>

namespace s3gw::s3 {

inline constexpr std::string_view kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

class XmlWriter {
 public:
  XmlWriter() { out_ = R"(<?xml version="1.0" encoding="UTF-8"?>)"; }

  // Opens <name> or <name xmlns="..."> when ns is given.
  void open(std::string_view name, std::string_view ns = {});
  void close(std::string_view name);
  void element(std::string_view name, std::string_view text);
  void element(std::string_view name, std::int64_t value);
  void element_bool(std::string_view name, bool value);
  void raw(std::string_view xml) { out_.append(xml); }

  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Escapes &, <, >, ", ' and control characters that XML 1.0 cannot carry verbatim.
void append_xml_escaped(std::string& out, std::string_view text);
std::string xml_escape(std::string_view text);

}  // namespace s3gw::s3
