import ERPPostgres

extension SQLBuilder {
    /// `SELECT w.word FROM search_words w …`: the tenant's distinct record words that fuzzy search
    /// accepts for `word` — the same first letter and pg_trgm `similarity` ≥ the threshold.
    ///
    /// The first letter is a byte range of the btree (leakproof operators, so it serves under
    /// row-level security). Similarity is |common trigrams| / |all trigrams| ≤ min(m, n) / max(m, n)
    /// for words of m and n distinct trigrams, so a candidate outside [s · n, n / s] cannot reach
    /// it: that window on the stored count skips most words before `similarity` runs on the rest.
    mutating func appendSimilarWords(_ word: String) {
        let letter = SearchText.firstLetter(word)
        append(
            "SELECT w.word FROM search_words w, (SELECT cardinality(public.show_trgm(?)) AS n) c WHERE w.word >= ? AND w.word < ?",
            word, letter, SearchText.upperBound(letter))
        append(
            " AND w.trigrams >= ceil(? * c.n)::int4 AND w.trigrams <= floor(c.n / ?)::int4 AND public.similarity(w.word, ?) >= ?",
            SearchText.fuzzyThreshold, SearchText.fuzzyThreshold, word, SearchText.fuzzyThreshold)
    }
}
