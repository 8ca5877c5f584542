package org.likeness.gallery.search;

/** How a gallery is searched. */
public enum SearchMethod {
  /** Chosen by gallery size: exact below {@link #INT8_FROM} templates, int8 below {@link #HNSW_FROM}, HNSW above. */
  AUTO,
  /** Every float template compared with the probe. */
  EXACT,
  /** Every template compared in int8, the best re-ranked in float. */
  INT8,
  /** Lucene's HNSW graph (approximate), re-ranked in float. */
  HNSW;

  /** Gallery size from which AUTO picks INT8. */
  public static final int INT8_FROM = 50_000;
  /** Gallery size from which AUTO picks HNSW. */
  public static final int HNSW_FROM = 500_000;

  /** The concrete method for a gallery of {@code size} templates. */
  public SearchMethod resolve(int size) {
    if (this != AUTO) {
      return this;
    }
    return size < INT8_FROM ? EXACT : size < HNSW_FROM ? INT8 : HNSW;
  }
}
