-- The provider catalog as the configuration files describe it (written by every gateway that
-- loads them, at start-up and on POST /api/providers/reload), and the bucket hash mappings.
-- Still no personal data: a mapping is keyed by a keyed hash of (customer, bucket).
ALTER TABLE regions ADD COLUMN city text;
ALTER TABLE regions ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- One row per provider entry ("fi-hel-st": one provider in one city). Never credentials, not
-- even the names of the variables that hold them.
ALTER TABLE providers ADD COLUMN code text;
ALTER TABLE providers ADD COLUMN endpoint text;
ALTER TABLE providers ADD COLUMN provider_region text;
ALTER TABLE providers ADD COLUMN addressing_style text;
ALTER TABLE providers ADD COLUMN capabilities text[] NOT NULL DEFAULT '{}';
ALTER TABLE providers ADD COLUMN priority integer NOT NULL DEFAULT 100;
ALTER TABLE providers ADD COLUMN configured_status text NOT NULL DEFAULT 'available';
ALTER TABLE providers ADD COLUMN status_at timestamptz;
ALTER TABLE providers ADD COLUMN status_by text;  -- the gateway region whose health check set it
ALTER TABLE providers ADD COLUMN source text;
ALTER TABLE providers ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE zones (
    id          text PRIMARY KEY,
    provider_id text NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    country     text NOT NULL,
    region_id   text NOT NULL,
    priority    integer NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- (customer bucket, zone) -> backend bucket. `bucket_key` is HMAC-SHA256(deployment salt,
-- customer NUL bucket) in hex. Backend bucket names are unique per provider name: one
-- provider's namespace may span its locations (AWS, Storj), so two zones of one provider never
-- share a backend bucket, and a name taken by another mapping moves to the next candidate.
CREATE TABLE bucket_mappings (
    id             bigserial PRIMARY KEY,
    bucket_key     text NOT NULL,
    zone_id        text NOT NULL,
    provider_name  text NOT NULL,
    backend_bucket text NOT NULL,
    attempt        integer NOT NULL,
    home_region    text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (bucket_key, zone_id),
    UNIQUE (provider_name, backend_bucket)
);
