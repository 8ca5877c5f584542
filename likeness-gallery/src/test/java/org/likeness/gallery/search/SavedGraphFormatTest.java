package org.likeness.gallery.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.gallery.testing.RandomTemplates;

/** A saved graph records its format version and build parameters; one that disagrees with this program is rebuilt, not read. */
class SavedGraphFormatTest {
  private static final int DIM = 32;

  @ParameterizedTest
  @ValueSource(strings = {"likeness.format", "likeness.maxConn", "likeness.beam", "likeness.encoding"})
  void aGraphWrittenDifferentlyIsRebuilt(String key, @TempDir Path home) throws Exception {
    RandomTemplates t = new RandomTemplates(DIM);
    Path dir = home.resolve("graph");
    ForkJoinPool pool = new ForkJoinPool(1);
    Map<Long, float[]> data = new HashMap<>();
    for (long i = 0; i < 50; i++) {
      data.put(i, t.unit());
    }
    try (TemplateIndex first = new TemplateIndex(DIM, pool, dir)) {
      data.forEach(first::add);
      first.prepareHnsw();
    }
    assertThat(commitData(dir)).containsEntry(key, LuceneHnswIndex.formatData().get(key));
    // As another version of the program would have written it.
    try (FSDirectory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      Map<String, String> other = new HashMap<>(commitData(dir));
      other.put(key, "other");
      w.setLiveCommitData(other.entrySet());
      w.commit();
    }
    assertThat(commitData(dir)).containsEntry(key, "other");
    try (FSDirectory d = FSDirectory.open(dir)) {
      assertThat(LuceneHnswIndex.openSaved(d, pool)).as("refused on open").isNull();
    }
    try (TemplateIndex later = new TemplateIndex(DIM, pool, dir)) {
      data.forEach(later::add);
      later.prepareHnsw();
      assertThat(later.hasGraph()).isTrue();
      assertThat(later.search(data.get(7L), 1, SearchMethod.HNSW).get(0).faceId()).as(t.seed()).isEqualTo(7L);
    }
    assertThat(commitData(dir)).as("rebuilt in this program's format").containsAllEntriesOf(LuceneHnswIndex.formatData());
    pool.shutdown();
  }

  private static Map<String, String> commitData(Path dir) throws Exception {
    try (FSDirectory d = FSDirectory.open(dir); DirectoryReader r = DirectoryReader.open(d)) {
      return r.getIndexCommit().getUserData();
    }
  }
}
