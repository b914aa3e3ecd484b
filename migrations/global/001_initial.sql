-- Global routing database: no personal data. Providers, regions and zones; later issues add
-- routing rows keyed by keyed hashes.
CREATE TABLE regions (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    country    text NOT NULL,
    endpoint   text,
    strict     boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE providers (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    type       text NOT NULL,
    country    text NOT NULL,
    city       text NOT NULL,
    region_id  text REFERENCES regions (id),
    status     text NOT NULL DEFAULT 'available',
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO regions (id, name, country, endpoint, strict) VALUES
    ('fi-hel', 'Helsinki', 'fi', 'http://localhost:8001', false),
    ('de-fra', 'Frankfurt', 'de', 'http://localhost:8002', true);
