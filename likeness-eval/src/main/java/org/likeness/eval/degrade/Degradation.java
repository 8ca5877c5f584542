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
 * greyscale, horizontal motion blur over a share of the face's width, JPEG at a low quality, or
 * H.264 at a low bitrate (every frame an I-frame, the photo given the bits per pixel that a
 * 640x360 25 fps stream of that many kbit/s gives each frame). Named as on the command line:
 * {@code clean}, {@code w24}, {@code grey}, {@code blur10} (10 % of the face width), {@code jpeg20},
 * {@code h264-300} (300 kbit/s at 360p); or a track's worth of frames: {@code w16x8} is the photo
 * rendered 8 times at 16 to 17.6 px (as a head walking toward the camera grows), each at another
 * sub-pixel phase, the template the mean of the frames' (what a track's template is).
 *
 * @param frames how many renders make the template: 1 but for a track
 */
public record Degradation(String name, Kind kind, int amount, int frames) {

  /** What is done. */
  public enum Kind {
    CLEAN, WIDTH, GREY, BLUR, JPEG, H264, TRACK
  }

  /** One render of the photo. */
  public Degradation(String name, Kind kind, int amount) {
    this(name, kind, amount, 1);
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
      if (n.startsWith("w") && n.contains("x")) {
        int x = n.indexOf('x');
        int frames = Integer.parseInt(n.substring(x + 1));
        if (frames < 2) {
          throw new IllegalArgumentException("a track condition averages two frames or more: '" + name + "'");
        }
        return new Degradation(n, Kind.TRACK, Integer.parseInt(n.substring(1, x)), frames);
      }
      if (n.startsWith("w")) {
        return new Degradation(n, Kind.WIDTH, Integer.parseInt(n.substring(1)));
      }
      if (n.startsWith("blur")) {
        return new Degradation(n, Kind.BLUR, Integer.parseInt(n.substring(4)));
      }
      if (n.startsWith("h264-")) {
        return new Degradation(n, Kind.H264, Integer.parseInt(n.substring(5)));
      }
      if (n.startsWith("jpeg")) {
        return new Degradation(n, Kind.JPEG, Integer.parseInt(n.substring(4)));
      }
    } catch (NumberFormatException e) {
      // falls through to the refusal
    }
    throw new IllegalArgumentException("unknown degradation '" + name + "' (clean, wN, wNxK, grey, blurN, jpegN, h264-KBPS)");
  }

  /**
   * The frames a template is made of, each encoded for the engine to decode as any upload: one
   * for a photo, {@link #frames} for a track. A track's frame i is the photo brought to a face
   * width {@code amount * (1 + 0.1 * i / (frames - 1))}, first shifted by a few source pixels
   * (drawn from {@code seed} and i) so that each frame samples the face at another sub-pixel phase.
   */
  public java.util.List<byte[]> frames(BufferedImage img, double faceWidth, long seed) throws IOException {
    if (kind != Kind.TRACK) {
      return java.util.List.of(apply(img, faceWidth));
    }
    java.util.Random rnd = new java.util.Random(seed);
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    for (int i = 0; i < frames; i++) {
      double f = Math.min(1, amount * (1 + 0.1 * i / (frames - 1)) / Math.max(1, faceWidth));
      int step = Math.max(1, (int) Math.floor(1 / f)); // source pixels per frame pixel: a shift below it moves the phase
      int dx = rnd.nextInt(step), dy = rnd.nextInt(step);
      out.add(png(scale(img.getSubimage(dx, dy, img.getWidth() - dx, img.getHeight() - dy), f)));
    }
    return out;
  }

  /** The degraded photo, encoded (PNG, or JPEG for the JPEG condition), for the engine to decode as any upload. */
  public byte[] apply(BufferedImage img, double faceWidth) throws IOException {
    BufferedImage out = switch (kind) {
      case CLEAN -> img;
      case WIDTH, TRACK -> scale(img, Math.min(1, amount / Math.max(1, faceWidth)));
      case GREY -> grey(img);
      case BLUR -> blur(img, Math.max(1, (int) Math.round(faceWidth * amount / 100.0)));
      case JPEG -> img;
      case H264 -> h264(img, amount);
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

  /** Through H.264 at the per-pixel budget of a 640x360 25 fps stream of {@code kbps} kbit/s. */
  private static BufferedImage h264(BufferedImage img, int kbps) throws IOException {
    int w = img.getWidth(), h = img.getHeight();
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = img.getRGB(x, y), i = (y * w + x) * 3;
        px[i] = (byte) (p >> 16);
        px[i + 1] = (byte) (p >> 8);
        px[i + 2] = (byte) p;
      }
    }
    long bps = Math.max(1000, Math.round(kbps * 1000.0 * w * h / (640.0 * 360.0)));
    org.likeness.engine.image.RgbImage back = org.likeness.video.render.LowBitrateH264.roundTrip(
        new org.likeness.engine.image.RgbImage(w, h, px), bps);
    BufferedImage out = new BufferedImage(back.width(), back.height(), BufferedImage.TYPE_INT_RGB);
    byte[] b = back.pixels();
    for (int y = 0; y < back.height(); y++) {
      for (int x = 0; x < back.width(); x++) {
        int i = (y * back.width() + x) * 3;
        out.setRGB(x, y, (b[i] & 255) << 16 | (b[i + 1] & 255) << 8 | (b[i + 2] & 255));
      }
    }
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
