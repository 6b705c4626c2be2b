-- Online filing (网上立案): drafts and filings, their uploaded files, submissions, clerk
-- decisions, the case records accepted filings become, gap-free case-number sequences, and the
-- in-app notifications decisions send.

-- A filing from its first draft to the clerk's decision. The content (everything typed, as the
-- model's `Draft`) is kept encrypted with the identity key: it holds parties' ID numbers.
CREATE TABLE filings (
    id             INTEGER PRIMARY KEY,
    filer_id       INTEGER NOT NULL REFERENCES people(id),
    -- Set when a lawyer files for a client who granted representation for this filing.
    client_id      INTEGER REFERENCES people(id),
    status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'resubmitted', 'accepted', 'refused')),
    content        BLOB NOT NULL,
    -- Shown in lists without decrypting: "张三 诉 某某公司" and the case type.
    title          TEXT NOT NULL DEFAULT '',
    case_type      TEXT,
    -- The court chosen in the draft; fixed at submission.
    court_code     TEXT REFERENCES courts(code),
    step           TEXT NOT NULL DEFAULT 'case_type',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    first_submitted_at INTEGER,
    -- Latest (re)submission: the 7-day review clock runs from here.
    arrived_at     INTEGER,
    decided_at     INTEGER,
    decided_by     INTEGER REFERENCES people(id),
    case_number    TEXT UNIQUE,
    deleted_at     INTEGER
);
CREATE INDEX filings_of_filer ON filings(filer_id, deleted_at);
CREATE INDEX filings_of_client ON filings(client_id);
CREATE INDEX filings_queue ON filings(court_code, status, arrived_at);

-- What was submitted, each time: the clerk reviews exactly this. `request_key` makes a
-- submission idempotent: a double tap or a retry after a timeout finds the first one.
CREATE TABLE filing_submissions (
    id            INTEGER PRIMARY KEY,
    filing_id     INTEGER NOT NULL REFERENCES filings(id),
    request_key   TEXT NOT NULL UNIQUE,
    n             INTEGER NOT NULL,
    content       BLOB NOT NULL,
    submitted_at  INTEGER NOT NULL,
    UNIQUE (filing_id, n)
);

-- Every uploaded file, content-addressed on disk (data/blobs/sha256/ab/abcd…).
CREATE TABLE filing_files (
    id          INTEGER PRIMARY KEY,
    filing_id   INTEGER NOT NULL REFERENCES filings(id),
    owner_id    INTEGER NOT NULL REFERENCES people(id),
    name        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('pdf', 'jpeg', 'png')),
    created_at  INTEGER NOT NULL
);
CREATE INDEX filing_files_of_filing ON filing_files(filing_id);

-- A chunked upload in progress: bytes arrive in order into data/uploads/<id>.part; the
-- browser asks how much arrived and resumes from there after a dropped connection.
CREATE TABLE uploads (
    id          INTEGER PRIMARY KEY,
    filing_id   INTEGER NOT NULL REFERENCES filings(id),
    owner_id    INTEGER NOT NULL REFERENCES people(id),
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    received    INTEGER NOT NULL DEFAULT 0,
    -- Where the finished file goes in the draft: `evidence:N` or `agent`.
    target      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    file_id     INTEGER REFERENCES filing_files(id),
    failed      TEXT
);
CREATE INDEX uploads_of_filing ON uploads(filing_id);

-- The history of a filing, shown to the filer and the clerk. `details` is JSON (return
-- reasons by field, the refusal reason, the case number).
CREATE TABLE filing_events (
    id         INTEGER PRIMARY KEY,
    filing_id  INTEGER NOT NULL REFERENCES filings(id),
    at         INTEGER NOT NULL,
    actor_id   INTEGER NOT NULL REFERENCES people(id),
    kind       TEXT NOT NULL CHECK (kind IN ('submitted', 'resubmitted', 'returned', 'accepted', 'refused')),
    details    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX filing_events_of_filing ON filing_events(filing_id, at);

-- The last sequence number given per court, year and case type. Acceptance increments it in the
-- same write transaction that creates the case, so numbers are unique and without gaps.
CREATE TABLE case_sequences (
    court_code  TEXT NOT NULL REFERENCES courts(code),
    year        INTEGER NOT NULL,
    case_type   TEXT NOT NULL,
    last_seq    INTEGER NOT NULL,
    PRIMARY KEY (court_code, year, case_type)
);

-- A case: what an accepted filing becomes (the Cases area builds its pages on these rows).
CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    case_number    TEXT NOT NULL UNIQUE,
    filing_id      INTEGER NOT NULL UNIQUE REFERENCES filings(id),
    court_code     TEXT NOT NULL REFERENCES courts(code),
    case_type      TEXT NOT NULL,
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    cause          TEXT NOT NULL,
    total_claimed_fen INTEGER NOT NULL,
    stage          TEXT NOT NULL DEFAULT 'accepted',
    accepted_at    INTEGER NOT NULL,
    accepted_by    INTEGER NOT NULL REFERENCES people(id),
    UNIQUE (court_code, year, case_type, seq)
);

-- The case's parties. person_id links a party who uses Tianping (the filer or the client).
CREATE TABLE case_parties (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    n               INTEGER NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('claimant', 'respondent', 'third_party')),
    kind            TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
    name            TEXT NOT NULL,
    id_masked       TEXT,
    uscc            TEXT,
    representative  TEXT,
    phone           TEXT,
    address         TEXT NOT NULL,
    person_id       INTEGER REFERENCES people(id)
);
CREATE INDEX case_parties_of_case ON case_parties(case_id);
CREATE INDEX case_parties_of_person ON case_parties(person_id);

-- Who may see a case besides its parties: the lawyer who filed it for a client.
CREATE TABLE case_agents (
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    person_id  INTEGER NOT NULL REFERENCES people(id),
    client_id  INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (case_id, person_id)
);

CREATE TABLE case_claims (
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    n           INTEGER NOT NULL,
    text        TEXT NOT NULL,
    amount_fen  INTEGER,
    PRIMARY KEY (case_id, n)
);

CREATE TABLE case_evidence (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    n         INTEGER NOT NULL,
    name      TEXT NOT NULL,
    source    TEXT NOT NULL,
    proves    TEXT NOT NULL
);
CREATE TABLE case_evidence_files (
    evidence_id  INTEGER NOT NULL REFERENCES case_evidence(id),
    file_id      INTEGER NOT NULL REFERENCES filing_files(id),
    PRIMARY KEY (evidence_id, file_id)
);

-- In-app notifications (the inbox); SMS goes out through the Sms trait beside them.
-- `message` is a translation key; `params` its values as JSON.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people(id),
    at         INTEGER NOT NULL,
    message    TEXT NOT NULL,
    params     TEXT NOT NULL DEFAULT '{}',
    link       TEXT NOT NULL,
    read_at    INTEGER
);
CREATE INDEX notifications_of_person ON notifications(person_id, read_at);
