-- The court directory (loaded by `server seed`); codes are those used in case numbers.
CREATE TABLE courts (
    code        TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('supreme', 'high', 'intermediate', 'basic')),
    parent      TEXT REFERENCES courts(code),
    region      TEXT NOT NULL,
    region_code TEXT NOT NULL,
    address     TEXT NOT NULL,
    phone       TEXT
) STRICT;

CREATE INDEX courts_parent ON courts(parent);
