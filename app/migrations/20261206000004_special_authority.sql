-- A grant of representation with special authority (特别授权, Civil Procedure Law art. 62):
-- besides acting in the matter, the lawyer may admit, waive or change claims, settle, and sign
-- mediation agreements and hearing records for the client. A general grant does not sign.
ALTER TABLE representations ADD COLUMN authority TEXT NOT NULL DEFAULT 'general' CHECK (authority IN ('general', 'special'));

-- A signature given for the signer by their lawyer under special authority: who signed (NULL:
-- the signer themselves). A signing code likewise names whom it was texted to.
ALTER TABLE signing_signatures ADD COLUMN signed_by INTEGER REFERENCES people(id);
ALTER TABLE signing_codes ADD COLUMN sent_to INTEGER REFERENCES people(id);
