#include "placement/json_config_loader.h"

#include <boost/json.hpp>

#include "placement/provider_rules.h"

namespace s3gw::placement {

namespace json = boost::json;

namespace {

std::size_t line_of(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n' ? 1 : 0;
  return line;
}

// A field a secret might be put in gets a pointed message rather than "unknown field".
bool looks_like_secret(std::string_view key) {
  return key.find("secret") != std::string_view::npos ||
         key.find("password") != std::string_view::npos || key == "access_key" ||
         key == "access_key_id" || key == "token";
}

// Reads one object's fields with their types; the first mistake wins.
class FieldReader {
 public:
  explicit FieldReader(std::string where) : where_(std::move(where)) {}

  const std::optional<std::string>& error() const { return error_; }
  void fail(const std::string& why) {
    if (!error_) error_ = where_ + ": " + why;
  }

  void string(const json::value& v, std::string_view key, std::string& out) {
    if (!v.is_string()) return fail("'" + std::string(key) + "' must be a string");
    out = std::string(v.get_string());
  }
  void strings(const json::value& v, std::string_view key, std::vector<std::string>& out) {
    if (!v.is_array()) return fail("'" + std::string(key) + "' must be an array of strings");
    for (const json::value& item : v.get_array()) {
      if (!item.is_string()) return fail("'" + std::string(key) + "' must be an array of strings");
      out.emplace_back(item.get_string());
    }
  }
  void integer(const json::value& v, std::string_view key, int& out) {
    if (!v.is_int64() && !v.is_uint64()) {
      return fail("'" + std::string(key) + "' must be an integer");
    }
    // Out of int's range is out of every range we accept; check_provider names the bounds.
    if (!v.is_int64() || v.get_int64() < -kMaxPriority || v.get_int64() > 2 * kMaxPriority) {
      return fail("'" + std::string(key) + "' must be between 0 and 1000000");
    }
    out = static_cast<int>(v.get_int64());
  }
  void boolean(const json::value& v, std::string_view key, bool& out) {
    if (!v.is_bool()) return fail("'" + std::string(key) + "' must be true or false");
    out = v.get_bool();
  }
  void comment(const json::value& v) {
    if (v.is_string()) return;
    if (v.is_array()) {
      for (const json::value& item : v.get_array()) {
        if (!item.is_string()) return fail("'comment' must be a string or an array of strings");
      }
      return;
    }
    fail("'comment' must be a string or an array of strings");
  }

 private:
  std::string where_;
  std::optional<std::string> error_;
};

void read_credentials(const json::value& v, FieldReader& r, CredentialsRef& out) {
  if (!v.is_object()) return r.fail("'credentials' must be an object");
  for (const auto& [key, value] : v.get_object()) {
    if (key == "access_key_env") {
      r.string(value, key, out.access_key_env);
    } else if (key == "secret_key_env") {
      r.string(value, key, out.secret_key_env);
    } else if (key == "file") {
      r.string(value, key, out.file);
    } else if (key == "profile") {
      r.string(value, key, out.profile);
    } else if (looks_like_secret(key)) {
      r.fail("credentials." + std::string(key) +
             ": secrets never go into the configuration; name environment variables "
             "(access_key_env, secret_key_env) or a credentials file");
    } else {
      r.fail("unknown credentials field '" + std::string(key) +
             "' (known: access_key_env, secret_key_env, file, profile)");
    }
  }
}

void read_tls(const json::value& v, FieldReader& r, TlsSettings& out) {
  if (!v.is_object()) return r.fail("'tls' must be an object");
  for (const auto& [key, value] : v.get_object()) {
    if (key == "ca_file") {
      r.string(value, key, out.ca_file);
    } else if (key == "insecure_skip_verify") {
      r.boolean(value, key, out.insecure_skip_verify);
    } else if (key == "comment") {
      r.comment(value);
    } else {
      r.fail("unknown tls field '" + std::string(key) +
             "' (known: ca_file, insecure_skip_verify, comment)");
    }
  }
}

std::optional<std::string> read_provider(const json::value& v, const std::string& where,
                                         Provider& p) {
  if (!v.is_object()) return where + ": a provider must be an object";
  const json::object& obj = v.get_object();
  // The entry's label says the id as soon as we know it.
  std::string label = where;
  if (const json::value* id = obj.if_contains("id"); id && id->is_string()) {
    label += " (id '" + std::string(id->get_string()) + "')";
  }
  FieldReader r(label);
  bool has_type = false;
  for (const auto& [key, value] : obj) {
    std::string text;
    if (key == "id") {
      r.string(value, key, p.id);
    } else if (key == "name") {
      r.string(value, key, p.name);
    } else if (key == "type") {
      r.string(value, key, text);
      has_type = true;
      if (auto t = parse_provider_type(text)) {
        p.type = *t;
      } else if (!r.error()) {
        r.fail("type '" + text + "' must be \"s3\" or \"filesystem\"");
      }
    } else if (key == "endpoint") {
      r.string(value, key, p.endpoint);
    } else if (key == "path") {
      r.string(value, key, p.path);
    } else if (key == "region") {
      r.string(value, key, p.region);
    } else if (key == "country") {
      r.string(value, key, p.country);
    } else if (key == "city") {
      r.string(value, key, p.city);
    } else if (key == "zones") {
      r.strings(value, key, p.zones);
    } else if (key == "addressing_style") {
      r.string(value, key, text);
      if (auto s = parse_addressing_style(text)) {
        p.addressing_style = *s;
      } else if (!r.error()) {
        r.fail("addressing_style '" + text + "' must be \"path\" or \"virtual\"");
      }
    } else if (key == "credentials") {
      read_credentials(value, r, p.credentials);
    } else if (key == "tls") {
      read_tls(value, r, p.tls);
    } else if (key == "capabilities") {
      r.strings(value, key, p.capabilities);
    } else if (key == "priority") {
      r.integer(value, key, p.priority);
    } else if (key == "status") {
      r.string(value, key, text);
      if (auto s = parse_provider_status(text)) {
        p.status = *s;
      } else if (!r.error()) {
        r.fail("status '" + text + "' must be \"available\", \"degraded\" or \"down\"");
      }
    } else if (key == "comment") {
      r.comment(value);
    } else if (looks_like_secret(key)) {
      r.fail("field '" + std::string(key) +
             "': secrets never go into the configuration; name environment variables "
             "in credentials (access_key_env, secret_key_env) or a credentials file");
    } else {
      r.fail("unknown field '" + std::string(key) + "'");
    }
  }
  if (r.error()) return r.error();
  if (p.id.empty()) return label + ": 'id' is required";
  if (!has_type) return label + ": 'type' is required (\"s3\" or \"filesystem\")";
  if (auto bad = check_provider(p)) return label + ": " + *bad;
  return std::nullopt;
}

std::optional<std::string> read_region(const json::value& v, const std::string& where,
                                       Region& region) {
  if (!v.is_object()) return where + ": a region must be an object";
  FieldReader r(where);
  for (const auto& [key, value] : v.get_object()) {
    if (key == "id") {
      r.string(value, key, region.id);
    } else if (key == "strict") {
      r.boolean(value, key, region.strict);
    } else if (key == "comment") {
      r.comment(value);
    } else {
      r.fail("unknown field '" + std::string(key) + "' (known: id, strict, comment)");
    }
  }
  if (r.error()) return r.error();
  if (auto bad = check_region(region)) return where + ": " + *bad;
  return std::nullopt;
}

}  // namespace

PlacementResult<RegistryConfig> JsonConfigLoader::parse(std::string_view text,
                                                        std::string_view file_name) {
  const std::string file(file_name);
  const auto fail = [](std::string msg) {
    return PlacementError(PlacementErrc::kInvalidConfig, std::move(msg));
  };
  json::stream_parser parser;
  boost::system::error_code ec;
  const std::size_t used = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    return fail(file + " line " + std::to_string(line_of(text, used)) + ": not valid JSON (" +
                ec.message() + ")");
  }
  const json::value root = parser.release();
  if (!root.is_object()) return fail(file + ": the top level must be an object");

  RegistryConfig config;
  bool has_providers = false;
  for (const auto& [key, value] : root.get_object()) {
    if (key == "providers") {
      has_providers = true;
      if (!value.is_array()) return fail(file + ": 'providers' must be an array");
      std::size_t index = 0;
      for (const json::value& entry : value.get_array()) {
        Provider p;
        p.source = file + " providers[" + std::to_string(index++) + "]";
        if (auto bad = read_provider(entry, p.source, p)) return fail(*bad);
        config.providers.push_back(std::move(p));
      }
    } else if (key == "regions") {
      if (!value.is_array()) return fail(file + ": 'regions' must be an array");
      std::size_t index = 0;
      for (const json::value& entry : value.get_array()) {
        Region region;
        region.source = file + " regions[" + std::to_string(index++) + "]";
        if (auto bad = read_region(entry, region.source, region)) return fail(*bad);
        config.regions.push_back(std::move(region));
      }
    } else if (key != "comment") {
      return fail(file + ": unknown top-level field '" + std::string(key) +
                  "' (known: providers, regions, comment)");
    }
  }
  if (!has_providers) return fail(file + ": 'providers' is required");
  return config;
}

}  // namespace s3gw::placement
