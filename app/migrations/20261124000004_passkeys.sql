-- Passkeys (WebAuthn credentials) and the server-side state of WebAuthn ceremonies.

-- The random user handle a person's passkeys carry (a UUID, never their number or name).
ALTER TABLE people ADD COLUMN user_handle TEXT;
CREATE UNIQUE INDEX people_by_user_handle ON people(user_handle);

CREATE TABLE passkeys (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people(id),
    cred_id       TEXT NOT NULL UNIQUE,
    -- webauthn-rs' Passkey (public key, counter, flags) as JSON.
    passkey       TEXT NOT NULL,
    name          TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER
);
CREATE INDEX passkeys_of_person ON passkeys(person_id);

-- Registration and authentication state: kept here, not in the browser; single use; five minutes.
CREATE TABLE webauthn_challenges (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    person_id   INTEGER REFERENCES people(id),
    session_id  INTEGER REFERENCES sessions(id),
    state       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    used        INTEGER NOT NULL DEFAULT 0
);
