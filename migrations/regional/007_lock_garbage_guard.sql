-- Object lock, continued (issue 6): no code path ever records the blob of a locked version as
-- garbage. Every path that dereferences a blob records it in garbage_blobs in its own
-- transaction, and objects_guard_lock (006) already refuses to delete a locked version's row;
-- this guard keeps the same promise for the blob, whatever records it (a bug, a version sharing
-- a blob, a hand-written INSERT): a garbage row naming a blob that a version with a retention or
-- a legal hold still references is dropped. While that version exists its blob is not garbage;
-- deleting the version (once its lock allows) records the blob again.
CREATE INDEX objects_locked_blobs ON objects (blob_key)
    WHERE legal_hold OR retain_until IS NOT NULL;

CREATE FUNCTION garbage_guard_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM objects o
               WHERE o.blob_key = NEW.blob_key AND (o.legal_hold OR o.retain_until IS NOT NULL)
                 AND o.zone_id = NEW.zone_id AND o.backend_bucket = NEW.backend_bucket) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER garbage_guard_lock BEFORE INSERT ON garbage_blobs
    FOR EACH ROW EXECUTE FUNCTION garbage_guard_lock();
