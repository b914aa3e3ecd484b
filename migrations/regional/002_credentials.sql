-- S3 credentials of this region's users. The secret is stored only sealed: base64 of
-- AES-256-GCM(nonce || ciphertext || tag) under the master key, with the access key id as
-- associated data so a sealed secret copied onto another row does not open.
CREATE TABLE s3_credentials (
    access_key_id  text PRIMARY KEY,
    secret_sealed  text NOT NULL,
    user_id        text NOT NULL,
    user_name      text,
    email          text,
    customer_id    text NOT NULL,
    permissions    jsonb NOT NULL DEFAULT '{}',
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_used_at   timestamptz
);
CREATE INDEX s3_credentials_user ON s3_credentials (user_id);
CREATE INDEX s3_credentials_customer ON s3_credentials (customer_id);
CREATE INDEX buckets_owner ON buckets (owner_user_id);
