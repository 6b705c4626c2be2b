-- 笔录: the record of a hearing as the clerk publishes it, and each party's (or their lawyer's)
-- review of it: accepted (until the Signing area exists, a confirmed acceptance, kept here and
-- in the audit log) or objected to with what they say is wrong. A record can be changed until
-- the first review; after that it stands as reviewed.
CREATE TABLE hearing_records (
    hearing_id    INTEGER PRIMARY KEY REFERENCES case_hearings(id),
    body          TEXT NOT NULL,
    published_by  INTEGER NOT NULL REFERENCES people(id),
    published_at  INTEGER NOT NULL
);

CREATE TABLE hearing_record_reviews (
    hearing_id  INTEGER NOT NULL REFERENCES hearing_records(hearing_id),
    person_id   INTEGER NOT NULL REFERENCES people(id),
    decision    TEXT NOT NULL CHECK (decision IN ('accepted', 'objected')),
    objection   TEXT,
    at          INTEGER NOT NULL,
    PRIMARY KEY (hearing_id, person_id),
    CHECK ((decision = 'objected') = (objection IS NOT NULL))
);
