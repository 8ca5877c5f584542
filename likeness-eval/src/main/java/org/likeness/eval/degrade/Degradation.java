package org.likeness.eval.degrade;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * One way footage degrades a face, applied to a photo whose face is {@code faceWidth} pixels wide:
 * the face brought to a width in pixels (the whole photo scaled, area-averaged as a camera would),
 * greyscale, horizontal motion blur over a share of the face's width, or JPEG at a low quality.
 * Named as on the command line: {@code clean}, {@code w24}, {@code grey}, {@code blur10} (10 % of
 * the face width), {@code jpeg20}.
 */
public record Degradation(String name, Kind kind, int amount) {

  /** What is done. */
  public enum Kind {
    CLEAN, WIDTH, GREY, BLUR, JPEG
  }

  /** Parses a name such as {@code w24}, {@code grey}, {@code blur10}, {@code jpeg20}, {@code clean}. */
  public static Degradation parse(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    try {
      if (n.equals("clean")) {
        return new Degradation(n, Kind.CLEAN, 0);
      }
      if (n.equals("grey") || n.equals("gray")) {
        return new Degradation("grey", Kind.GREY, 0);
      }
      if (n.startsWith("w")) {
        return new Degradation(n, Kind.WIDTH, Integer.parseInt(n.substring(1)));
      }
      if (n.startsWith("blur")) {
        return new Degradation(n, Kind.BLUR, Integer.parseInt(n.substring(4)));
      }
      if (n.startsWith("jpeg")) {
        return new Degradation(n, Kind.JPEG, Integer.parseInt(n.substring(4)));
      }
    } catch (NumberFormatException e) {
      // falls through to the refusal
    }
    throw new IllegalArgumentException("unknown degradation '" + name + "' (clean, wN, grey, blurN, jpegN)");
  }

  /** The degraded photo, encoded (PNG, or JPEG for the JPEG condition), for the engine to decode as any upload. */
  public byte[] apply(BufferedImage img, double faceWidth) throws IOException {
    BufferedImage out = switch (kind) {
      case CLEAN -> img;
      case WIDTH -> scale(img, Math.min(1, amount / Math.max(1, faceWidth)));
      case GREY -> grey(img);
      case BLUR -> blur(img, Math.max(1, (int) Math.round(faceWidth * amount / 100.0)));
      case JPEG -> img;
    };
    return kind == Kind.JPEG ? jpeg(out, amount / 100f) : png(out);
  }

  private static BufferedImage scale(BufferedImage img, double f) {
    int w = Math.max(1, (int) Math.round(img.getWidth() * f));
    int h = Math.max(1, (int) Math.round(img.getHeight() * f));
    // area averaging (what a sensor does): Image.SCALE_AREA_AVERAGING, drawn into an RGB buffer
    java.awt.Image small = img.getScaledInstance(w, h, java.awt.Image.SCALE_AREA_AVERAGING);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(small, 0, 0, null);
    g.dispose();
    return out;
  }

  private static BufferedImage grey(BufferedImage img) {
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        int l = (int) Math.round(0.299 * (p >> 16 & 255) + 0.587 * (p >> 8 & 255) + 0.114 * (p & 255)); // BT.601 luma
        out.setRGB(x, y, l << 16 | l << 8 | l);
      }
    }
    return out;
  }

  private static BufferedImage blur(BufferedImage img, int length) {
    float[] k = new float[length];
    java.util.Arrays.fill(k, 1f / length);
    BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(img, 0, 0, null);
    return new ConvolveOp(new Kernel(length, 1, k), ConvolveOp.EDGE_NO_OP, null).filter(rgb, null);
  }

  private static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static byte[] jpeg(BufferedImage img, float quality) throws IOException {
    BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(img, 0, 0, null);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      writer.write(null, new IIOImage(rgb, null, null), p);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** Reads a photo for degrading. */
  public static BufferedImage read(byte[] data) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(data));
    if (img == null) {
      throw new IOException("not an image ImageIO reads");
    }
    return img;
  }
}
