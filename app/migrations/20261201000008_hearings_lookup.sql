-- Hearings the court schedules in a case, and the query code printed on a case's papers for
-- the public lookup (公开查询). Cases accepted before this migration get a code here; the
-- alphabet of new codes (app::cases::schedule::QueryCode) avoids look-alikes, these use hex.
ALTER TABLE cases ADD COLUMN query_code TEXT;
UPDATE cases SET query_code = upper(hex(randomblob(4))) WHERE query_code IS NULL;

CREATE TABLE case_hearings (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    starts_at     INTEGER NOT NULL,
    minutes       INTEGER NOT NULL CHECK (minutes BETWEEN 10 AND 480),
    mode          TEXT NOT NULL CHECK (mode IN ('courtroom', 'online')),
    courtroom     TEXT,
    -- 公开审理: closed hearings are never shown by the public lookup.
    public        INTEGER NOT NULL CHECK (public IN (0, 1)),
    scheduled_by  INTEGER NOT NULL REFERENCES people(id),
    scheduled_at  INTEGER NOT NULL,
    CHECK ((mode = 'courtroom') = (courtroom IS NOT NULL))
);
CREATE INDEX case_hearings_of_case ON case_hearings(case_id, starts_at);
