package org.likeness.video.decode;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.likeness.engine.image.RgbImage;

/**
 * Streams a video's frames through FFmpeg, one at a time (memory stays flat whatever the length),
 * keeping those due at the sampling rate by their presentation timestamps, which matters for the
 * variable frame rates of phone video. Rotation metadata is applied by FFmpeg's display-matrix
 * filter. A damaged stream yields the frames before the damage, then the error.
 */
public final class VideoSource {
  private final Path file;
  private final VideoLimits limits;

  public VideoSource(Path file, VideoLimits limits) {
    this.file = file;
    this.limits = limits;
  }

  static {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg's chatter is not the command's output
  }

  /**
   * Opens the video, checks it against the limits, and hands every sampled frame to {@code sink}
   * ({@code fps} <= 0: every frame); returns the stream's description. Frames already handed on
   * stay valid when a later frame fails to decode.
   */
  public VideoInfo scan(double fps, Consumer<VideoInfo> onOpen, Consumer<SampledFrame> sink) throws VideoDecodeException {
    if (!Files.isRegularFile(file)) {
      throw new VideoDecodeException(file + ": no such file");
    }
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
      g.setOption("autorotate", "1");
      try {
        g.start();
      } catch (FFmpegFrameGrabber.Exception e) {
        throw new VideoDecodeException(file + ": not a readable video (" + e.getMessage() + ")", e);
      }
      if (g.getVideoStream() < 0 || g.getImageWidth() <= 0) {
        throw new VideoDecodeException(file + ": no video stream");
      }
      double duration = g.getLengthInTime() / 1e6;
      long pixels = (long) g.getImageWidth() * g.getImageHeight();
      if (duration > limits.maxSeconds()) {
        throw new VideoDecodeException(String.format("%s: %.0f s exceeds the limit of %.0f s", file, duration, limits.maxSeconds()));
      }
      if (pixels > limits.maxPixels()) {
        throw new VideoDecodeException(file + ": frames of " + g.getImageWidth() + "x" + g.getImageHeight()
            + " exceed the limit of " + limits.maxPixels() + " pixels");
      }
      VideoInfo info = new VideoInfo(duration, g.getVideoFrameRate(), g.getImageWidth(), g.getImageHeight(), g.getVideoCodecName());
      onOpen.accept(info);
      double step = fps > 0 ? 1.0 / fps : 0, next = 0;
      int index = 0;
      while (true) {
        Frame f;
        try {
          f = g.grabImage();
        } catch (FFmpegFrameGrabber.Exception e) {
          throw new VideoDecodeException(file + ": damaged after " + index + " frames (" + e.getMessage() + ")", e);
        }
        if (f == null) {
          break;
        }
        double t = f.timestamp / 1e6;
        if (t + 1e-6 >= next) {
          sink.accept(new SampledFrame(index, t, rgb(f)));
          next = step == 0 ? t : next + step * Math.max(1, Math.floor((t - next) / step) + 1);
        }
        index++;
      }
      return info;
    } catch (org.bytedeco.javacv.FrameGrabber.Exception e) { // from closing the grabber
      throw new VideoDecodeException(file + ": " + e.getMessage(), e);
    }
  }

  /** The frame's RGB24 pixels, copied row by row (FFmpeg rows may be padded). */
  private static RgbImage rgb(Frame f) {
    int w = f.imageWidth, h = f.imageHeight, stride = f.imageStride;
    ByteBuffer b = (ByteBuffer) f.image[0];
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      b.position(y * stride);
      b.get(px, y * w * 3, w * 3);
    }
    return new RgbImage(w, h, px);
  }
}
