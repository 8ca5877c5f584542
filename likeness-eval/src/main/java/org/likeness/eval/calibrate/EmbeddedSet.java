package org.likeness.eval.calibrate;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.likeness.engine.FaceEngine;
import org.likeness.engine.image.ImageDecodeException;
import org.likeness.eval.pairs.FaceChoice;
import org.likeness.eval.pairs.PairScorer;

/**
 * Every photo of a folder tree with one sub-folder per identity (LFW's layout), embedded once:
 * the central face of each photo, or the centred fallback when the detector finds none (counted).
 * Saved in a small versioned binary file so that calibration and clustering runs can share it.
 *
 * @param paths photo paths relative to the root, in order
 * @param identity index into {@code identities} per photo
 * @param fallback whether the photo was embedded through the centred fallback
 */
public record EmbeddedSet(String pack, List<String> paths, int[] identity, List<String> identities, float[][] embeddings,
    boolean[] fallback) {
  private static final int MAGIC = 0x4c4b4553; // "LKES"
  private static final int VERSION = 1;

  /** Photos embedded through the fallback. */
  public int fallbacks() {
    int n = 0;
    for (boolean f : fallback) {
      n += f ? 1 : 0;
    }
    return n;
  }

  /** Embeds every image under {@code root} ({@code root/IDENTITY/FILE}); unreadable images are skipped and reported. */
  public static EmbeddedSet embed(FaceEngine engine, Path root, int workers, IntConsumer progress, List<String> skipped)
      throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(root, 2)) {
      files = s.filter(Files::isRegularFile).filter(p -> root.relativize(p).getNameCount() == 2)
          .filter(p -> p.getFileName().toString().matches("(?i).*\\.(jpe?g|png|bmp|webp|tiff?)$")).sorted().toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers));
    try {
      List<Future<Object[]>> futures = new ArrayList<>(files.size());
      for (Path f : files) {
        futures.add(pool.submit(() -> {
          try {
            var img = engine.decode(f);
            var face = FaceChoice.CENTRAL.pick(engine, img);
            return face.isPresent() ? new Object[] {face.get().embedding(), false}
                : new Object[] {engine.centredFallback(img, PairScorer.CENTRED_FRACTION).embedding(), true};
          } catch (ImageDecodeException e) {
            return new Object[] {null, e.getMessage()};
          }
        }));
      }
      Map<String, Integer> ids = new LinkedHashMap<>();
      List<String> paths = new ArrayList<>();
      List<Integer> identity = new ArrayList<>();
      List<float[]> emb = new ArrayList<>();
      List<Boolean> fb = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        Object[] r = futures.get(i).get();
        progress.accept(i + 1);
        if (r[0] == null) {
          skipped.add(String.valueOf(r[1]));
          continue;
        }
        Path rel = root.relativize(files.get(i));
        paths.add(rel.toString());
        identity.add(ids.computeIfAbsent(rel.getName(0).toString(), k -> ids.size()));
        emb.add((float[]) r[0]);
        fb.add((Boolean) r[1]);
      }
      boolean[] fallback = new boolean[fb.size()];
      for (int i = 0; i < fallback.length; i++) {
        fallback[i] = fb.get(i);
      }
      return new EmbeddedSet(engine.pack().id(), paths, identity.stream().mapToInt(Integer::intValue).toArray(),
          List.copyOf(ids.keySet()), emb.toArray(new float[0][]), fallback);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Writes the set (format version 1). */
  public void write(Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(pack);
      out.writeInt(identities.size());
      for (String id : identities) {
        out.writeUTF(id);
      }
      int dim = embeddings.length == 0 ? 0 : embeddings[0].length;
      out.writeInt(paths.size());
      out.writeInt(dim);
      for (int i = 0; i < paths.size(); i++) {
        out.writeUTF(paths.get(i));
        out.writeInt(identity[i]);
        out.writeBoolean(fallback[i]);
        for (float v : embeddings[i]) {
          out.writeFloat(v);
        }
      }
    }
  }

  /** Reads a set written by {@link #write}; refuses other formats and versions. */
  public static EmbeddedSet read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + ": not an embedded-set file");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException(file + ": embedded-set version " + version + " (this program reads " + VERSION + ")");
      }
      String pack = in.readUTF();
      int nIds = in.readInt();
      List<String> identities = new ArrayList<>(nIds);
      for (int i = 0; i < nIds; i++) {
        identities.add(in.readUTF());
      }
      int n = in.readInt(), dim = in.readInt();
      List<String> paths = new ArrayList<>(n);
      int[] identity = new int[n];
      boolean[] fallback = new boolean[n];
      float[][] emb = new float[n][dim];
      for (int i = 0; i < n; i++) {
        paths.add(in.readUTF());
        identity[i] = in.readInt();
        fallback[i] = in.readBoolean();
        for (int d = 0; d < dim; d++) {
          emb[i][d] = in.readFloat();
        }
      }
      return new EmbeddedSet(pack, paths, identity, identities, emb, fallback);
    }
  }
}
