-- Contact the judge (联系法官): one thread per case and party between the party (with the
-- lawyer acting for them) and the court. `read_at` is when the other side first opened the
-- thread after the message arrived; a party's message is answered by the court's next one.
CREATE TABLE case_messages (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    -- Whose thread: the party (a lawyer writes in their client's).
    party_id     INTEGER NOT NULL REFERENCES people(id),
    author_id    INTEGER NOT NULL REFERENCES people(id),
    from_court   INTEGER NOT NULL CHECK (from_court IN (0, 1)),
    body         TEXT NOT NULL,
    sent_at      INTEGER NOT NULL,
    read_at      INTEGER,
    -- The form's key: a double tap or a resend after a timeout is one message.
    request_key  TEXT NOT NULL UNIQUE
);
CREATE INDEX case_messages_of_thread ON case_messages(case_id, party_id, sent_at);

CREATE TABLE message_attachments (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES case_messages(id),
    name        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('pdf', 'jpeg', 'png'))
);
CREATE INDEX message_attachments_of_message ON message_attachments(message_id);
