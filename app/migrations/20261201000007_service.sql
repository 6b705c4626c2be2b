-- Electronic service (电子送达): the documents a court serves in a case, and one delivery for
-- each person served (a party who uses Tianping, or the lawyer acting for one), with its read
-- receipt. The bytes are in the content-addressed blob store under `sha256`.
CREATE TABLE case_documents (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    kind          TEXT NOT NULL CHECK (kind IN ('judgment', 'ruling', 'fee_notice', 'evidence_notice', 'summons', 'other')),
    title         TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size > 0),
    -- The evidence period the court set (举证期限), for an evidence notice.
    evidence_days INTEGER CHECK (evidence_days IS NULL OR evidence_days > 0),
    served_by     INTEGER NOT NULL REFERENCES people(id),
    served_at     INTEGER NOT NULL,
    -- The same file served twice in a case (a double click, a retry) is one service.
    UNIQUE (case_id, sha256)
);
CREATE INDEX case_documents_of_case ON case_documents(case_id);

CREATE TABLE document_services (
    document_id INTEGER NOT NULL REFERENCES case_documents(id),
    person_id   INTEGER NOT NULL REFERENCES people(id),
    capacity    TEXT NOT NULL CHECK (capacity IN ('party', 'agent')),
    -- When it reached the person's account: the date of service (Civil Procedure Law art. 90).
    served_at   INTEGER NOT NULL,
    -- The first opening; set once and never moved (the proof staff see).
    read_at     INTEGER,
    PRIMARY KEY (document_id, person_id)
);
CREATE INDEX document_services_of_person ON document_services(person_id);
