package org.likeness.video.decode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  /** Seconds before a window's start that a seek aims at, so that no frame of the window is skipped. */
  private static final double SEEK_MARGIN = 1.0;

  private final Path file;
  private final VideoLimits limits;

  public VideoSource(Path file, VideoLimits limits) {
    this.file = file;
    this.limits = limits;
  }

  static {
    silenceFfmpeg();
  }

  /** FFmpeg's own log (stream dumps, warnings) is not the command's output: errors come back as exceptions. */
  public static void silenceFfmpeg() {
    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
  }

  /**
   * Opens the video, checks it against the limits, and hands every sampled frame to {@code sink}
   * ({@code fps} <= 0: every frame); returns the stream's description. Frames already handed on
   * stay valid when a later frame fails to decode.
   */
  public VideoInfo scan(double fps, Consumer<VideoInfo> onOpen, Consumer<SampledFrame> sink) throws VideoDecodeException {
    return scan(fps, Window.WHOLE, onOpen, sink);
  }

  /** What a video is before it is read: its stream's description and the time of its first frame (where sampling starts). */
  public record Probe(VideoInfo info, double firstFrame) {}

  /** Opens the video, checks it against the limits, and reads its first frame's time. */
  public Probe probe() throws VideoDecodeException {
    VideoInfo[] info = {null};
    double[] first = {Double.NaN};
    try {
      scan(0, Window.WHOLE, i -> info[0] = i, f -> {
        first[0] = f.time();
        throw new FirstFrame();
      });
    } catch (FirstFrame e) {
      return new Probe(info[0], first[0]);
    }
    throw new VideoDecodeException(file + ": no frames");
  }

  /** Ends a probe at its first frame. */
  private static final class FirstFrame extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FirstFrame() {
      super(null, null, false, false);
    }
  }

  /**
   * Segment borders on the sampling grid of {@code fps} from {@code origin}, about {@code seconds}
   * apart, covering [{@code origin}, {@code end}); the last segment reads to the end of the stream.
   */
  public static List<Window> segments(double origin, double end, double fps, double seconds) {
    double step = fps > 0 ? 1 / fps : 0;
    List<Window> out = new java.util.ArrayList<>();
    double from = origin;
    while (true) {
      double to = step > 0 ? origin + Math.round((from - origin + seconds) / step) * step : from + seconds;
      if (to >= end - seconds / 4) { // a short tail joins the last segment
        out.add(new Window(from, Double.POSITIVE_INFINITY, origin));
        return out;
      }
      out.add(new Window(from, to, origin));
      from = to;
    }
  }

  /**
   * A stretch of a video to read, for work split into time segments: frames from {@code start}
   * (seconds on the frames' clock; reached by seeking to the keyframe before it) up to, not
   * including, {@code end}, sampled on the grid that starts at {@code origin} (the stream's first
   * frame time; NaN: the first frame read). A frame is sampled when it is the first in its grid
   * cell, so a segment whose start lies on the grid samples exactly the frames a whole pass would.
   */
  public record Window(double start, double end, double origin) {
    /** The whole video, its grid starting at its first frame. */
    public static final Window WHOLE = new Window(0, Double.POSITIVE_INFINITY, Double.NaN);
  }

  /**
   * As {@link #scan(double, Consumer, Consumer)}, within {@code window}; the truncation check
   * (the stream ends before it says it does) is made only by a window that reads to the end.
   * Frame indexes count from the window's first frame read.
   */
  public VideoInfo scan(double fps, Window window, Consumer<VideoInfo> onOpen, Consumer<SampledFrame> sink) throws VideoDecodeException {
    if (!Files.isRegularFile(file)) {
      throw new VideoDecodeException(file + ": no such file");
    }
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
      g.setOption("autorotate", "1");
      g.setVideoOption("max_pixels", Long.toString(limits.maxPixels())); // the decoder itself refuses a frame past the limit
      try {
        g.start();
      } catch (FFmpegFrameGrabber.Exception e) {
        String past = pastTheSizeLimit(); // max_pixels refuses at open a stream whose header is past the limit: say so plainly
        throw new VideoDecodeException(past != null ? past : file + ": not a readable video (" + ffmpegReason(e) + ")", e);
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
      // The display matrix says how far to turn frames counter-clockwise (phones record portrait as rotated landscape).
      int rotation = Math.floorMod((int) Math.round(g.getDisplayRotation()), 360);
      boolean sideways = rotation == 90 || rotation == 270;
      VideoInfo info = new VideoInfo(duration, g.getVideoFrameRate(), sideways ? g.getImageHeight() : g.getImageWidth(),
          sideways ? g.getImageWidth() : g.getImageHeight(), g.getVideoCodecName());
      onOpen.accept(info);
      double declaredEnd = declaredEnd(g);
      if (window.start() > SEEK_MARGIN) {
        try {
          // To the keyframe before, decoded on to about the time asked (setTimestamp lands within a frame of
          // it on the frames' clock; setVideoTimestamp is off by the container's start offset): a margin before
          // start absorbs the difference, its frames read but not handed on.
          g.setTimestamp(Math.round((window.start() - SEEK_MARGIN) * 1e6));
        } catch (FFmpegFrameGrabber.Exception e) {
          throw new VideoDecodeException(file + ": cannot seek to " + window.start() + " s (" + ffmpegReason(e) + ")", e);
        }
      }
      double step = fps > 0 ? 1.0 / fps : 0, origin = window.origin();
      long previousCell = Long.MIN_VALUE;
      int index = 0;
      double last = Double.NaN;
      boolean windowEnded = false;
      while (true) {
        Frame f;
        try {
          f = g.grabImage();
        } catch (FFmpegFrameGrabber.Exception e) {
          throw new VideoDecodeException(file + ": damaged after " + index + " frames (" + ffmpegReason(e) + ")", e);
        }
        if (f == null) {
          break;
        }
        double t = f.timestamp / 1e6;
        if (t >= window.end() - 1e-6) {
          windowEnded = true;
          break;
        }
        last = t;
        if (Double.isNaN(origin)) {
          origin = t; // the sampling grid starts at the first frame
        }
        // The header's size and duration bound nothing by themselves: a stream may change size, or declare no duration.
        if ((long) f.imageWidth * f.imageHeight > limits.maxPixels()) {
          throw new VideoDecodeException(String.format(java.util.Locale.ROOT, "%s: a frame of %dx%d at %.2f s exceeds the limit of %d pixels",
              file, f.imageWidth, f.imageHeight, t, limits.maxPixels()));
        }
        if (t - origin > limits.maxSeconds()) {
          throw new VideoDecodeException(String.format(java.util.Locale.ROOT, "%s: frames go on past the limit of %.0f s (the stream "
              + "declared %s)", file, limits.maxSeconds(), duration > 0 ? String.format(java.util.Locale.ROOT, "%.0f s", duration) : "no duration"));
        }
        // The first frame in each cell of the grid is due: a gap in the stream (variable frame rate) does not shift the grid.
        long cell = step == 0 ? index : (long) Math.floor((t + 1e-6 - origin) / step);
        boolean due = cell > previousCell;
        previousCell = Math.max(previousCell, cell);
        if (due && t + 1e-6 >= window.start()) {
          sink.accept(new SampledFrame(index, t, upright(Frames.rgb(f), rotation)));
        }
        index++;
      }
      if (windowEnded) {
        return info;
      }
      if (!(duration > 0) && !Double.isNaN(last) && window.end() == Double.POSITIVE_INFINITY) {
        // no duration declared (a browser's recording): the frames read say it
        info = new VideoInfo(last - (Double.isNaN(origin) ? 0 : origin), info.fps(), info.width(), info.height(), info.codec());
      }
      // A cut file often ends without an error from the demuxer: compare with what the stream declared.
      double slack = Math.max(1.0, 3 / Math.max(1, info.fps()));
      if (!Double.isNaN(declaredEnd) && (Double.isNaN(last) ? declaredEnd > slack : last < declaredEnd - slack)) {
        throw new VideoDecodeException(String.format(java.util.Locale.ROOT,
            "%s: damaged after %d frames (the stream ends at %.2f s of the %.2f s it declares: truncated or damaged)", file,
            index, Double.isNaN(last) ? 0 : last, declaredEnd));
      }
      return info;
    } catch (org.bytedeco.javacv.FrameGrabber.Exception e) { // from closing the grabber
      throw new VideoDecodeException(file + ": " + e.getMessage(), e);
    }
  }

  /** The refusal of a stream whose header declares frames past the pixel limit, read without decoding a frame; null otherwise. */
  private String pastTheSizeLimit() {
    try (FFmpegFrameGrabber probe = new FFmpegFrameGrabber(file.toFile())) {
      probe.start();
      long pixels = (long) probe.getImageWidth() * probe.getImageHeight();
      return pixels > limits.maxPixels() ? file + ": frames of " + probe.getImageWidth() + "x" + probe.getImageHeight()
          + " exceed the limit of " + limits.maxPixels() + " pixels" : null;
    } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
      return null;
    }
  }

  /** Where the video stream says it ends, in seconds on the frames' clock; NaN when it does not say. */
  private static double declaredEnd(FFmpegFrameGrabber g) {
    var ctx = g.getFormatContext();
    if (ctx == null || g.getVideoStream() < 0) {
      return Double.NaN;
    }
    var st = ctx.streams(g.getVideoStream());
    long duration = st.duration();
    if (duration == avutil.AV_NOPTS_VALUE || duration <= 0 || st.time_base().den() == 0) {
      return Double.NaN;
    }
    double tb = st.time_base().num() / (double) st.time_base().den();
    long start = st.start_time() == avutil.AV_NOPTS_VALUE ? 0 : st.start_time();
    return (start + duration) * tb;
  }

  /** FFmpeg's message without JavaCV's advice about its own API. */
  private static String ffmpegReason(Exception e) {
    String m = String.valueOf(e.getMessage());
    int cut = m.indexOf(" (Has setFormat");
    return cut > 0 ? m.substring(0, cut) : m;
  }

  /** {@code img} turned {@code degrees} counter-clockwise (0, 90, 180 or 270). */
  static RgbImage upright(RgbImage img, int degrees) {
    if (degrees % 90 != 0 || degrees % 360 == 0) {
      return img;
    }
    int w = img.width(), h = img.height();
    boolean swap = degrees % 180 != 0;
    int ow = swap ? h : w, oh = swap ? w : h;
    byte[] s = img.pixels(), d = new byte[s.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int nx, ny;
        switch (degrees) {
          case 90 -> { nx = y; ny = w - 1 - x; }       // counter-clockwise
          case 180 -> { nx = w - 1 - x; ny = h - 1 - y; }
          default -> { nx = h - 1 - y; ny = x; }       // 270: clockwise
        }
        System.arraycopy(s, (y * w + x) * 3, d, (ny * ow + nx) * 3, 3);
      }
    }
    return new RgbImage(ow, oh, d);
  }

}
