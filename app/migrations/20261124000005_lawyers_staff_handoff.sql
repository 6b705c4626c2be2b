-- Lawyers and the representation clients grant them; staff enrolment links; sign-in hand-offs
-- (a kiosk or tablet signed in from a phone).

-- A lawyer's profile, verified by a clerk of a court in the lawyer's practice region.
CREATE TABLE lawyers (
    person_id     INTEGER PRIMARY KEY REFERENCES people(id),
    licence       TEXT NOT NULL UNIQUE,
    firm          TEXT NOT NULL,
    region        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    submitted_at  INTEGER NOT NULL,
    decided_at    INTEGER,
    decided_by    INTEGER REFERENCES people(id),
    reason        TEXT
);

-- A client's grant: this lawyer acts for me in this filing or case, until revoked.
CREATE TABLE representations (
    id           INTEGER PRIMARY KEY,
    client_id    INTEGER NOT NULL REFERENCES people(id),
    lawyer_id    INTEGER NOT NULL REFERENCES people(id),
    scope_kind   TEXT NOT NULL CHECK (scope_kind IN ('filing', 'case')),
    scope_ref    TEXT NOT NULL,
    granted_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX representations_of_client ON representations(client_id);
CREATE INDEX representations_of_lawyer ON representations(lawyer_id);
-- One live grant per client, lawyer and matter.
CREATE UNIQUE INDEX representations_live ON representations(client_id, lawyer_id, scope_kind, scope_ref) WHERE revoked_at IS NULL;

-- One-time enrolment links printed by `server admin create-staff`.
CREATE TABLE staff_enrolments (
    token_hash  TEXT PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);

-- A device (kiosk or tablet) asks to be signed in; a signed-in phone approves by scanning its QR.
-- The waiting device polls with its own token; the phone approves with the QR's token.
CREATE TABLE handoffs (
    id            INTEGER PRIMARY KEY,
    poll_hash     TEXT NOT NULL UNIQUE,
    approve_hash  TEXT NOT NULL UNIQUE,
    kiosk_device  TEXT,
    device_label  TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    approved_by   INTEGER REFERENCES people(id),
    approved_at   INTEGER,
    consumed_at   INTEGER
);
