package org.likeness.gallery.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;

/**
 * Approximate nearest neighbours through Lucene's HNSW vector index (in memory or in a folder):
 * the graph is Lucene's, not home-made. Immutable once built. A folder index records in its commit
 * data our format version, its build parameters and the fingerprint of the templates it was built
 * from; {@link #openSaved} refuses one written with another format or other parameters (it is then
 * rebuilt), and {@link GraphRefresher} reuses it only while every face it holds still exists.
 *
 * <p>Format: {@code Lucene104HnswScalarQuantizedVectorsFormat} (M {@value #MAX_CONN}, beam
 * {@value #BEAM}), so a search walks the graph over 8-bit vectors (512 bytes per visit instead of
 * 2 KB, which matters once a million templates no longer fit in cache); callers re-rank the
 * candidates against their float copies, so the final order is exact. One indexing thread per
 * core builds its own segment, and the segments are searched side by side, not merged: merging
 * two graphs re-inserts one into the other and cost as much as building them (measured at 100k:
 * 67 s to build two segments, 62 s more to merge them).
 */
final class LuceneHnswIndex {
  private static final String FIELD = "t";
  static final int MAX_CONN = 16;
  static final int BEAM = 100;
  private static final String ID = "id";

  private final IndexSearcher searcher;
  private final long[] docToFace;

  private LuceneHnswIndex(DirectoryReader reader, long[] docToFace, Executor segments) {
    this.searcher = new IndexSearcher(reader, segments); // segments searched in parallel
    this.docToFace = docToFace;
  }

  /** Commit-data key of the template fingerprint. */
  static final String FINGERPRINT = "likeness.fingerprint";
  /** Version of the saved-graph layout (fields, stored id, commit data); bump on any change. */
  static final int FORMAT_VERSION = 2;

  /** What a saved graph must record to be reused: our format version and the build parameters. */
  static java.util.Map<String, String> formatData() {
    return java.util.Map.of("likeness.format", Integer.toString(FORMAT_VERSION), "likeness.maxConn",
        Integer.toString(MAX_CONN), "likeness.beam", Integer.toString(BEAM), "likeness.encoding", "UNSIGNED_BYTE");
  }

  /** Indexes {@code vectors} (ids[i] is vector i's face id) in memory. */
  static LuceneHnswIndex build(List<float[]> vectors, long[] ids, int dimension, Executor segments) {
    return build(vectors, ids, dimension, new ByteBuffersDirectory(), "", segments);
  }

  /** The index saved in {@code dir}, or null when there is none or it cannot be read (then it is rebuilt). */
  static LuceneHnswIndex openSaved(Directory dir, Executor segments) {
    try {
      if (!DirectoryReader.indexExists(dir)) {
        return null;
      }
      DirectoryReader reader = DirectoryReader.open(dir);
      java.util.Map<String, String> data = reader.getIndexCommit().getUserData();
      for (var e : formatData().entrySet()) {
        if (!e.getValue().equals(data.get(e.getKey()))) { // another format or other parameters: rebuild
          reader.close();
          return null;
        }
      }
      return fromReader(reader, segments);
    } catch (IOException e) {
      return null; // unreadable or partial: rebuild
    }
  }

  /** Face ids held by the graph. */
  long[] faceIds() {
    return docToFace.clone();
  }

  /** Templates in the graph. */
  int size() {
    return docToFace.length;
  }

  /** Releases the index files. */
  void close() {
    try {
      searcher.getIndexReader().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Indexes {@code vectors} into {@code dir}, replacing what it held, and records the fingerprint. */
  static LuceneHnswIndex build(List<float[]> vectors, long[] ids, int dimension, Directory dir, String fingerprint,
      Executor segments) {
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), vectors.size() / 10_000));
    ExecutorService workers = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("hnsw-", 0).factory());
    try {
      KnnVectorsFormat format = new Lucene104HnswScalarQuantizedVectorsFormat(
          Lucene104ScalarQuantizedVectorsFormat.ScalarEncoding.UNSIGNED_BYTE, MAX_CONN, BEAM);
      IndexWriterConfig cfg = new IndexWriterConfig()
          .setCodec(new Lucene104Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
              return format;
            }
          })
          // One segment per indexing thread: flush only at the per-thread limit or at commit.
          .setMaxBufferedDocs(vectors.size() / threads + 2).setRAMBufferSizeMB(IndexWriterConfig.DISABLE_AUTO_FLUSH)
          .setRAMPerThreadHardLimitMB(1945).setUseCompoundFile(false)
          .setMergePolicy(NoMergePolicy.INSTANCE)
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
      try (IndexWriter w = new IndexWriter(dir, cfg)) {
        List<Future<?>> parts = new ArrayList<>();
        int per = (vectors.size() + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
          int from = t * per, to = Math.min(vectors.size(), from + per);
          parts.add(workers.submit(() -> {
            for (int i = from; i < to; i++) {
              Document d = new Document();
              d.add(new KnnFloatVectorField(FIELD, vectors.get(i), VectorSimilarityFunction.DOT_PRODUCT));
              d.add(new StoredField(ID, ids[i]));
              w.addDocument(d);
            }
            return null;
          }));
        }
        for (Future<?> f : parts) {
          f.get();
        }
        java.util.Map<String, String> data = new java.util.HashMap<>(formatData());
        data.put(FINGERPRINT, fingerprint);
        w.setLiveCommitData(data.entrySet());
        w.commit();
      }
      return fromReader(DirectoryReader.open(dir), segments);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the HNSW index", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
    } finally {
      workers.shutdownNow();
    }
  }

  private static LuceneHnswIndex fromReader(DirectoryReader reader, Executor segments) throws IOException {
    long[] docToFace = new long[reader.maxDoc()];
    StoredFields stored = reader.storedFields();
    for (int doc = 0; doc < docToFace.length; doc++) {
      docToFace[doc] = stored.document(doc).getField(ID).numericValue().longValue();
    }
    return new LuceneHnswIndex(reader, docToFace, segments);
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
