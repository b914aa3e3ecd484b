-- Client multipart uploads (CreateMultipartUpload .. Complete/Abort) and their parts. The
-- upload's blob key is chosen at creation and never reused; the backend's own upload id (S3
-- zones) or nothing (filesystem zones, whose parts are blobs of their own) goes with it.
CREATE TABLE multipart_uploads (
    upload_id           text PRIMARY KEY,
    bucket_id           bigint NOT NULL REFERENCES buckets (id),
    key                 text COLLATE "C" NOT NULL,
    initiated           timestamptz NOT NULL DEFAULT now(),
    owner_user_id       text,
    content_type        text,
    cache_control       text,
    content_disposition text,
    content_encoding    text,
    content_language    text,
    expires             text,
    user_metadata       jsonb NOT NULL DEFAULT '[]',
    -- x-amz-checksum-algorithm / -type as asked for (null: none asked; the object then gets a
    -- CRC64NVME FULL_OBJECT checksum, as S3 gives every new object).
    checksum_algorithm  text,
    checksum_type       text,
    zone_id             text NOT NULL,
    backend_bucket      text NOT NULL,
    blob_key            text NOT NULL UNIQUE,
    backend_upload_id   text NOT NULL DEFAULT ''
);
-- ListMultipartUploads walks this in S3's order (key, then initiation; upload ids begin with
-- the initiation time, so they sort the same way).
CREATE INDEX multipart_uploads_listing ON multipart_uploads (bucket_id, key, upload_id);

CREATE TABLE multipart_parts (
    upload_id        text NOT NULL REFERENCES multipart_uploads (upload_id) ON DELETE CASCADE,
    part_number      integer NOT NULL CHECK (part_number BETWEEN 1 AND 10000),
    size             bigint NOT NULL,
    etag             text NOT NULL,  -- quoted hex MD5, as UploadPart answered
    -- In the upload's checksum algorithm (or CRC64NVME when none was asked for), base64.
    checksum_value   text,
    -- A checksum of another algorithm the client sent with the part (uploads without one).
    client_checksum_algorithm text,
    client_checksum_value     text,
    -- Where the backend keeps the part: a blob key of its own (part_blob, filesystem zones) or
    -- the backend part's ETag (S3 zones).
    part_handle      text NOT NULL,
    part_blob        boolean NOT NULL,
    uploaded_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (upload_id, part_number)
);

-- An aborted upload whose backend still holds it (S3 zones): the cleanup aborts it there
-- instead of deleting a blob.
ALTER TABLE garbage_blobs ADD COLUMN backend_upload_id text;
