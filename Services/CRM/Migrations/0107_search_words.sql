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
-- Kept by crm_index_search_terms, the trigger that keeps search_terms: a word is added with the
-- first record that has it and removed once no record has it any more. Without counters (a
-- reference count would make every write lock the rows of common words such as `example`):
-- - a writer first takes KEY SHARE locks on the existing rows of its words (they do not block
--   each other), then inserts its terms and any missing words (ON CONFLICT DO NOTHING: two
--   transactions adding the same new word both succeed);
-- - a remover deletes the words none of the remaining terms has, which waits for the writers
--   holding those rows; afterwards, in a new snapshot that sees what they committed meanwhile,
--   it puts back any deleted word that a term has again.
-- A word may thus outlive its last record until that remover commits, never the other way round;
-- a stale word costs a lookup, a missing one would lose a match.
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
DECLARE
    removed text[];
    added text[];
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.search_vector = OLD.search_vector THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        WITH gone AS (
            DELETE FROM search_terms WHERE tenant_id = OLD.tenant_id AND record_type = TG_ARGV[0] AND record_id = OLD.id
            RETURNING term
        )
        SELECT array_agg(term) INTO removed FROM gone;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT array_agg(DISTINCT left(term, 100)) INTO added
        FROM (
            SELECT lexeme AS term FROM unnest(tsvector_to_array(NEW.search_vector)) AS lexeme
            UNION
            SELECT part FROM unnest(tsvector_to_array(NEW.search_vector)) AS lexeme,
                regexp_split_to_table(lexeme, '[^[:alnum:]]+') AS part
        ) AS terms
        WHERE term <> '';
        -- Held until commit, so a remover cannot delete these words under the new terms.
        PERFORM 1 FROM search_words WHERE tenant_id = NEW.tenant_id AND word = ANY(added) ORDER BY word FOR KEY SHARE;
        INSERT INTO search_terms (tenant_id, term, record_type, record_id)
        SELECT NEW.tenant_id, term, TG_ARGV[0], NEW.id FROM unnest(added) AS term
        ON CONFLICT DO NOTHING;
        INSERT INTO search_words (tenant_id, word, trigrams)
        SELECT NEW.tenant_id, word, cardinality(public.show_trgm(word)) FROM unnest(added) AS word ORDER BY word
        ON CONFLICT DO NOTHING;
    END IF;
    IF removed IS NOT NULL THEN
        removed := ARRAY(SELECT unnest(removed) EXCEPT SELECT unnest(added) ORDER BY 1);
        WITH deleted AS (
            DELETE FROM search_words w WHERE w.tenant_id = OLD.tenant_id AND w.word = ANY(removed)
                AND NOT EXISTS (SELECT 1 FROM search_terms t WHERE t.tenant_id = w.tenant_id AND t.term = w.word)
            RETURNING w.word
        )
        SELECT array_agg(word) INTO removed FROM deleted;
        -- A new statement, a new snapshot: terms that writers committed while the DELETE waited.
        INSERT INTO search_words (tenant_id, word, trigrams)
        SELECT OLD.tenant_id, word, cardinality(public.show_trgm(word)) FROM unnest(removed) AS word
        WHERE EXISTS (SELECT 1 FROM search_terms t WHERE t.tenant_id = OLD.tenant_id AND t.term = word)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
