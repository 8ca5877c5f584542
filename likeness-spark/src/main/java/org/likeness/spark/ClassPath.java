package org.likeness.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * The classes this JVM runs from, as files: the class path's entries with the jars a jar's
 * manifest names followed ({@code java -jar likeness-cli.jar} names its libraries there, as does
 * a test runner's booter jar). What a cluster started from this program puts on its executors.
 */
final class ClassPath {
  private ClassPath() {}

  /** Every jar and folder this JVM loads classes from, in class path order. */
  static List<Path> entries() {
    Set<Path> out = new LinkedHashSet<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!e.isBlank()) {
        add(Path.of(e).toAbsolutePath().normalize(), out);
      }
    }
    return new ArrayList<>(out);
  }

  private static void add(Path p, Set<Path> out) {
    if (!Files.exists(p) || !out.add(p) || !p.toString().endsWith(".jar")) {
      return;
    }
    try (JarFile jar = new JarFile(p.toFile())) {
      var manifest = jar.getManifest();
      String cp = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      if (cp == null) {
        return;
      }
      for (String entry : cp.trim().split("\\s+")) {
        Path next = entry.startsWith("file:") ? Path.of(URI.create(entry)) : p.getParent().resolve(entry);
        add(next.toAbsolutePath().normalize(), out);
      }
    } catch (IOException | IllegalArgumentException e) {
      // not a readable jar: it stays as it is, its manifest unread
    }
  }
}
