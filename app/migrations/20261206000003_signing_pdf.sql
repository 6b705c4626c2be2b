-- The sealed PDF of a signed document: its SHA-256 (the file is in the blob store, served on the
-- case's people as a court document), so the public check can tell the court's file from a
-- changed copy, and the case document it was served as.
ALTER TABLE signing_documents ADD COLUMN pdf_sha256 TEXT;
ALTER TABLE signing_documents ADD COLUMN served_document_id INTEGER REFERENCES case_documents(id);
CREATE INDEX signing_documents_by_pdf ON signing_documents(pdf_sha256);
