-- Authentication in the operations log, and compliance events: authentication failures and
-- permission denials now, placement decisions with the provider layer.

-- The access key a request was signed with (null when authentication is off or absent).
ALTER TABLE operations_log ADD COLUMN access_key_id text;
CREATE INDEX operations_log_access_key ON operations_log (access_key_id, at DESC)
    WHERE access_key_id IS NOT NULL;

CREATE TABLE compliance_events (
    id            bigserial PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    type          text NOT NULL,  -- 'auth_failure', 'access_denied', ...
    request_id    text,
    customer_id   text,
    user_id       text,
    access_key_id text,
    source_ip     text,
    operation     text,
    bucket        text COLLATE "C",
    key           text COLLATE "C",
    code          text,           -- the S3 error code the client received
    reason        text            -- why, for the operator; never a secret or a signature
);
CREATE INDEX compliance_events_at ON compliance_events (at DESC);
CREATE INDEX compliance_events_type ON compliance_events (type, at DESC);
CREATE INDEX compliance_events_access_key ON compliance_events (access_key_id, at DESC)
    WHERE access_key_id IS NOT NULL;

-- Every gateway process caches credentials and drops a key when told on this channel
-- (CredentialCache). A trigger rather than the application: a deactivation or permission change
-- made in SQL by hand takes effect within a second too. Delivered at commit, never for a
-- rollback. last_used_at (batched by the gateways) is not among the columns and does not fire.
CREATE FUNCTION s3gw_notify_credential_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('s3gw_credentials', OLD.access_key_id);
    ELSE
        PERFORM pg_notify('s3gw_credentials', NEW.access_key_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER s3_credentials_changed
    AFTER INSERT OR DELETE OR UPDATE OF access_key_id, secret_sealed, user_id, customer_id,
        permissions, active
    ON s3_credentials FOR EACH ROW EXECUTE FUNCTION s3gw_notify_credential_change();
