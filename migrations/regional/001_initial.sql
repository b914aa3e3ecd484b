-- Regional metadata: buckets, object versions, tags, the operations log and blobs awaiting
-- removal. Key columns use COLLATE "C" so ORDER BY gives S3's bytewise order.

CREATE TABLE buckets (
    id                  bigserial PRIMARY KEY,
    customer_id         text NOT NULL,
    name                text COLLATE "C" NOT NULL,
    owner_user_id       text,
    location_constraint text NOT NULL DEFAULT '',
    replica_count       integer,
    versioning          text NOT NULL DEFAULT 'Unversioned'
                        CHECK (versioning IN ('Unversioned', 'Enabled', 'Suspended')),
    object_lock         jsonb,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (customer_id, name)
);

-- One row per object version. In an unversioned bucket the only version is 'null'.
CREATE TABLE objects (
    id                  bigserial PRIMARY KEY,
    bucket_id           bigint NOT NULL REFERENCES buckets (id),
    key                 text COLLATE "C" NOT NULL,
    version_id          text NOT NULL,
    is_latest           boolean NOT NULL,
    is_delete_marker    boolean NOT NULL DEFAULT false,
    size                bigint NOT NULL,
    etag                text NOT NULL,
    content_type        text,
    cache_control       text,
    content_disposition text,
    content_encoding    text,
    content_language    text,
    expires             text,
    user_metadata       jsonb NOT NULL DEFAULT '{}',
    checksum_algorithm  text,
    checksum_value      text,
    checksum_type       text,
    zone_id             text NOT NULL,
    backend_bucket      text NOT NULL,
    blob_key            text NOT NULL,
    last_modified       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (bucket_id, key, version_id)
);
-- Listing walks this index in key order.
CREATE UNIQUE INDEX objects_latest_key ON objects (bucket_id, key) WHERE is_latest;

CREATE TABLE object_tags (
    object_id bigint NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    key       text NOT NULL,
    value     text NOT NULL,
    PRIMARY KEY (object_id, key)
);

CREATE TABLE operations_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    request_id  text NOT NULL,
    customer_id text,
    user_id     text,
    operation   text NOT NULL,
    bucket      text COLLATE "C",
    key         text COLLATE "C",
    version_id  text,
    status      integer NOT NULL,
    bytes       bigint,
    source_ip   text,
    details     jsonb
);
CREATE INDEX operations_log_bucket ON operations_log (customer_id, bucket, at DESC);
CREATE INDEX operations_log_at ON operations_log (at DESC);

-- Blobs no longer referenced by metadata (overwritten or deleted versions). Rows are written in
-- the transaction that dereferences the blob and removed once the blob is gone, so a crash in
-- between leaves a record for the cleanup sweep instead of a silent orphan.
CREATE TABLE garbage_blobs (
    id             bigserial PRIMARY KEY,
    zone_id        text NOT NULL,
    backend_bucket text NOT NULL,
    blob_key       text NOT NULL,
    reason         text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
