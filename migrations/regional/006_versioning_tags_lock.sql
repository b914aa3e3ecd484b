-- Versioning, tagging and object lock (issue 6).
-- Versions of a key, newest first: ListObjectVersions and promoting the next latest version
-- when the latest one is deleted walk this (row ids grow with every write).
CREATE INDEX objects_versions ON objects (bucket_id, key, id DESC);

-- The object's wanted replica count, from its `replica-count` tag (null: the bucket's).
ALTER TABLE objects ADD COLUMN replica_count integer;
-- Object lock, per version: retention (mode and date) and legal hold.
ALTER TABLE objects ADD COLUMN retention_mode text
    CHECK (retention_mode IN ('GOVERNANCE', 'COMPLIANCE'));
ALTER TABLE objects ADD COLUMN retain_until timestamptz;
ALTER TABLE objects ADD COLUMN legal_hold boolean NOT NULL DEFAULT false;
ALTER TABLE objects ADD CONSTRAINT objects_retention_complete
    CHECK ((retention_mode IS NULL) = (retain_until IS NULL));

-- Bucket tags ([[key, value], ...] in the client's order; null: no tag set).
ALTER TABLE buckets ADD COLUMN tags jsonb;

-- Tagging given to CreateMultipartUpload (x-amz-tagging), applied at completion; and its
-- object-lock headers.
ALTER TABLE multipart_uploads ADD COLUMN tags jsonb;
ALTER TABLE multipart_uploads ADD COLUMN retention_mode text;
ALTER TABLE multipart_uploads ADD COLUMN retain_until timestamptz;
ALTER TABLE multipart_uploads ADD COLUMN legal_hold boolean NOT NULL DEFAULT false;

-- Object lock, enforced by the database as well as by the handlers, so no code path (a bug, a
-- background task, a hand-written statement) can delete a locked version or weaken a
-- COMPLIANCE retention. A GOVERNANCE retention yields only to a transaction that set
-- s3gw.bypass_governance (SET LOCAL), which handlers do after checking the bypass header and
-- the s3:BypassGovernanceRetention permission.
CREATE FUNCTION objects_guard_lock() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bypass boolean := coalesce(current_setting('s3gw.bypass_governance', true), '') = 'on';
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.legal_hold THEN
            RAISE EXCEPTION 'version % of % is under legal hold', OLD.version_id, OLD.key
                USING ERRCODE = 'S3L01';
        END IF;
        IF OLD.retain_until IS NOT NULL AND OLD.retain_until > now()
           AND (OLD.retention_mode = 'COMPLIANCE' OR NOT bypass) THEN
            RAISE EXCEPTION 'version % of % is retained (%) until %', OLD.version_id, OLD.key,
                OLD.retention_mode, OLD.retain_until USING ERRCODE = 'S3L02';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.retain_until IS NOT NULL AND OLD.retain_until > now()
       AND (NEW.retain_until IS NULL OR NEW.retain_until < OLD.retain_until
            OR NEW.retention_mode IS DISTINCT FROM OLD.retention_mode) THEN
        -- COMPLIANCE may only be extended; GOVERNANCE may become COMPLIANCE, and may be
        -- shortened or removed with the bypass.
        IF OLD.retention_mode = 'COMPLIANCE'
           OR NOT (bypass OR (NEW.retention_mode = 'COMPLIANCE'
                              AND NEW.retain_until >= OLD.retain_until)) THEN
            RAISE EXCEPTION 'the retention of version % of % cannot be weakened', OLD.version_id,
                OLD.key USING ERRCODE = 'S3L03';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER objects_guard_lock BEFORE DELETE OR UPDATE OF retention_mode, retain_until
    ON objects FOR EACH ROW EXECUTE FUNCTION objects_guard_lock();
