package org.likeness.engine.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG, PNG (8/16-bit, grey, alpha, palette), WebP, BMP and TIFF into {@link RgbImage},
 * honouring EXIF orientation. Size limits are checked on the encoded size and on the header's
 * dimensions (read by ImageIO) before any pixel is decoded. JPEG and 8-bit PNG pixels come from
 * OpenCV's codecs for speed, the other formats from ImageIO plugins. Thread-safe: it holds only its limits.
 */
public final class ImageDecoder {
  private static final int EXIF_ORIENTATION_TAG = 0x0112;
  private static final int APP1 = 0xFFE1;

  private final ImageLimits limits;

  public ImageDecoder(ImageLimits limits) {
    this.limits = limits;
  }

  public ImageLimits limits() {
    return limits;
  }

  /** Reads and decodes a file; the error names the file. */
  public RgbImage decode(Path file) throws ImageDecodeException {
    return decode(read(file), file.toString());
  }

  /** Reads a file's bytes, refusing one over the size limit before reading it; the error names the file. */
  public byte[] read(Path file) throws ImageDecodeException {
    String source = file.toString();
    try {
      checkSize(source, Files.size(file));
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ImageDecodeException(source, "no such file");
    } catch (IOException e) {
      throw new ImageDecodeException(source, "cannot read file (" + e.getMessage() + ")", e);
    }
  }

  /** Decodes encoded bytes; {@code source} labels errors (a file name, an upload field). */
  public RgbImage decode(byte[] data, String source) throws ImageDecodeException {
    checkSize(source, data.length);
    try (ImageInputStream in = memory(data, 0, data.length)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageDecodeException(source, "not a supported image format (JPEG, PNG, WebP, BMP, TIFF); starts with " + hexPrefix(data));
      }
      ImageReader reader = readers.next();
      try {
        return read(reader, in, data, source);
      } finally {
        reader.dispose();
      }
    } catch (ImageDecodeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // ImageIO plugins signal corrupt data with IIOException but also with assorted runtime exceptions.
      throw new ImageDecodeException(source, "corrupt or truncated image (" + describe(e) + ")", e);
    }
  }

  private RgbImage read(ImageReader reader, ImageInputStream in, byte[] data, String source)
      throws IOException, ImageDecodeException {
    String format = reader.getFormatName().toLowerCase(Locale.ROOT);
    reader.setInput(in, true, true);
    int width = reader.getWidth(0);
    int height = reader.getHeight(0);
    if (width <= 0 || height <= 0) {
      throw new ImageDecodeException(source, "invalid dimensions " + width + "x" + height);
    }
    long pixels = (long) width * height;
    if (pixels > limits.maxPixels()) {
      throw new ImageDecodeException(source, String.format(Locale.ROOT,
          "%s image of %dx%d = %d pixels exceeds the limit of %d pixels (refused before decoding)",
          format, width, height, pixels, limits.maxPixels()));
    }
    if (format.equals("jpeg") || format.equals("jpg")) {
      return Orientation.apply(JpegPixels.decode(data, source, width, height), orientation(format, data));
    }
    if (format.equals("png")) {
      RgbImage fast = PngPixels.decode(data, source, width, height);
      if (fast != null) {
        return fast; // PNG carries no EXIF orientation this decoder reads
      }
    }
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener(new IIOReadWarningListener() {
      @Override
      public void warningOccurred(ImageReader r, String warning) {
        warnings.add(warning);
      }
    });
    BufferedImage decoded = reader.read(0);
    for (String w : warnings) {
      String lower = w.toLowerCase(Locale.ROOT);
      // libjpeg reports truncation as a warning and fills the rest grey; a partial photo is not evidence.
      if (lower.contains("premature end") || lower.contains("truncat") || lower.contains("unexpected end")) {
        throw new ImageDecodeException(source, "truncated image data (" + w + ")");
      }
    }
    RgbImage rgb = toRgb(decoded);
    int orientation = orientation(format, data);
    return Orientation.apply(rgb, orientation);
  }

  private void checkSize(String source, long size) throws ImageDecodeException {
    if (size == 0) {
      throw new ImageDecodeException(source, "empty file");
    }
    if (size > limits.maxBytes()) {
      throw new ImageDecodeException(source, "file of " + size + " bytes exceeds the limit of " + limits.maxBytes() + " bytes");
    }
  }

  /**
   * A stream over bytes held in memory. ImageIO's own factory caches such a stream in a temporary
   * file by default, which would write a photo, unsealed, to the temporary folder.
   */
  private static ImageInputStream memory(byte[] data, int offset, int length) {
    return new javax.imageio.stream.MemoryCacheImageInputStream(new ByteArrayInputStream(data, offset, length));
  }

  /** EXIF orientation (1..8) of a JPEG or TIFF, 1 when absent or unreadable. */
  static int orientation(String format, byte[] data) {
    try (ImageInputStream in = memory(data, 0, data.length)) {
      Directory dir = null;
      if (format.contains("jpeg") || format.contains("jpg")) {
        List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, APP1, "Exif");
        if (exif.isEmpty()) {
          return 1;
        }
        try (InputStream payload = exif.get(0).data()) {
          byte[] bytes = payload.readAllBytes();
          // Skip the pad byte that follows the "Exif\0" identifier when present.
          int off = bytes.length > 0 && bytes[0] == 0 ? 1 : 0;
          try (ImageInputStream tiff = memory(bytes, off, bytes.length - off)) {
            dir = new TIFFReader().read(tiff);
          }
        }
      } else if (format.contains("tif")) {
        dir = new TIFFReader().read(in);
      }
      if (dir == null) {
        return 1;
      }
      Entry e = dir.getEntryById(EXIF_ORIENTATION_TAG);
      if (e == null || !(e.getValue() instanceof Number n)) {
        return 1;
      }
      int o = n.intValue();
      return o >= 1 && o <= 8 ? o : 1;
    } catch (IOException | RuntimeException e) {
      return 1; // broken metadata must not make a decodable image unreadable
    }
  }

  /** Converts any decoded raster to 8-bit RGB; alpha is composited over white. */
  static RgbImage toRgb(BufferedImage img) {
    int w = img.getWidth(), h = img.getHeight();
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR && img.getRaster().getDataBuffer() instanceof DataBufferByte db
        && img.getRaster().getParent() == null) {
      byte[] bgr = db.getData();
      for (int i = 0; i < out.length; i += 3) {
        out[i] = bgr[i + 2];
        out[i + 1] = bgr[i + 1];
        out[i + 2] = bgr[i];
      }
      return new RgbImage(w, h, out);
    }
    ColorModel cm = img.getColorModel();
    int space = cm.getColorSpace().getType();
    boolean plain = cm instanceof ComponentColorModel
        && (cm.getColorSpace().isCS_sRGB() || space == java.awt.color.ColorSpace.TYPE_GRAY)
        && cm.getNumComponents() == img.getRaster().getNumBands();
    if (plain) {
      copyComponents(img, cm, out);
      return new RgbImage(w, h, out);
    }
    // Palette, CMYK, ICC-tagged and other exotic models: let Java2D convert them.
    BufferedImage bgr = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = bgr.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.drawImage(img, 0, 0, null);
    } finally {
      g.dispose();
    }
    return toRgb(bgr);
  }

  /**
   * Reads samples directly and scales them by bit depth. Grey values are taken as display values:
   * Java2D's grey-to-sRGB conversion would treat them as linear and brighten 16-bit grey images.
   */
  private static void copyComponents(BufferedImage img, ColorModel cm, byte[] out) {
    Raster r = img.getRaster();
    int w = img.getWidth(), h = img.getHeight();
    int colors = cm.getNumColorComponents();
    boolean alpha = cm.hasAlpha();
    int bands = r.getNumBands();
    int[] max = new int[bands];
    for (int b = 0; b < bands; b++) {
      max[b] = (1 << cm.getComponentSize(b)) - 1;
    }
    int[] row = new int[w * bands];
    int o = 0;
    for (int y = 0; y < h; y++) {
      r.getPixels(0, y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int p = x * bands;
        double a = alpha ? (double) row[p + colors] / max[colors] : 1.0;
        for (int c = 0; c < 3; c++) {
          int band = colors == 1 ? 0 : c;
          double v = 255.0 * row[p + band] / max[band];
          out[o++] = (byte) Math.round(v * a + 255.0 * (1 - a));
        }
      }
    }
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static String hexPrefix(byte[] data) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(8, data.length); i++) {
      sb.append(String.format("%02x", data[i] & 0xff));
    }
    return "0x" + sb;
  }
}
