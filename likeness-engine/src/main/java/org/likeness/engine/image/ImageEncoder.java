package org.likeness.engine.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Turns {@link RgbImage}s back into Java2D images and PNG bytes (crops for review, annotated copies). */
public final class ImageEncoder {
  private ImageEncoder() {}

  /** A TYPE_3BYTE_BGR copy, ready for drawing. */
  public static BufferedImage toBufferedImage(RgbImage img) {
    BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) bi.getRaster().getDataBuffer()).getData();
    byte[] src = img.pixels();
    for (int i = 0; i < src.length; i += 3) {
      dst[i] = src[i + 2];
      dst[i + 1] = src[i + 1];
      dst[i + 2] = src[i];
    }
    return bi;
  }

  /** PNG bytes of the image. */
  public static byte[] png(RgbImage img) {
    return png(toBufferedImage(img));
  }

  /** PNG bytes of a Java2D image. */
  public static byte[] png(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
