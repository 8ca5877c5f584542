package org.likeness.engine.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * 8-bit PNG pixels through OpenCV's codec (libpng with its SIMD filters): about twice as fast as
 * ImageIO's on large photos. Grey, RGB, palette and alpha images come out as RGB with alpha
 * composited over white, as {@link ImageDecoder#toRgb} does for the other formats; anything else
 * (16-bit samples) returns null and is left to ImageIO.
 */
final class PngPixels {
  private PngPixels() {}

  /** The decoded image, or null when this path does not handle it. */
  static RgbImage decode(byte[] data, String source, int width, int height) throws ImageDecodeException {
    try (BytePointer bytes = new BytePointer(data);
        Mat buf = new Mat(1, data.length, CV_8UC1, bytes);
        Mat m = imdecode(buf, IMREAD_UNCHANGED)) {
      if (m == null || m.empty()) {
        throw new ImageDecodeException(source, "corrupt or truncated PNG data (the decoder rejected it)");
      }
      if (m.depth() != CV_8U) {
        return null;
      }
      if (m.cols() != width || m.rows() != height) {
        throw new ImageDecodeException(source, "corrupt PNG data (header says " + width + "x" + height + ", decoded "
            + m.cols() + "x" + m.rows() + ")");
      }
      int c = m.channels();
      byte[] src = new byte[Math.multiplyExact(Math.multiplyExact(width, height), c)];
      if (m.isContinuous()) {
        m.data().get(src);
      } else {
        for (int y = 0; y < height; y++) {
          m.ptr(y).get(src, y * width * c, width * c);
        }
      }
      byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
      for (int i = 0, o = 0; o < out.length; i += c, o += 3) {
        switch (c) {
          case 1 -> out[o] = out[o + 1] = out[o + 2] = src[i];
          case 3 -> { // BGR
            out[o] = src[i + 2];
            out[o + 1] = src[i + 1];
            out[o + 2] = src[i];
          }
          case 4 -> { // BGRA over white
            int a = src[i + 3] & 0xff;
            out[o] = over(src[i + 2], a);
            out[o + 1] = over(src[i + 1], a);
            out[o + 2] = over(src[i], a);
          }
          default -> {
            return null;
          }
        }
      }
      return new RgbImage(width, height, out);
    }
  }

  private static byte over(byte v, int alpha) {
    return (byte) (((v & 0xff) * alpha + 255 * (255 - alpha) + 127) / 255);
  }
}
