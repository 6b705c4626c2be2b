-- People, their sessions, one-time codes, rate-limit events and the sandbox outside systems.

-- A person is known by their mobile number until they verify their real name. The resident ID
-- number is kept only encrypted (id_cipher, AES-256-GCM) with a keyed hash for look-up, so the
-- database alone does not reveal it. Court staff are people too (kind 'staff'): created by an
-- admin for one court and one role, without a mobile number, signing in with passkeys only.
CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'staff')),
    mobile       TEXT UNIQUE,
    court_code   TEXT REFERENCES courts(code),
    role         TEXT CHECK (role IN ('clerk', 'judge', 'mediator', 'admin')),
    created_at   INTEGER NOT NULL,
    legal_name   TEXT,
    id_cipher    BLOB,
    id_lookup    TEXT UNIQUE,
    id_masked    TEXT,
    verified_at  INTEGER,
    CHECK ((kind = 'person' AND mobile IS NOT NULL AND court_code IS NULL AND role IS NULL)
        OR (kind = 'staff' AND mobile IS NULL AND court_code IS NOT NULL AND role IS NOT NULL))
);

-- One row per signed-in device. The cookie holds a random 128-bit token; only its SHA-256 is
-- stored, so a copy of the database cannot be used to take over a session.
CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY,
    token_hash     TEXT NOT NULL UNIQUE,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    created_at     INTEGER NOT NULL,
    last_seen      INTEGER NOT NULL,
    stepped_up_at  INTEGER,
    idle_secs      INTEGER NOT NULL,
    kiosk_device   TEXT,
    browser        TEXT NOT NULL,
    profile        TEXT NOT NULL,
    place          TEXT NOT NULL,
    ended_at       INTEGER,
    end_reason     TEXT
);
CREATE INDEX sessions_of_person ON sessions(person_id, ended_at);

-- One-time codes sent by SMS. token_hash is the hash of the browser's pending-code cookie, so
-- the code can only be entered in the browser that asked for it.
CREATE TABLE sms_codes (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    mobile       TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    code         TEXT NOT NULL,
    sent_at      INTEGER NOT NULL,
    wrong_tries  INTEGER NOT NULL DEFAULT 0,
    used         INTEGER NOT NULL DEFAULT 0,
    burnt_at     INTEGER,
    next_path    TEXT NOT NULL DEFAULT '/me',
    session_id   INTEGER REFERENCES sessions(id)
);
CREATE INDEX sms_codes_by_mobile ON sms_codes(mobile, sent_at);

-- Events counted by the rate limits (per IP, per number, per person), pruned as they age.
CREATE TABLE rate_events (
    bucket  TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX rate_events_by_bucket ON rate_events(bucket, at);

-- Sandbox SMS gateway: what would have been sent, shown at /sandbox/sms.
CREATE TABLE sandbox_sms (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    mobile   TEXT NOT NULL,
    text     TEXT NOT NULL
);

-- Sandbox national identity registry, seeded from app/src/identity/sandbox_registry.json.
CREATE TABLE sandbox_registry (
    id_number   TEXT PRIMARY KEY,
    legal_name  TEXT NOT NULL,
    status      TEXT NOT NULL
);
