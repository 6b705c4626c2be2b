-- Documents the court sends for signature (the Signing area): a mediation agreement drafted from
-- its template, a hearing record, any other document. Every version's content is kept with its
-- fingerprint (SHA-256 of signing::model's canonical encoding), so whatever is signed later
-- names exactly the content it covered, and an edit never rewrites what was sent before.
CREATE TABLE signing_documents (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    kind         TEXT NOT NULL CHECK (kind IN ('mediation_agreement', 'hearing_record', 'other')),
    hearing_id   INTEGER REFERENCES case_hearings(id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    status       TEXT NOT NULL CHECK (status IN ('draft', 'out', 'all_signed', 'sealed', 'declined', 'voided')),
    created_by   INTEGER NOT NULL REFERENCES people(id),
    created_at   INTEGER NOT NULL,
    void_reason  TEXT,
    -- The court's seal (Ed25519 over signing::model::seal_statement), the public key it was
    -- made with, and when and by whom.
    sealed_at      INTEGER,
    sealed_by      INTEGER REFERENCES people(id),
    seal_signature TEXT,
    seal_public    TEXT
);
CREATE INDEX signing_documents_of_case ON signing_documents(case_id);

CREATE TABLE signing_versions (
    document_id  INTEGER NOT NULL REFERENCES signing_documents(id),
    version      INTEGER NOT NULL,
    -- JSON of signing::model::Document (the fingerprint is recomputed from it and compared).
    content      TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    made_by      INTEGER NOT NULL REFERENCES people(id),
    made_at      INTEGER NOT NULL,
    PRIMARY KEY (document_id, version)
);

-- Who signs (the case's parties who use Tianping), in order, and where each is in the current
-- round: JSON of signing::model::SignerState.
CREATE TABLE signing_signers (
    document_id  INTEGER NOT NULL REFERENCES signing_documents(id),
    person_id    INTEGER NOT NULL REFERENCES people(id),
    n            INTEGER NOT NULL,
    state        TEXT NOT NULL,
    PRIMARY KEY (document_id, person_id)
);

-- A signer's SMS code for one version of one document (where passkeys are absent, as in WeChat).
-- The code is kept only as SHA-256 over the signing challenge (document, version, signer,
-- fingerprint, nonce) and the code, so it is bound to exactly that and useless for anything else.
CREATE TABLE signing_codes (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES signing_documents(id),
    version      INTEGER NOT NULL,
    person_id    INTEGER NOT NULL REFERENCES people(id),
    fingerprint  TEXT NOT NULL,
    challenge    TEXT NOT NULL,
    code_hash    TEXT NOT NULL,
    issued_at    INTEGER NOT NULL,
    wrong_tries  INTEGER NOT NULL DEFAULT 0,
    used_at      INTEGER
);
CREATE INDEX signing_codes_of_signer ON signing_codes(document_id, person_id, issued_at);

-- Each signature as given: the version and fingerprint it covers, how it was bound (the
-- challenge; a passkey's credential id), the drawn signature (SVG path data) or the typed name,
-- and when. An edit afterwards voids it (voided_at); nothing is ever deleted.
CREATE TABLE signing_signatures (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES signing_documents(id),
    version        INTEGER NOT NULL,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    fingerprint    TEXT NOT NULL,
    method         TEXT NOT NULL CHECK (method IN ('passkey', 'sms_code')),
    challenge      TEXT NOT NULL,
    credential_id  TEXT,
    drawing        TEXT,
    typed_name     TEXT,
    signed_at      INTEGER NOT NULL,
    voided_at      INTEGER,
    CHECK (drawing IS NOT NULL OR typed_name IS NOT NULL),
    UNIQUE (document_id, version, person_id)
);
