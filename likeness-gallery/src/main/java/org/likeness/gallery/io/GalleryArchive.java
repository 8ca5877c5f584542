package org.likeness.gallery.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.likeness.engine.geom.Box;
import org.likeness.gallery.store.GalleryInfo;
import org.likeness.gallery.store.GalleryStore;
import org.likeness.gallery.store.InvalidInputException;
import org.likeness.gallery.store.StoredFace;
import org.likeness.gallery.store.SubjectInfo;
import org.likeness.gallery.store.Templates;

/**
 * The gallery archive format, version 2: one JSON document
 * {@code {"format":"likeness-gallery","version":2,"gallery":…,"pack":…,"dimension":…,"subjects":[…]}},
 * each subject with its faces (template as base64 float32 little-endian, source sha256, box,
 * quality, optional crop, enrolment review). Written and read in a stream. The pack id travels with it: an import keeps the gallery pinned to it.
 */
public final class GalleryArchive {
  /** Format name in the file. */
  public static final String FORMAT = "likeness-gallery";
  /** Format version written; readers refuse versions they do not know. */
  public static final int VERSION = 2; // 2: each face's enrolment review ("suspect", "confirmed"); 1 is still read

  private static final ObjectMapper JSON = new ObjectMapper();

  private GalleryArchive() {}

  /** Writes the gallery to {@code file} (atomically: a temporary file renamed at the end); returns the faces written. */
  public static int export(GalleryStore store, GalleryInfo g, Path file) throws IOException {
    return WholeFile.write(file, tmp -> {
      int faces = 0;
      try (JsonGenerator w = new JsonFactory(JSON).createGenerator(tmp.toFile(), JsonEncoding.UTF8)) {
        w.writeStartObject();
        w.writeStringField("format", FORMAT);
        w.writeNumberField("version", VERSION);
        w.writeStringField("gallery", g.name());
        w.writeStringField("pack", g.packId());
        w.writeNumberField("dimension", g.dimension());
        w.writeArrayFieldStart("subjects");
        for (SubjectInfo s : store.subjects(g.id())) {
          w.writeStartObject();
          w.writeStringField("name", s.name());
          w.writeStringField("externalId", s.externalId());
          w.writeObjectField("tags", s.tags());
          w.writeArrayFieldStart("faces");
          java.util.Map<Long, String> reviews = store.reviews().of(s.id());
          for (StoredFace f : store.facesOf(s.id())) {
            w.writeStartObject();
            w.writeStringField("review", reviews.get(f.id())); // a suspect stays out of searches after an import
            w.writeStringField("imageSha256", f.imageSha256());
            w.writeArrayFieldStart("box");
            w.writeNumber(f.box().x());
            w.writeNumber(f.box().y());
            w.writeNumber(f.box().width());
            w.writeNumber(f.box().height());
            w.writeEndArray();
            w.writeFieldName("quality");
            w.writeTree(JSON.readTree(f.qualityJson()));
            w.writeStringField("template", Base64.getEncoder().encodeToString(Templates.bytes(f.template())));
            w.writeStringField("crop", f.cropPng() == null ? null : Base64.getEncoder().encodeToString(f.cropPng()));
            w.writeStringField("created", f.created().toString());
            w.writeEndObject();
            faces++;
          }
          w.writeEndArray();
          w.writeEndObject();
        }
        w.writeEndArray();
        w.writeEndObject();
      }
      return faces;
    });
  }

  /** Creates a gallery from an archive, named {@code as} or as archived; refuses unknown formats and existing names. */
  public static GalleryInfo importFrom(GalleryStore store, Path file, String as) throws IOException {
    return importFrom(store, file, as, g -> {});
  }

  /**
   * As {@link #importFrom(GalleryStore, Path, String)}, running {@code alsoInTransaction} on the new
   * gallery inside the import's transaction (its audit record: both commit or neither).
   */
  public static GalleryInfo importFrom(GalleryStore store, Path file, String as, java.util.function.Consumer<GalleryInfo> alsoInTransaction)
      throws IOException {
    // Read in a stream, a subject at a time, three times (the header, a check of everything, the
    // writes): an archive of a large gallery is never held in memory whole.
    JsonNode root = stream(file, s -> { });
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new InvalidInputException(file + ": not a Likeness gallery archive");
    }
    int version = root.path("version").asInt(-1);
    if (version != VERSION && version != 1) {
      throw new InvalidInputException(file + ": archive version " + version + " is not supported (this program reads 1 and " + VERSION + ")");
    }
    int dim = root.path("dimension").asInt();
    String name = as != null ? as : root.path("gallery").asText();
    // Validate everything before writing anything: a bad archive leaves the store untouched.
    stream(file, s -> faces(s, dim, file));
    // One transaction: a failure half-way (disk full, a kill) leaves no half-imported gallery.
    return store.inTransaction(() -> {
      GalleryInfo g = store.createGallery(name, root.path("pack").asText(), dim);
      try {
        stream(file, s -> {
          List<String> tags = new ArrayList<>();
          s.path("tags").forEach(t -> tags.add(t.asText()));
          String ext = s.path("externalId").isTextual() ? s.path("externalId").asText() : null;
          var subject = store.ensureSubject(g.id(), s.path("name").asText(), ext, tags);
          List<ArchivedFace> faces = faces(s, dim, file);
          int i = 0;
          for (JsonNode f : s.path("faces")) {
            ArchivedFace a = faces.get(i++);
            var added = store.addFace(g.id(), subject.id(), f.path("imageSha256").asText(), a.box(), f.path("quality").toString(),
                a.template(), a.crop());
            if (a.review() != null) {
              store.reviews().set(g.id(), added.faceId(), a.review());
            }
          }
        });
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(file + ": " + e.getMessage(), e);
      }
      alsoInTransaction.accept(g);
      return g;
    });
  }

  /** A subject's faces, each checked; a subject without a name is refused. */
  private static List<ArchivedFace> faces(JsonNode s, int dim, Path file) {
    if (!s.path("name").isTextual() || s.path("name").asText().isBlank()) {
      throw new InvalidInputException(file + ": a subject has no name");
    }
    List<ArchivedFace> out = new ArrayList<>();
    int n = 0;
    for (JsonNode f : s.path("faces")) {
      out.add(ArchivedFace.read(f, dim, file + ": face " + ++n + " of subject '" + s.path("name").asText() + "'"));
    }
    return out;
  }

  /**
   * Reads the archive in a stream: each element of {@code subjects} handed to {@code subject} as it
   * is read, every other top-level field returned.
   */
  private static JsonNode stream(Path file, java.util.function.Consumer<JsonNode> subject) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode header = JSON.createObjectNode();
    try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(file.toFile())) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new InvalidInputException(file + ": not a Likeness gallery archive");
      }
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = p.currentName();
        com.fasterxml.jackson.core.JsonToken t = p.nextToken();
        if (field.equals("subjects") && t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
          while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
            subject.accept(p.readValueAsTree());
          }
        } else {
          header.set(field, p.readValueAsTree());
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidInputException(file + ": not a Likeness gallery archive (" + e.getOriginalMessage() + ")");
    }
    return header;
  }

  /** A face of an archive, checked before anything is written: its template, box, crop and review. */
  private record ArchivedFace(float[] template, Box box, byte[] crop, String review) {
    static ArchivedFace read(JsonNode f, int dimension, String where) {
      float[] t;
      byte[] crop;
      try {
        t = Templates.decode(Base64.getDecoder().decode(f.path("template").asText()));
        crop = f.path("crop").isTextual() ? Base64.getDecoder().decode(f.path("crop").asText()) : null;
      } catch (IllegalArgumentException | org.likeness.gallery.store.StoreException e) {
        throw new InvalidInputException(where + ": its template or crop is not what an archive holds (" + e.getMessage() + ")");
      }
      if (t.length != dimension) {
        throw new InvalidInputException(where + ": a template of dimension " + t.length + ", the archive says " + dimension);
      }
      Templates.requireStorable(t, where);
      JsonNode b = f.path("box");
      if (!b.isArray() || b.size() != 4 || !b.get(0).isNumber() || !b.get(1).isNumber() || !b.get(2).isNumber() || !b.get(3).isNumber()) {
        throw new InvalidInputException(where + ": its box is not four numbers");
      }
      String review = f.path("review").isTextual() ? f.path("review").asText() : null;
      if (review != null && !review.equals("suspect") && !review.equals("confirmed")) {
        throw new InvalidInputException(where + ": its review is 'suspect' or 'confirmed', not '" + review + "'");
      }
      return new ArchivedFace(t, new Box(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble()), crop, review);
    }
  }
}
