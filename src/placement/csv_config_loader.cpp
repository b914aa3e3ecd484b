#include "placement/csv_config_loader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include "placement/csv_reader.h"
#include "placement/provider_rules.h"
#include "util/strings.h"

namespace s3gw::placement {
namespace {

constexpr std::array<std::string_view, 20> kColumns = {"id",
                                                       "name",
                                                       "type",
                                                       "endpoint",
                                                       "path",
                                                       "region",
                                                       "country",
                                                       "city",
                                                       "zones",
                                                       "addressing_style",
                                                       "access_key_env",
                                                       "secret_key_env",
                                                       "credentials_file",
                                                       "credentials_profile",
                                                       "tls_ca_file",
                                                       "tls_insecure_skip_verify",
                                                       "capabilities",
                                                       "priority",
                                                       "status",
                                                       "comment"};
constexpr std::array<std::string_view, 5> kRequired = {"id", "type", "country", "city", "zones"};

// "a; b ;c" -> {"a", "b", "c"}; an empty item is an error (nullopt).
std::optional<std::vector<std::string>> split_list(std::string_view field) {
  std::vector<std::string> items;
  if (util::trim_ows(field).empty()) return items;
  std::size_t start = 0;
  while (true) {
    const std::size_t semi = field.find(';', start);
    const std::string_view item =
        util::trim_ows(field.substr(start, semi == std::string_view::npos ? semi : semi - start));
    if (item.empty()) return std::nullopt;
    items.emplace_back(item);
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  return items;
}

std::optional<std::string> fill(Provider& p, std::string_view column, const std::string& value) {
  if (value.empty()) return std::nullopt;  // the default
  if (column == "id") {
    p.id = value;
  } else if (column == "name") {
    p.name = value;
  } else if (column == "type") {
    const auto t = parse_provider_type(value);
    if (!t) return "type '" + value + "' must be s3 or filesystem";
    p.type = *t;
  } else if (column == "endpoint") {
    p.endpoint = value;
  } else if (column == "path") {
    p.path = value;
  } else if (column == "region") {
    p.region = value;
  } else if (column == "country") {
    p.country = value;
  } else if (column == "city") {
    p.city = value;
  } else if (column == "zones" || column == "capabilities") {
    auto items = split_list(value);
    if (!items) return std::string(column) + " '" + value + "' has an empty item between ';'";
    (column == "zones" ? p.zones : p.capabilities) = std::move(*items);
  } else if (column == "addressing_style") {
    const auto s = parse_addressing_style(value);
    if (!s) return "addressing_style '" + value + "' must be path or virtual";
    p.addressing_style = *s;
  } else if (column == "access_key_env") {
    p.credentials.access_key_env = value;
  } else if (column == "secret_key_env") {
    p.credentials.secret_key_env = value;
  } else if (column == "credentials_file") {
    p.credentials.file = value;
  } else if (column == "credentials_profile") {
    p.credentials.profile = value;
  } else if (column == "tls_ca_file") {
    p.tls.ca_file = value;
  } else if (column == "tls_insecure_skip_verify") {
    if (value == "true") {
      p.tls.insecure_skip_verify = true;
    } else if (value != "false") {
      return "tls_insecure_skip_verify '" + value + "' must be true or false";
    }
  } else if (column == "priority") {
    int n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size()) {
      return "priority '" + value + "' must be an integer between 0 and 1000000";
    }
    p.priority = n;
  } else if (column == "status") {
    const auto s = parse_provider_status(value);
    if (!s) return "status '" + value + "' must be available, degraded or down";
    p.status = *s;
  }
  return std::nullopt;  // "comment"
}

}  // namespace

PlacementResult<RegistryConfig> CsvConfigLoader::parse(std::string_view text,
                                                       std::string_view file_name) {
  const std::string file(file_name);
  const auto fail = [](std::string msg) {
    return PlacementError(PlacementErrc::kInvalidConfig, std::move(msg));
  };
  auto records = CsvReader::parse(text);
  if (!records) return fail(file + " " + records.error().message);
  if (records->empty()) return fail(file + ": a header line is required");

  const CsvRecord& header = records->front();
  const std::string header_at = file + " line " + std::to_string(header.line);
  std::vector<std::string> columns;
  for (const std::string& raw : header.fields) {
    std::string name = util::ascii_lower(raw);
    if (std::find(kColumns.begin(), kColumns.end(), name) == kColumns.end()) {
      if (name.find("secret") != std::string::npos && name != "secret_key_env") {
        return fail(header_at + ": column '" + raw +
                    "': secrets never go into the configuration; use access_key_env, "
                    "secret_key_env or credentials_file");
      }
      return fail(header_at + ": unknown column '" + raw +
                  "' (the first non-comment line must be the header)");
    }
    if (std::find(columns.begin(), columns.end(), name) != columns.end()) {
      return fail(header_at + ": column '" + name + "' appears twice");
    }
    columns.push_back(std::move(name));
  }
  for (std::string_view required : kRequired) {
    if (std::find(columns.begin(), columns.end(), required) == columns.end()) {
      return fail(header_at + ": the header lacks the required column '" + std::string(required) +
                  "'");
    }
  }

  RegistryConfig config;
  for (std::size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& row = records.value()[r];
    Provider p;
    p.source = file + " line " + std::to_string(row.line);
    if (row.fields.size() != columns.size()) {
      return fail(p.source + ": " + std::to_string(row.fields.size()) + " fields, the header has " +
                  std::to_string(columns.size()));
    }
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (auto bad = fill(p, columns[c], row.fields[c])) return fail(p.source + ": " + *bad);
    }
    for (std::string_view required : kRequired) {
      const auto c = static_cast<std::size_t>(std::find(columns.begin(), columns.end(), required) -
                                              columns.begin());
      if (row.fields[c].empty()) {
        return fail(p.source + ": '" + std::string(required) + "' is required");
      }
    }
    if (auto bad = check_provider(p)) return fail(p.source + " (id '" + p.id + "'): " + *bad);
    config.providers.push_back(std::move(p));
  }
  return config;
}

}  // namespace s3gw::placement
