package org.likeness.gallery.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;

/**
 * Approximate nearest neighbours through Lucene's HNSW vector index (one segment, in memory or in
 * a folder): the graph is Lucene's, not home-made. Immutable once built. A folder index carries
 * the fingerprint of the templates it was built from in its commit data, so it is reused on open
 * only while the store still holds exactly those templates.
 */
final class HnswGraph {
  private static final String FIELD = "t";
  private static final String ID = "id";

  private final IndexSearcher searcher;
  private final long[] docToFace;

  private HnswGraph(DirectoryReader reader, long[] docToFace) {
    this.searcher = new IndexSearcher(reader);
    this.docToFace = docToFace;
  }

  /** Commit-data key of the template fingerprint. */
  static final String FINGERPRINT = "likeness.fingerprint";

  /** Indexes {@code vectors} (ids[i] is vector i's face id) in memory. */
  static HnswGraph build(List<float[]> vectors, long[] ids, int dimension) {
    return build(vectors, ids, dimension, new ByteBuffersDirectory(), "");
  }

  /** The index saved in {@code dir} if it was built from templates with this fingerprint, else null. */
  static HnswGraph openIfCurrent(Directory dir, String fingerprint) {
    try {
      if (!DirectoryReader.indexExists(dir)) {
        return null;
      }
      DirectoryReader reader = DirectoryReader.open(dir);
      if (!fingerprint.equals(reader.getIndexCommit().getUserData().get(FINGERPRINT))) {
        reader.close();
        return null;
      }
      return fromReader(reader);
    } catch (IOException e) {
      return null; // unreadable or partial: rebuild
    }
  }

  /** Indexes {@code vectors} into {@code dir}, replacing what it held, and records the fingerprint. */
  static HnswGraph build(List<float[]> vectors, long[] ids, int dimension, Directory dir, String fingerprint) {
    try {
      IndexWriterConfig cfg = new IndexWriterConfig().setRAMBufferSizeMB(1024).setUseCompoundFile(false)
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
      try (IndexWriter w = new IndexWriter(dir, cfg)) {
        for (int i = 0; i < vectors.size(); i++) {
          Document d = new Document();
          d.add(new KnnFloatVectorField(FIELD, vectors.get(i), VectorSimilarityFunction.DOT_PRODUCT));
          d.add(new StoredField(ID, ids[i]));
          w.addDocument(d);
        }
        w.forceMerge(1);
        w.setLiveCommitData(java.util.Map.of(FINGERPRINT, fingerprint).entrySet());
        w.commit();
      }
      return fromReader(DirectoryReader.open(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HnswGraph fromReader(DirectoryReader reader) throws IOException {
    long[] docToFace = new long[reader.maxDoc()];
    StoredFields stored = reader.storedFields();
    for (int doc = 0; doc < docToFace.length; doc++) {
      docToFace[doc] = stored.document(doc).getField(ID).numericValue().longValue();
    }
    return new HnswGraph(reader, docToFace);
  }

  /** Approximate k nearest; scores are Lucene's (1 + dot) / 2, so callers re-rank. */
  List<Hit> search(float[] probe, int k) {
    try {
      ScoreDoc[] docs = searcher.search(new KnnFloatVectorQuery(FIELD, probe, k), k).scoreDocs;
      List<Hit> out = new ArrayList<>(docs.length);
      for (ScoreDoc sd : docs) {
        out.add(new Hit(docToFace[sd.doc], sd.score * 2 - 1));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
