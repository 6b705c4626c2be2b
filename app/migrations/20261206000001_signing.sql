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
    void_reason  TEXT
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
