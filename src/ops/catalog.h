#pragma once
// The registry as the global database's provider catalog describes it (meta::ProviderCatalog).
// Never credentials, not even where they are kept.
#include "meta/provider_catalog.h"
#include "placement/registry.h"

namespace s3gw::ops {

meta::Catalog to_catalog(const placement::Registry& registry);

}  // namespace s3gw::ops
