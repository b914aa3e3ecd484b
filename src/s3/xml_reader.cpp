#include "s3/xml_reader.h"

#include <array>
#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <utility>

#include "s3/xml_writer.h"

namespace s3gw::s3 {
namespace {

// parse_fragment keeps text found outside the root so that we can reject it (the default mode
// drops it silently, as it accepts several root elements); parse_doctype keeps the DOCTYPE
// node so that we can reject it instead of skipping it.
constexpr unsigned kParseOptions =
    pugi::parse_default | pugi::parse_fragment | pugi::parse_doctype | pugi::parse_declaration;

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const std::size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string_view local_name(pugi::xml_node node) {
  const std::string_view name = node.name();
  const std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The namespace URI of an element, from the xmlns declarations in scope; nullopt for a prefix
// that no declaration binds.
std::optional<std::string_view> namespace_of(pugi::xml_node node) {
  const std::string_view name = node.name();
  const std::size_t colon = name.find(':');
  const std::string attr = colon == std::string_view::npos
                               ? std::string("xmlns")
                               : "xmlns:" + std::string(name.substr(0, colon));
  for (pugi::xml_node n = node; n.type() == pugi::node_element; n = n.parent()) {
    if (const pugi::xml_attribute a = n.attribute(attr.c_str())) return std::string_view(a.value());
  }
  if (colon != std::string_view::npos) return std::nullopt;
  return std::string_view();
}

// Named `name` in the S3 namespace or in none.
bool is_s3_element(pugi::xml_node node, std::string_view name) {
  if (node.type() != pugi::node_element || local_name(node) != name) return false;
  const auto ns = namespace_of(node);
  return ns && (ns->empty() || *ns == kS3Namespace);
}

// pugixml keeps a malformed or unknown reference ("&x;", "&#xZZ;", a bare "&") as literal
// text; XML says the document is not well-formed. With DOCTYPE refused, only the five
// predefined entities and character references are legal. CDATA sections, comments and
// processing instructions hold '&' literally and are skipped.
bool has_bad_reference(std::string_view body) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kLiteral = {
      {{"<![CDATA[", "]]>"}, {"<!--", "-->"}, {"<?", "?>"}}};
  std::size_t i = 0;
  while (i < body.size()) {
    if (body[i] == '<') {
      bool skipped = false;
      for (const auto& [open, close] : kLiteral) {
        if (body.substr(i).starts_with(open)) {
          const std::size_t end = body.find(close, i + open.size());
          if (end == std::string_view::npos) return false;  // unterminated: pugixml rejects it
          i = end + close.size();
          skipped = true;
          break;
        }
      }
      if (!skipped) ++i;
      continue;
    }
    if (body[i] != '&') {
      ++i;
      continue;
    }
    const std::size_t semi = body.find(';', i);
    if (semi == std::string_view::npos) return true;
    const std::string_view name = body.substr(i + 1, semi - i - 1);
    i = semi + 1;
    if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") {
      continue;
    }
    std::string_view digits = name;
    bool hex = false;
    if (digits.starts_with("#x")) {
      digits.remove_prefix(2);
      hex = true;
    } else if (digits.starts_with('#')) {
      digits.remove_prefix(1);
    } else {
      return true;
    }
    if (digits.empty() || digits.size() > 8) return true;
    std::uint32_t code_point = 0;
    for (char c : digits) {
      std::uint32_t v = 0;
      if (c >= '0' && c <= '9') {
        v = static_cast<std::uint32_t>(c - '0');
      } else if (hex && c >= 'a' && c <= 'f') {
        v = static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (hex && c >= 'A' && c <= 'F') {
        v = static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return true;
      }
      code_point = code_point * (hex ? 16 : 10) + v;
    }
    // NUL would silently cut the text short; beyond U+10FFFF is no character.
    if (code_point == 0 || code_point > 0x10FFFF) return true;
  }
  return false;
}

// The single root element of a well-formed document, or an empty node.
pugi::xml_node root_element(const pugi::xml_document& doc) {
  pugi::xml_node root;
  bool first = true;
  for (pugi::xml_node child : doc.children()) {
    switch (child.type()) {
      case pugi::node_declaration:
        if (!first) return {};
        break;
      case pugi::node_element:
        if (root) return {};
        root = child;
        break;
      case pugi::node_pcdata:
        if (!is_blank(child.value())) return {};
        break;
      default:  // DOCTYPE, CDATA outside the root
        return {};
    }
    first = false;
  }
  return root;
}

// The character content of an element that must hold only text; nullopt if it holds elements.
std::optional<std::string> text_of(pugi::xml_node node) {
  std::string text;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_pcdata && child.type() != pugi::node_cdata) return std::nullopt;
    text += child.value();
  }
  return text;
}

S3Error malformed() {
  return S3Error(ErrorCode::kMalformedXML);
}

}  // namespace

std::variant<CreateBucketConfiguration, S3Error> parse_create_bucket_configuration(
    std::string_view body) {
  CreateBucketConfiguration config;
  if (is_blank(body)) return config;

  if (has_bad_reference(body)) return malformed();
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size(), kParseOptions, pugi::encoding_utf8)) {
    return malformed();
  }
  const pugi::xml_node root = root_element(doc);
  if (!root || !is_s3_element(root, "CreateBucketConfiguration")) return malformed();

  bool seen_constraint = false;
  for (pugi::xml_node child : root.children()) {
    if (child.type() == pugi::node_pcdata) {
      if (!is_blank(child.value())) return malformed();
      continue;
    }
    if (is_s3_element(child, "LocationConstraint")) {
      const auto text = text_of(child);
      if (seen_constraint || !text) return malformed();
      seen_constraint = true;
      config.location_constraint = std::string(trim(*text));
    } else if (is_s3_element(child, "Location") || is_s3_element(child, "Bucket") ||
               is_s3_element(child, "Tags")) {
      return S3Error(ErrorCode::kNotImplemented, "CreateBucketConfiguration element <" +
                                                     std::string(local_name(child)) +
                                                     "> is not supported");
    } else {
      return malformed();
    }
  }
  return config;
}

}  // namespace s3gw::s3
