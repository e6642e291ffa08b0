-- AlterTable
ALTER TABLE "Deal" ALTER COLUMN "title" SET DATA TYPE VARCHAR(200);

-- AlterTable
ALTER TABLE "Need" ALTER COLUMN "title" SET DATA TYPE VARCHAR(200);

-- AlterTable
ALTER TABLE "Result" ALTER COLUMN "title" SET DATA TYPE VARCHAR(200);

-- Keywords: each at most TEXT_LIMITS.keyword characters, at most TEXT_LIMITS.keywordsPerListing
-- of them (app/domain/limits.ts). A CHECK cannot hold a subquery; an immutable function can.
CREATE FUNCTION "longest_text"(items text[]) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT coalesce(max(char_length(item)), 0) FROM unnest(items) AS item $$;

ALTER TABLE "Result"
  ADD CONSTRAINT "Result_keywords_check"
  CHECK ("longest_text"(keywords) <= 60 AND cardinality(keywords) <= 10);
ALTER TABLE "Need"
  ADD CONSTRAINT "Need_keywords_check"
  CHECK ("longest_text"(keywords) <= 60 AND cardinality(keywords) <= 10);
ALTER TABLE "Expert"
  ADD CONSTRAINT "Expert_keywords_check"
  CHECK ("longest_text"(keywords) <= 60 AND cardinality(keywords) <= 10);
