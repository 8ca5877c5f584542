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
 * Approximate nearest neighbours through Lucene's HNSW vector index (a Lucene index held in
 * memory, one segment): the graph is Lucene's, not home-made. Immutable once built; rebuilt by
 * {@link TemplateIndex} after the templates change.
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

  /** Indexes {@code vectors} (ids[i] is vector i's face id). */
  static HnswGraph build(List<float[]> vectors, long[] ids, int dimension) {
    try {
      Directory dir = new ByteBuffersDirectory();
      IndexWriterConfig cfg = new IndexWriterConfig().setRAMBufferSizeMB(1024).setUseCompoundFile(false);
      try (IndexWriter w = new IndexWriter(dir, cfg)) {
        for (int i = 0; i < vectors.size(); i++) {
          Document d = new Document();
          d.add(new KnnFloatVectorField(FIELD, vectors.get(i), VectorSimilarityFunction.DOT_PRODUCT));
          d.add(new StoredField(ID, ids[i]));
          w.addDocument(d);
        }
        w.forceMerge(1);
      }
      DirectoryReader reader = DirectoryReader.open(dir);
      long[] docToFace = new long[reader.maxDoc()];
      StoredFields stored = reader.storedFields();
      for (int doc = 0; doc < docToFace.length; doc++) {
        docToFace[doc] = stored.document(doc).getField(ID).numericValue().longValue();
      }
      return new HnswGraph(reader, docToFace);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
