-- The language the filer used when they last submitted: texts about the court's decision are
-- sent in it (earlier filings were all made in the default, Simplified Chinese).
ALTER TABLE filings ADD COLUMN locale TEXT NOT NULL DEFAULT 'zh-Hans';
