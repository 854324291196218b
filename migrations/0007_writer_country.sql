-- Where a person lives (ISO 3166 alpha-2, optional): their letters copy the embassy accredited
-- to that country and show numbers as dialled from there. /forget deletes it with the row.
ALTER TABLE subscribers ADD COLUMN home_country TEXT;
