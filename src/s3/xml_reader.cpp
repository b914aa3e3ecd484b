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

// The root element of `body` if it is `name`; an empty node otherwise (malformed).
pugi::xml_node parse_root(pugi::xml_document& doc, std::string_view body, std::string_view name) {
  if (is_blank(body) || has_bad_reference(body)) return {};
  if (!doc.load_buffer(body.data(), body.size(), kParseOptions, pugi::encoding_utf8)) return {};
  const pugi::xml_node root = root_element(doc);
  if (!root || !is_s3_element(root, name)) return {};
  return root;
}

// The element children of `node`, skipping comments and blank text; nullopt when it holds
// text or anything else.
std::optional<std::vector<pugi::xml_node>> child_elements(pugi::xml_node node) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_comment) continue;
    if (child.type() == pugi::node_pcdata) {
      if (!is_blank(child.value())) return std::nullopt;
      continue;
    }
    if (child.type() != pugi::node_element) return std::nullopt;
    const auto ns = namespace_of(child);
    if (!ns || !(ns->empty() || *ns == kS3Namespace)) return std::nullopt;
    out.push_back(child);
  }
  return out;
}

// Sets `out` from a text-only element seen once; false when seen twice or not text-only.
bool take_text(pugi::xml_node node, std::optional<std::string>& out, bool trimmed = true) {
  if (out) return false;
  auto text = text_of(node);
  if (!text) return false;
  out = trimmed ? std::string(trim(*text)) : std::move(*text);
  return true;
}

std::optional<long long> positive_integer(std::string_view v) {
  if (v.empty() || v.size() > 9) return std::nullopt;
  long long n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
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

std::variant<CompleteMultipartUpload, S3Error> parse_complete_multipart_upload(
    std::string_view body) {
  if (is_blank(body) || has_bad_reference(body)) return malformed();
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size(), kParseOptions, pugi::encoding_utf8)) {
    return malformed();
  }
  const pugi::xml_node root = root_element(doc);
  if (!root || !is_s3_element(root, "CompleteMultipartUpload")) return malformed();

  CompleteMultipartUpload out;
  for (pugi::xml_node child : root.children()) {
    if (child.type() == pugi::node_pcdata) {
      if (!is_blank(child.value())) return malformed();
      continue;
    }
    if (child.type() == pugi::node_comment) continue;
    if (!is_s3_element(child, "Part")) return malformed();
    CompletedPart part;
    bool have_number = false;
    bool have_etag = false;
    for (pugi::xml_node field : child.children()) {
      if (field.type() == pugi::node_pcdata) {
        if (!is_blank(field.value())) return malformed();
        continue;
      }
      if (field.type() == pugi::node_comment) continue;
      if (field.type() != pugi::node_element) return malformed();
      const auto text = text_of(field);
      if (!text) return malformed();
      const std::string_view value = trim(*text);
      const std::string_view name = local_name(field);
      if (is_s3_element(field, "PartNumber")) {
        if (have_number || value.empty() || value.size() > 12) return malformed();
        long long n = 0;
        for (char c : value) {
          if (c < '0' || c > '9') return malformed();
          n = n * 10 + (c - '0');
        }
        part.number = n;
        have_number = true;
      } else if (is_s3_element(field, "ETag")) {
        if (have_etag) return malformed();
        part.etag = std::string(value);
        have_etag = true;
      } else if (name.starts_with("Checksum") && is_s3_element(field, name)) {
        const auto alg = util::parse_checksum_algorithm(name.substr(8));
        if (!alg) return malformed();
        for (const auto& [a, v] : part.checksums) {
          if (a == *alg) return malformed();
        }
        part.checksums.emplace_back(*alg, std::string(value));
      } else {
        return malformed();
      }
    }
    if (!have_number || !have_etag) return malformed();
    out.parts.push_back(std::move(part));
  }
  if (out.parts.empty()) return malformed();
  return out;
}

std::variant<VersioningConfiguration, S3Error> parse_versioning_configuration(
    std::string_view body) {
  pugi::xml_document doc;
  const pugi::xml_node root = parse_root(doc, body, "VersioningConfiguration");
  if (!root) return malformed();
  const auto children = child_elements(root);
  if (!children) return malformed();
  std::optional<std::string> status;
  std::optional<std::string> mfa;
  for (const auto& c : *children) {
    const auto name = local_name(c);
    if (name == "Status") {
      if (!take_text(c, status)) return malformed();
    } else if (name == "MfaDelete") {
      if (!take_text(c, mfa)) return malformed();
    } else {
      return malformed();
    }
  }
  if (status && *status != "Enabled" && *status != "Suspended") return malformed();
  if (mfa && *mfa == "Enabled") {
    return S3Error(ErrorCode::kNotImplemented, "MFA delete is not supported.");
  }
  if (mfa && *mfa != "Disabled") return malformed();
  return VersioningConfiguration{std::move(status)};
}

std::variant<TagSet, S3Error> parse_tagging(std::string_view body) {
  pugi::xml_document doc;
  const pugi::xml_node root = parse_root(doc, body, "Tagging");
  if (!root) return malformed();
  const auto top = child_elements(root);
  if (!top || top->size() != 1 || local_name((*top)[0]) != "TagSet") return malformed();
  const auto tags = child_elements((*top)[0]);
  if (!tags) return malformed();
  TagSet out;
  for (const auto& t : *tags) {
    if (local_name(t) != "Tag") return malformed();
    const auto fields = child_elements(t);
    if (!fields) return malformed();
    std::optional<std::string> key;
    std::optional<std::string> value;
    for (const auto& f : *fields) {
      // Tag keys and values keep their spaces: they are data.
      if (local_name(f) == "Key") {
        if (!take_text(f, key, false)) return malformed();
      } else if (local_name(f) == "Value") {
        if (!take_text(f, value, false)) return malformed();
      } else {
        return malformed();
      }
    }
    if (!key || !value) return malformed();
    out.push_back(Tag{std::move(*key), std::move(*value)});
  }
  return out;
}

std::variant<DeleteRequest, S3Error> parse_delete(std::string_view body) {
  pugi::xml_document doc;
  const pugi::xml_node root = parse_root(doc, body, "Delete");
  if (!root) return malformed();
  const auto children = child_elements(root);
  if (!children) return malformed();
  DeleteRequest out;
  std::optional<std::string> quiet;
  for (const auto& c : *children) {
    const auto name = local_name(c);
    if (name == "Quiet") {
      if (!take_text(c, quiet)) return malformed();
      if (*quiet != "true" && *quiet != "false") return malformed();
      out.quiet = *quiet == "true";
      continue;
    }
    if (name != "Object") return malformed();
    if (out.objects.size() == kMaxDeleteObjects) return malformed();
    const auto fields = child_elements(c);
    if (!fields) return malformed();
    std::optional<std::string> key;
    std::optional<std::string> version;
    for (const auto& f : *fields) {
      const auto fname = local_name(f);
      if (fname == "Key") {
        if (!take_text(f, key, false)) return malformed();
      } else if (fname == "VersionId") {
        if (!take_text(f, version)) return malformed();
      } else if (fname == "ETag" || fname == "LastModifiedTime" || fname == "Size") {
        continue;  // conditional deletes of directory buckets: accepted, not applied
      } else {
        return malformed();
      }
    }
    if (!key) return malformed();
    out.objects.push_back(ObjectIdentifier{std::move(*key), std::move(version)});
  }
  if (out.objects.empty()) return malformed();
  return out;
}

std::variant<ObjectLockConfiguration, S3Error> parse_object_lock_configuration(
    std::string_view body) {
  pugi::xml_document doc;
  const pugi::xml_node root = parse_root(doc, body, "ObjectLockConfiguration");
  if (!root) return malformed();
  const auto children = child_elements(root);
  if (!children) return malformed();
  ObjectLockConfiguration out;
  std::optional<std::string> enabled;
  bool seen_rule = false;
  for (const auto& c : *children) {
    const auto name = local_name(c);
    if (name == "ObjectLockEnabled") {
      if (!take_text(c, enabled) || *enabled != "Enabled") return malformed();
      out.enabled = true;
      continue;
    }
    if (name != "Rule" || seen_rule) return malformed();
    seen_rule = true;
    const auto rule = child_elements(c);
    if (!rule || rule->size() != 1 || local_name((*rule)[0]) != "DefaultRetention") {
      return malformed();
    }
    const auto fields = child_elements((*rule)[0]);
    if (!fields) return malformed();
    std::optional<std::string> mode;
    std::optional<std::string> days;
    std::optional<std::string> years;
    for (const auto& f : *fields) {
      const auto fname = local_name(f);
      if (fname == "Mode") {
        if (!take_text(f, mode)) return malformed();
      } else if (fname == "Days") {
        if (!take_text(f, days)) return malformed();
      } else if (fname == "Years") {
        if (!take_text(f, years)) return malformed();
      } else {
        return malformed();
      }
    }
    if (!mode || (*mode != "GOVERNANCE" && *mode != "COMPLIANCE")) return malformed();
    if (days.has_value() == years.has_value()) return malformed();
    DefaultRetention r;
    r.mode = *mode;
    const auto n = positive_integer(days ? *days : *years);
    if (!n || *n == 0 || (days && *n > 36500) || (years && *n > 100)) {
      return S3Error(ErrorCode::kInvalidRetentionPeriod);
    }
    (days ? r.days : r.years) = *n;
    out.rule = std::move(r);
  }
  if (!out.enabled) return malformed();
  return out;
}

std::variant<Retention, S3Error> parse_retention(std::string_view body) {
  pugi::xml_document doc;
  const pugi::xml_node root = parse_root(doc, body, "Retention");
  if (!root) return malformed();
  const auto children = child_elements(root);
  if (!children) return malformed();
  Retention out;
  for (const auto& c : *children) {
    const auto name = local_name(c);
    if (name == "Mode") {
      if (!take_text(c, out.mode)) return malformed();
    } else if (name == "RetainUntilDate") {
      if (!take_text(c, out.retain_until)) return malformed();
    } else {
      return malformed();
    }
  }
  if (out.mode && *out.mode != "GOVERNANCE" && *out.mode != "COMPLIANCE") return malformed();
  if (out.mode.has_value() != out.retain_until.has_value()) return malformed();
  return out;
}

std::variant<bool, S3Error> parse_legal_hold(std::string_view body) {
  pugi::xml_document doc;
  const pugi::xml_node root = parse_root(doc, body, "LegalHold");
  if (!root) return malformed();
  const auto children = child_elements(root);
  if (!children || children->size() != 1 || local_name((*children)[0]) != "Status") {
    return malformed();
  }
  std::optional<std::string> status;
  if (!take_text((*children)[0], status)) return malformed();
  if (*status == "ON") return true;
  if (*status == "OFF") return false;
  return malformed();
}

}  // namespace s3gw::s3
