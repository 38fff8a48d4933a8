-- The tenant's distinct search words, for fuzzy search.
--
-- Fuzzy search compared each search word (pg_trgm `similarity`) with every row of search_terms
-- sharing its first letter: one row per record and word, 100k+ rows for a common letter. Here
-- each word is once per tenant, with its number of distinct trigrams: similarity(a, b) =
-- |common| / |union| ≤ min(|a|, |b|) / max(|a|, |b|), so similarity ≥ s needs the candidate's
-- count within [s · n, n / s] of the search word's n. Fuzzy search finds the few similar words
-- here (a btree range on the first letter, the count window, then `similarity`) and looks them
-- up exactly in search_terms. Every operator the index serves is leakproof (see search_terms).
--
-- Kept by crm_index_search_terms, the trigger that keeps search_terms: a record's words are
-- added with ON CONFLICT DO NOTHING (two transactions adding the same new word both succeed, and
-- no writer ever waits on the row of a common word such as `example`). Words are not removed when
-- their last record goes: a stale word costs one exact lookup in search_terms that finds nothing,
-- whereas removing it safely needs writers to lock their words against a concurrent remover, which
-- made bulk inserts several times slower (dropping words without terms is left to a sweep that
-- locks writers out, not built yet).
CREATE TABLE search_words (
    tenant_id uuid NOT NULL,
    word text COLLATE "C" NOT NULL,
    trigrams int4 NOT NULL,
    PRIMARY KEY (tenant_id, word) INCLUDE (trigrams)
);

SELECT crm_enable_tenant_isolation('search_words');

-- Existing data: the words of every tenant's terms. The migration runs as the tables' owner
-- without a tenant, so row security is lifted for the owner (NO FORCE) while it reads and writes,
-- inside this migration's transaction (concurrent writers wait for it, then see the new trigger).
ALTER TABLE search_terms NO FORCE ROW LEVEL SECURITY;
ALTER TABLE search_words NO FORCE ROW LEVEL SECURITY;
INSERT INTO search_words (tenant_id, word, trigrams)
SELECT tenant_id, term, cardinality(public.show_trgm(term))
FROM (SELECT DISTINCT tenant_id, term FROM search_terms) AS words;
ALTER TABLE search_terms FORCE ROW LEVEL SECURITY;
ALTER TABLE search_words FORCE ROW LEVEL SECURITY;

CREATE OR REPLACE FUNCTION crm_index_search_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.search_vector = OLD.search_vector THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM search_terms WHERE tenant_id = OLD.tenant_id AND record_type = TG_ARGV[0] AND record_id = OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    WITH terms AS (
        SELECT DISTINCT left(term, 100) AS term
        FROM (
            SELECT lexeme AS term FROM unnest(tsvector_to_array(NEW.search_vector)) AS lexeme
            UNION
            SELECT part FROM unnest(tsvector_to_array(NEW.search_vector)) AS lexeme,
                regexp_split_to_table(lexeme, '[^[:alnum:]]+') AS part
        ) AS words
        WHERE term <> ''
    ), indexed AS (
        INSERT INTO search_terms (tenant_id, term, record_type, record_id)
        SELECT NEW.tenant_id, term, TG_ARGV[0], NEW.id FROM terms
        ON CONFLICT DO NOTHING
    )
    INSERT INTO search_words (tenant_id, word, trigrams)
    SELECT NEW.tenant_id, term, cardinality(public.show_trgm(term)) FROM terms ORDER BY term
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
