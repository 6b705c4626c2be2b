-- What staff record in a case beside what Tianping records itself: a hearing held, a mediation
-- session, the judgment pronounced, and each move from one stage to another. Every row is on the
-- parties' timeline. `request_key` is the form's: a double tap records one event.
CREATE TABLE case_events (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    kind         TEXT NOT NULL CHECK (kind IN ('hearing_held', 'mediation', 'judgment', 'stage')),
    -- For a stage change: the stage the case moved to.
    stage        TEXT CHECK ((kind = 'stage') = (stage IS NOT NULL)),
    note         TEXT NOT NULL DEFAULT '',
    happened_at  INTEGER NOT NULL,
    recorded_by  INTEGER NOT NULL REFERENCES people(id),
    recorded_at  INTEGER NOT NULL,
    request_key  TEXT NOT NULL UNIQUE
);
CREATE INDEX case_events_of_case ON case_events(case_id, happened_at);

-- The judge the case is assigned to (承办法官); the clerk is the one who accepted it.
ALTER TABLE cases ADD COLUMN judge_id INTEGER REFERENCES people(id);

-- How each person wants to be told, beside the in-app inbox that always keeps every notice.
ALTER TABLE people ADD COLUMN notify_sms INTEGER NOT NULL DEFAULT 1 CHECK (notify_sms IN (0, 1));
ALTER TABLE people ADD COLUMN notify_push INTEGER NOT NULL DEFAULT 1 CHECK (notify_push IN (0, 1));

-- A person's private calendar feed (.ics) of their hearings and deadlines. Calendar apps fetch
-- it without cookies, so the address carries a random token; only its SHA-256 is kept, and
-- making a new one retires the old address.
CREATE TABLE calendar_feeds (
    person_id   INTEGER PRIMARY KEY REFERENCES people(id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

-- Web Push: each device a person turned notifications on for (RFC 8030 subscription: the push
-- service's endpoint and the keys messages are encrypted to), with the language to write in.
CREATE TABLE push_subscriptions (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    endpoint    TEXT NOT NULL UNIQUE,
    p256dh      TEXT NOT NULL,
    auth        TEXT NOT NULL,
    locale      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX push_subscriptions_of_person ON push_subscriptions(person_id);

-- When a notice was handed to the push sender (claimed once, so it is pushed at most once).
-- Notices from before push existed count as handled.
ALTER TABLE notifications ADD COLUMN pushed_at INTEGER;
UPDATE notifications SET pushed_at = at;
CREATE INDEX notifications_to_push ON notifications(id) WHERE pushed_at IS NULL;

-- The sandbox push service's outbox: each message as a push service would receive it.
CREATE TABLE sandbox_push (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    endpoint       TEXT NOT NULL,
    authorization  TEXT NOT NULL,
    ttl            TEXT NOT NULL,
    encoding       TEXT NOT NULL,
    body           BLOB NOT NULL
);
