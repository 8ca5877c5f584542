package org.likeness.gallery;

import java.nio.file.Path;
import java.util.concurrent.ForkJoinPool;
import org.likeness.engine.EngineOptions;
import org.likeness.engine.FaceEngine;
import org.likeness.gallery.enroll.EnrollOutcome;
import org.likeness.gallery.enroll.Enroller;
import org.likeness.gallery.store.GalleryStore;

/** Child process of the crash test: enrols the fixtures one by one, printing an ACK after each commit. */
public final class CrashEnrollMain {
  private CrashEnrollMain() {}

  public static void main(String[] args) {
    try (GalleryStore store = org.likeness.gallery.store.TestStorage.open(Path.of(args[0]));
        FaceEngine engine = new FaceEngine(TestData.pack(), EngineOptions.defaults().withThreads(1))) {
      Gallery g = Gallery.open(store, "crash", new ForkJoinPool(1));
      Enroller e = new Enroller(engine, store, g, new Enroller.Options(false, false, Enroller.MultiFace.REJECT));
      for (var item : TestData.allItems()) {
        EnrollOutcome o = e.enrollOne(item);
        if (o.status() == EnrollOutcome.Status.ENROLLED) {
          System.out.println("ACK " + o.faceId() + " " + item.subject() + " " + item.image());
          System.out.flush();
        }
      }
      System.out.println("DONE");
    }
  }
}
