-- Countries an operator allows a customer beyond a strict home region's own country
-- (PUT /api/location-constraints/customers/{customer}/allowed-countries). Without a row a
-- customer of a strict region keeps its data in the region's country.
CREATE TABLE customer_placement (
    customer_id     text PRIMARY KEY,
    extra_countries text[] NOT NULL DEFAULT '{}',
    updated_at      timestamptz NOT NULL DEFAULT now()
);
