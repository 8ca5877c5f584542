package org.likeness.video.decode;

import java.nio.ByteBuffer;
import org.bytedeco.javacv.Frame;
import org.likeness.engine.image.RgbImage;

/**
 * Copies between JavaCV frames and packed pixel arrays. A frame's rows are padded to its stride
 * (JavaCV rounds a row up to 8 bytes), so every copy goes row by row.
 */
public final class Frames {
  private Frames() {}

  /** The pixels of an RGB24 frame from the grabber. */
  static RgbImage rgb(Frame f) {
    int w = f.imageWidth, h = f.imageHeight, stride = f.imageStride;
    ByteBuffer b = (ByteBuffer) f.image[0];
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      b.position(y * stride);
      b.get(px, y * w * 3, w * 3);
    }
    return new RgbImage(w, h, px);
  }

  /** A BGR24 frame for the recorder from packed BGR pixels, at {@code time} seconds. */
  public static Frame bgr(byte[] bgr, int width, int height, double time) {
    Frame f = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
    ByteBuffer b = (ByteBuffer) f.image[0];
    for (int y = 0; y < height; y++) {
      b.position(y * f.imageStride);
      b.put(bgr, y * width * 3, width * 3);
    }
    f.timestamp = Math.round(time * 1e6);
    return f;
  }

  /** A BGR24 frame for the recorder from an RGB image, at {@code time} seconds. */
  public static Frame bgr(RgbImage img, double time) {
    byte[] src = img.pixels(), bgr = new byte[src.length];
    for (int i = 0; i < src.length; i += 3) {
      bgr[i] = src[i + 2];
      bgr[i + 1] = src[i + 1];
      bgr[i + 2] = src[i];
    }
    return bgr(bgr, img.width(), img.height(), time);
  }
}
