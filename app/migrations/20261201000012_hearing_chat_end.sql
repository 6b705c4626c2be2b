-- Online hearings: when the judge ended one (no one joins it again, even after a restart), and
-- the hearing's chat, kept with its record.
ALTER TABLE case_hearings ADD COLUMN ended_at INTEGER;

CREATE TABLE hearing_chat (
    id          INTEGER PRIMARY KEY,
    hearing_id  INTEGER NOT NULL REFERENCES case_hearings(id),
    person_id   INTEGER NOT NULL REFERENCES people(id),
    -- The verified name as shown in the room when it was said.
    name        TEXT NOT NULL,
    text        TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX hearing_chat_of_hearing ON hearing_chat(hearing_id, at);
