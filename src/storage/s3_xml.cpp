#include "storage/s3_xml.h"

#include <cstdio>
#include <ctime>
#include <pugixml.hpp>

#include "s3/xml_writer.h"

namespace s3gw::storage {

namespace {

bool parse(pugi::xml_document& doc, std::string_view body) {
  return static_cast<bool>(
      doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8));
}

// The local name: backends write the S3 namespace with or without a prefix.
std::string_view local_name(const pugi::xml_node& n) {
  std::string_view name = n.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& parent, std::string_view name) {
  for (auto c : parent.children()) {
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  }
  return {};
}

std::string text_of(const pugi::xml_node& parent, std::string_view name) {
  return child(parent, name).text().as_string();
}

pugi::xml_node root_element(const pugi::xml_document& doc) {
  for (auto c : doc.children()) {
    if (c.type() == pugi::node_element) return c;
  }
  return {};
}

}  // namespace

S3ErrorBody parse_s3_error(std::string_view body) {
  pugi::xml_document doc;
  if (!parse(doc, body)) return {};
  auto root = root_element(doc);
  if (local_name(root) != "Error") return {};
  return {text_of(root, "Code"), text_of(root, "Message")};
}

std::string parse_upload_id(std::string_view body) {
  pugi::xml_document doc;
  if (!parse(doc, body)) return {};
  auto root = root_element(doc);
  if (local_name(root) != "InitiateMultipartUploadResult") return {};
  return text_of(root, "UploadId");
}

S3UploadListing parse_upload_listing(std::string_view body) {
  S3UploadListing out;
  pugi::xml_document doc;
  if (!parse(doc, body)) return out;
  auto root = root_element(doc);
  if (local_name(root) != "ListMultipartUploadsResult") return out;
  out.truncated = text_of(root, "IsTruncated") == "true";
  out.next_key_marker = text_of(root, "NextKeyMarker");
  out.next_upload_id_marker = text_of(root, "NextUploadIdMarker");
  for (auto c : root.children()) {
    if (c.type() != pugi::node_element || local_name(c) != "Upload") continue;
    out.uploads.push_back(
        {text_of(c, "Key"), text_of(c, "UploadId"), parse_iso8601(text_of(c, "Initiated"))});
  }
  return out;
}

std::string complete_multipart_xml(const std::vector<std::string>& etags) {
  std::vector<std::pair<int, std::string>> parts;
  parts.reserve(etags.size());
  for (std::size_t i = 0; i < etags.size(); ++i)
    parts.emplace_back(static_cast<int>(i + 1), etags[i]);
  return complete_multipart_xml(parts);
}

std::string complete_multipart_xml(const std::vector<std::pair<int, std::string>>& parts) {
  std::string out = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (const auto& [number, etag] : parts) {
    out += "<Part><PartNumber>";
    out += std::to_string(number);
    out += "</PartNumber><ETag>";
    s3::append_xml_escaped(out, etag);
    out += "</ETag></Part>";
  }
  out += "</CompleteMultipartUpload>";
  return out;
}

std::string parse_copy_part_etag(std::string_view body) {
  pugi::xml_document doc;
  if (!parse(doc, body)) return {};
  auto root = root_element(doc);
  if (local_name(root) != "CopyPartResult") return {};
  return text_of(root, "ETag");
}

std::optional<util::TimePoint> parse_iso8601(std::string_view text) {
  if (text.size() < 20) return std::nullopt;
  std::tm tm{};
  const std::string s(text);
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t t = ::timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return util::Clock::from_time_t(t);
}

}  // namespace s3gw::storage
