package org.likeness.engine.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * JPEG pixels through OpenCV's codec (libjpeg-turbo): about 3x faster than ImageIO's on this
 * project's photos (docs/BENCHMARKS.md). libjpeg fills a truncated scan with grey and only warns,
 * so truncation is detected here first, from the markers.
 */
final class JpegPixels {
  private JpegPixels() {}

  /** Decodes a JPEG whose header was already checked; orientation is left to the caller. */
  static RgbImage decode(byte[] data, String source, int width, int height) throws ImageDecodeException {
    if (!hasEndAfterScan(data)) {
      throw new ImageDecodeException(source, "truncated image data (JPEG ends before its end-of-image marker)");
    }
    try (BytePointer bytes = new BytePointer(data);
        Mat buf = new Mat(1, data.length, CV_8UC1, bytes);
        Mat bgr = imdecode(buf, IMREAD_COLOR | IMREAD_IGNORE_ORIENTATION);
        Mat rgb = new Mat()) {
      if (bgr == null || bgr.empty()) {
        throw new ImageDecodeException(source, "corrupt JPEG data (the decoder rejected it)");
      }
      if (bgr.cols() != width || bgr.rows() != height || bgr.channels() != 3) {
        throw new ImageDecodeException(source, "corrupt JPEG data (header says " + width + "x" + height + ", decoded "
            + bgr.cols() + "x" + bgr.rows() + "x" + bgr.channels() + ")");
      }
      cvtColor(bgr, rgb, COLOR_BGR2RGB);
      byte[] px = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
      if (rgb.isContinuous()) {
        rgb.data().get(px);
      } else {
        for (int y = 0; y < height; y++) {
          rgb.ptr(y).get(px, y * width * 3, width * 3);
        }
      }
      return new RgbImage(width, height, px);
    }
  }

  /**
   * Whether an end-of-image marker (FF D9) follows the first start-of-scan (FF DA). Inside
   * entropy-coded data a literal FF is always stuffed as FF 00, so FF D9 there is the real marker.
   */
  static boolean hasEndAfterScan(byte[] d) {
    int sos = -1;
    for (int i = 2; i + 1 < d.length; i++) {
      if ((d[i] & 0xff) != 0xFF) {
        continue;
      }
      int m = d[i + 1] & 0xff;
      if (sos < 0) {
        if (m == 0xDA) {
          sos = i;
        } else if (m >= 0xC0 && m != 0xFF && m != 0xD8 && !(m >= 0xD0 && m <= 0xD7) && i + 3 < d.length) {
          // A header segment: skip its payload, which may contain any bytes.
          int len = ((d[i + 2] & 0xff) << 8) | (d[i + 3] & 0xff);
          i += 1 + len;
        }
      } else if (m == 0xD9) {
        return true;
      }
    }
    return false;
  }
}
