-- A ticket's attachments (photos of a faulty set-top box, a call recording). The bytes are files
-- under the data directory, named by the SHA-256 of their content and sealed with the field
-- keys; a row here says which ticket holds which file. The same file attached twice is stored
-- once. The row's id is its timeline entry's id; the file name is on that entry, encrypted.
CREATE TABLE ticket_attachments (
    id TEXT PRIMARY KEY NOT NULL,
    ticket_id TEXT NOT NULL REFERENCES tickets(id),
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    -- The field key the file is sealed with (key rotation reseals the file and updates every row).
    key_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ticket_attachments_ticket ON ticket_attachments(ticket_id, id);
CREATE INDEX ticket_attachments_sha256 ON ticket_attachments(sha256);
CREATE INDEX ticket_attachments_key ON ticket_attachments(key_id);
