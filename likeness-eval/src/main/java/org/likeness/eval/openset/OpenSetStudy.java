package org.likeness.eval.openset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.likeness.eval.calibrate.EmbeddedSet;
import org.likeness.eval.calibrate.SamePersonList;

/**
 * Open-set identification at watchlist scale on an embedded, labelled photo set (LFW): does a
 * decision rule name strangers as rarely as it says, whatever the gallery's size?
 *
 * <p>For a gallery of {@code subjects} identities (drawn with a seed): each enrolled identity with
 * two or more photos keeps its last photo as the mated probe and enrols up to {@code templates}
 * of the others; one with a single photo enrols it. Every photo is also a non-mated probe: a
 * stranger's photo plainly, an enrolled identity's with its own identity left out of the gallery
 * (leave-one-out; exact for the max aggregation), and photos the same-person list declares one
 * person with a gallery identity never count as false matches. Optional synthetic distractor
 * templates (Gaussian identities fitted to the set, see {@link Distractors}) enlarge the gallery.
 * Searches are exact (brute force); nothing here is a model of the search index.
 */
public final class OpenSetStudy {
  private final EmbeddedSet set;
  private final SamePersonList.Pairs samePerson;

  /** A study of {@code set}, with photos {@code samePerson} declares one person never counted as strangers to each other. */
  public OpenSetStudy(EmbeddedSet set, SamePersonList.Pairs samePerson) {
    this.set = set;
    this.samePerson = samePerson;
  }

  /** One gallery: its size, and every probe's top scores. */
  public record Searched(int subjects, int templates, int distractors, float[] matedTop, boolean[] matedRight, float[] nonMatedTop,
      int swappedIn, float[] matedSecond, float[] nonMatedSecond) {

    /**
     * With an ambiguity rule (a name given only when the runner-up, another subject, scores no
     * closer than {@code decades} of false-match rate below it, read on {@code rate}): mates named
     * right, misnamed, and answered "ambiguous"; strangers named. Without one ({@code decades} 0),
     * as {@link #fpir} and {@link #misnamed}.
     */
    public double[] withAmbiguity(double t, double decades, java.util.function.DoubleUnaryOperator rate) {
      int right = 0, wrong = 0, ambiguous = 0, strangers = 0;
      for (int i = 0; i < matedTop.length; i++) {
        if (matedTop[i] < t) {
          continue;
        }
        if (decades > 0 && Math.log10(rate.applyAsDouble(matedSecond[i]) / rate.applyAsDouble(matedTop[i])) < decades) {
          ambiguous++;
        } else if (matedRight[i]) {
          right++;
        } else {
          wrong++;
        }
      }
      for (int i = 0; i < nonMatedTop.length; i++) {
        if (nonMatedTop[i] >= t && !(decades > 0
            && Math.log10(rate.applyAsDouble(nonMatedSecond[i]) / rate.applyAsDouble(nonMatedTop[i])) < decades)) {
          strangers++;
        }
      }
      int m = Math.max(1, matedTop.length);
      return new double[] {(double) right / m, (double) wrong / m, (double) ambiguous / m, (double) strangers / nonMatedTop.length};
    }
    /** Non-mated probes whose top score clears {@code t}: the measured FPIR. */
    public double fpir(double t) {
      int n = 0;
      for (float s : nonMatedTop) {
        n += s >= t ? 1 : 0;
      }
      return (double) n / nonMatedTop.length;
    }

    /** Mated probes not named as themselves at {@code t}: the measured FNIR (misses and misnames). */
    public double fnir(double t) {
      int n = 0;
      for (int i = 0; i < matedTop.length; i++) {
        n += matedRight[i] && matedTop[i] >= t ? 0 : 1;
      }
      return matedTop.length == 0 ? Double.NaN : (double) n / matedTop.length;
    }

    /** Mated probes named as someone else at {@code t}. */
    public double misnamed(double t) {
      int n = 0;
      for (int i = 0; i < matedTop.length; i++) {
        n += !matedRight[i] && matedTop[i] >= t ? 1 : 0;
      }
      return matedTop.length == 0 ? Double.NaN : (double) n / matedTop.length;
    }
  }

  /** Builds a gallery of {@code subjects} identities ({@code templates} per identity at most, plus {@code distractors}) and searches it. */
  public Searched search(int subjects, int templates, int distractors, long seed) {
    return search(subjects, templates, distractors, seed, true);
  }

  /** As {@link #search(int, int, int, long)}, with morph distractors ({@code morphs}) or Gaussian ones. */
  public Searched search(int subjects, int templates, int distractors, long seed, boolean morphs) {
    return search(new Plan(subjects, templates, 1, 0, Double.NaN, distractors, morphs), seed);
  }

  /**
   * What gallery to build: {@code subjects} identities with at least {@code minPhotos} photos,
   * {@code templates} enrolled each at most; a share {@code swap} of the enrolled photos replaced
   * by a photo of someone else (a scraped watchlist's mistakes); with {@code hygiene} a similarity
   * (not NaN), the faces that disagree with the rest of their subject ({@link
   * org.likeness.gallery.enroll.Agreement}) are kept out; synthetic distractors as above.
   */
  public record Plan(int subjects, int templates, int minPhotos, double swap, double hygiene, int distractors, boolean morphs) {}

  /** Builds the gallery {@code plan} describes and searches it. */
  public Searched search(Plan plan, long seed) {
    int subjects = plan.subjects();
    int templates = plan.templates();
    int distractors = plan.distractors();
    boolean morphs = plan.morphs();
    int people = set.identities().size();
    List<List<Integer>> photosOf = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      photosOf.add(new ArrayList<>());
    }
    for (int p = 0; p < set.paths().size(); p++) {
      photosOf.get(set.identity()[p]).add(p);
    }
    List<Integer> order = new ArrayList<>(IntStream.range(0, people).boxed().toList());
    Collections.shuffle(order, new Random(seed));
    boolean[] enrolled = new boolean[people];
    List<Integer> galleryPhotos = new ArrayList<>();
    List<Integer> matedProbes = new ArrayList<>();
    Random swaps = new Random(seed * 31 + 7);
    List<Integer> filedUnder = new ArrayList<>(); // the identity each gallery photo is enrolled as
    int taken = 0;
    for (int k = 0; k < people && taken < subjects; k++) {
      int who = order.get(k);
      List<Integer> photos = photosOf.get(who);
      if (photos.size() < plan.minPhotos()) {
        continue;
      }
      taken++;
      enrolled[who] = true;
      List<Integer> chosen = photos.size() >= 2 ? photos.subList(0, Math.min(templates, photos.size() - 1)) : photos.subList(0, 1);
      if (photos.size() >= 2) {
        matedProbes.add(photos.getLast());
      }
      for (int photo : chosen) {
        int filed = photo;
        if (swaps.nextDouble() < plan.swap()) { // someone else's photo filed under this name
          do {
            filed = swaps.nextInt(set.paths().size());
          } while (set.identity()[filed] == who);
        }
        galleryPhotos.add(filed);
        filedUnder.add(who);
      }
    }
    if (!Double.isNaN(plan.hygiene())) {
      keepAgreeing(galleryPhotos, filedUnder, plan.hygiene());
    }
    int swappedIn = 0;
    for (int i = 0; i < galleryPhotos.size(); i++) {
      swappedIn += set.identity()[galleryPhotos.get(i)] != filedUnder.get(i) ? 1 : 0;
    }
    int dim = set.embeddings()[0].length;
    Distractors.Synthetic made = distractors == 0 ? new Distractors.Synthetic(new float[0][], new int[0], new int[0])
        : morphs ? new Distractors(set, seed).morphs(set, distractors) : new Distractors(set, seed).gaussian(distractors);
    float[][] synthetic = made.vectors();
    int n = galleryPhotos.size();
    float[][] gallery = new float[n + synthetic.length][];
    int[] owner = new int[gallery.length]; // identity, or -1 for a synthetic distractor
    int[] photoOf = new int[gallery.length];
    int[] trueOwner = new int[gallery.length]; // who the photo shows (a swapped photo is filed under someone else)
    for (int i = 0; i < n; i++) {
      gallery[i] = set.embeddings()[galleryPhotos.get(i)];
      owner[i] = filedUnder.get(i);
      trueOwner[i] = set.identity()[galleryPhotos.get(i)];
      photoOf[i] = galleryPhotos.get(i);
    }
    int[] alsoOwner = new int[gallery.length]; // a morph's second identity, else the same as owner
    for (int i = 0; i < n; i++) {
      alsoOwner[i] = trueOwner[i];
    }
    for (int i = n; i < gallery.length; i++) {
      trueOwner[i] = -1;
    }
    for (int i = 0; i < synthetic.length; i++) {
      gallery[n + i] = synthetic[i];
      owner[n + i] = made.from()[i];
      alsoOwner[n + i] = made.with()[i];
      photoOf[n + i] = -1;
    }
    float[] matedTop = new float[matedProbes.size()];
    float[] matedSecond = new float[matedProbes.size()];
    boolean[] matedRight = new boolean[matedProbes.size()];
    IntStream.range(0, matedProbes.size()).parallel().forEach(m -> {
      int p = matedProbes.get(m);
      int own = set.identity()[p];
      TopTwo top = topTwo(set.embeddings()[p], gallery, owner, dim, g ->
          // the same person filed under another name, or a morph made from this person: neither right nor wrong
          (owner[g] != own && photoOf[g] >= 0 && samePerson.contains(p, photoOf[g]))
              || (photoOf[g] < 0 && (owner[g] == own || alsoOwner[g] == own)));
      matedTop[m] = top.best();
      matedSecond[m] = top.second();
      matedRight[m] = top.owner() == own;
    });
    float[] nonMatedTop = new float[set.paths().size()];
    float[] nonMatedSecond = new float[set.paths().size()];
    IntStream.range(0, set.paths().size()).parallel().forEach(p -> {
      int own = set.identity()[p];
      TopTwo top = topTwo(set.embeddings()[p], gallery, owner, dim, g ->
          owner[g] == own || (photoOf[g] < 0 && alsoOwner[g] == own) || (photoOf[g] >= 0 && samePerson.contains(p, photoOf[g])));
      nonMatedTop[p] = top.best();
      nonMatedSecond[p] = top.second();
    });
    return new Searched(taken, n, synthetic.length, matedTop, matedRight, nonMatedTop, swappedIn, matedSecond, nonMatedSecond);
  }

  /** Drops the gallery photos that disagree with the rest of the identity they are filed under. */
  private void keepAgreeing(List<Integer> galleryPhotos, List<Integer> filedUnder, double threshold) {
    java.util.Map<Integer, List<Integer>> byIdentity = new java.util.LinkedHashMap<>();
    for (int i = 0; i < galleryPhotos.size(); i++) {
      byIdentity.computeIfAbsent(filedUnder.get(i), k -> new ArrayList<>()).add(i);
    }
    Set<Integer> drop = new java.util.HashSet<>();
    for (List<Integer> rows : byIdentity.values()) {
      List<Long> ids = rows.stream().map(Integer::longValue).toList();
      List<float[]> templates = rows.stream().map(r -> set.embeddings()[galleryPhotos.get(r)]).toList();
      for (long suspect : org.likeness.gallery.enroll.Agreement.suspects(
          org.likeness.gallery.enroll.Agreement.score(ids, templates, threshold))) {
        drop.add((int) suspect);
      }
    }
    List<Integer> keptPhotos = new ArrayList<>();
    List<Integer> keptOwners = new ArrayList<>();
    for (int i = 0; i < galleryPhotos.size(); i++) {
      if (!drop.contains(i)) {
        keptPhotos.add(galleryPhotos.get(i));
        keptOwners.add(filedUnder.get(i));
      }
    }
    galleryPhotos.clear();
    galleryPhotos.addAll(keptPhotos);
    filedUnder.clear();
    filedUnder.addAll(keptOwners);
  }

  /** A probe's best score, the best score of another owner than the best one's, and the best one's owner. */
  private record TopTwo(float best, float second, int owner) {}

  /** Exact search of {@code gallery} for {@code probe}, leaving out the templates {@code skip} refuses. */
  private static TopTwo topTwo(float[] probe, float[][] gallery, int[] owner, int dim, java.util.function.IntPredicate skip) {
    float best = -2;
    float second = -2;
    int bestOwner = -2;
    for (int g = 0; g < gallery.length; g++) {
      if (skip.test(g)) {
        continue;
      }
      float s = dot(probe, gallery[g], dim);
      if (s > best) {
        if (owner[g] != bestOwner) {
          second = best;
        }
        best = s;
        bestOwner = owner[g];
      } else if (owner[g] != bestOwner && s > second) {
        second = s;
      }
    }
    return new TopTwo(best, second, bestOwner);
  }

  private static float dot(float[] a, float[] b, int dim) {
    float s = 0;
    for (int i = 0; i < dim; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** The identities with enough photos: for reporting. */
  public int[] photosPerIdentity() {
    int[] n = new int[set.identities().size()];
    for (int id : set.identity()) {
      n[id]++;
    }
    return Arrays.copyOf(n, n.length);
  }
}
