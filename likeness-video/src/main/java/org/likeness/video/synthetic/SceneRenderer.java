package org.likeness.video.synthetic;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.likeness.engine.geom.Box;
import org.likeness.engine.image.Resampler;
import org.likeness.engine.image.RgbImage;
import org.likeness.video.decode.Frames;

/**
 * Renders a {@link Scene} to an MP4 (FFmpeg's MPEG-4 encoder): a textured background that changes
 * at each cut, and each visible actor's head photo scaled and pasted so that its face box lands
 * where the script says. Heads come with their face box inside the crop, so the truth is exact.
 */
public final class SceneRenderer {
  /** A head crop and where its face is inside it. */
  public record Head(RgbImage image, Box face) {}

  private final List<Head> heads;
  private final int h264Kbps;
  private final double blurShare;

  /** A renderer writing MPEG-4 Part 2 at high quality. */
  public SceneRenderer(List<Head> heads) {
    this(heads, 0);
  }

  /**
   * A renderer writing H.264 (OpenH264) at {@code h264Kbps} kbit/s with a keyframe every two
   * seconds, as low-bitrate streams are made; 0 for MPEG-4 Part 2 at high quality.
   */
  public SceneRenderer(List<Head> heads, int h264Kbps) {
    this(heads, h264Kbps, 0);
  }

  /**
   * As above, and in a share {@code blurShare} of the frames (drawn per actor and frame, fixed for a
   * scene) an actor's head is smeared by horizontal motion blur over a quarter of its face width, as a
   * person turning or walking is in some frames of real footage.
   */
  public SceneRenderer(List<Head> heads, int h264Kbps, double blurShare) {
    if (!(blurShare >= 0 && blurShare <= 1)) {
      throw new IllegalArgumentException("a share of blurred frames is between 0 and 1, not " + blurShare);
    }
    this.heads = heads;
    this.h264Kbps = h264Kbps;
    this.blurShare = blurShare;
    org.likeness.video.decode.VideoSource.silenceFfmpeg();
  }

  /** Writes the scene to {@code out}; the container follows the extension (.mp4, .mov, .mkv, .avi). */
  public void render(Scene scene, Path out) throws org.bytedeco.javacv.FrameRecorder.Exception {
    String name = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), scene.width(), scene.height(), 0)) {
      rec.setFormat(name.endsWith(".mkv") ? "matroska" : name.endsWith(".avi") ? "avi" : name.endsWith(".mov") ? "mov" : "mp4");
      rec.setFrameRate(scene.fps());
      if (h264Kbps > 0) {
        rec.setVideoCodecName("libopenh264");
        rec.setVideoBitrate(h264Kbps * 1000);
        rec.setGopSize((int) Math.round(2 * scene.fps()));
        rec.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
      } else {
        rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
        rec.setVideoQuality(2);
      }
      rec.start();
      int frames = (int) Math.round(scene.seconds() * scene.fps());
      for (int i = 0; i < frames; i++) {
        double t = i / scene.fps();
        RgbImage img = background(scene, t);
        for (int k = 0; k < scene.actors().size(); k++) {
          Scene.Actor a = scene.actors().get(k);
          if (a.visibleAt(t)) {
            boolean blurred = blurShare > 0 && new Random(31L * i + 7919L * k + scene.name().hashCode()).nextDouble() < blurShare;
            paste(img, heads.get(a.head()), a.at(t), blurred);
          }
        }
        rec.record(Frames.bgr(img, t));
      }
    }
  }

  /** Where the actor's face box is at {@code t} (the truth the metrics compare tracks with). */
  public Box faceBox(Scene.Actor a, double t) {
    double[] c = a.at(t);
    Head h = heads.get(a.head());
    double s = c[2] / h.face().width();
    return new Box(c[0] - c[2] / 2, c[1] - h.face().height() * s / 2, c[2], h.face().height() * s);
  }

  private static RgbImage background(Scene scene, double t) {
    long shot = scene.cuts().stream().filter(c -> t >= c).count();
    Random rnd = new Random(17 + shot);
    int base = 60 + (int) (shot * 70) % 140;
    byte[] px = new byte[scene.width() * scene.height() * 3];
    for (int i = 0; i < px.length; i += 3) {
      int v = base + rnd.nextInt(25);
      px[i] = (byte) v;
      px[i + 1] = (byte) (v + (shot % 2 == 0 ? 10 : -10));
      px[i + 2] = (byte) (v - 5);
    }
    return new RgbImage(scene.width(), scene.height(), px);
  }

  private static void paste(RgbImage dst, Head head, double[] c, boolean blurred) {
    double s = c[2] / head.face().width();
    RgbImage scaled = Resampler.resize(head.image(), Math.max(1, (int) Math.round(head.image().width() * s)),
        Math.max(1, (int) Math.round(head.image().height() * s)));
    if (blurred) {
      scaled = motionBlur(scaled, Math.max(2, (int) Math.round(c[2] / 4)));
    }
    int ox = (int) Math.round(c[0] - (head.face().x() + head.face().width() / 2) * s);
    int oy = (int) Math.round(c[1] - (head.face().y() + head.face().height() / 2) * s);
    for (int y = 0; y < scaled.height(); y++) {
      int dy = oy + y;
      if (dy < 0 || dy >= dst.height()) {
        continue;
      }
      for (int x = 0; x < scaled.width(); x++) {
        int dx = ox + x;
        if (dx >= 0 && dx < dst.width()) {
          System.arraycopy(scaled.pixels(), (y * scaled.width() + x) * 3, dst.pixels(), (dy * dst.width() + dx) * 3, 3);
        }
      }
    }
  }

  /** Horizontal motion blur: each pixel the mean of {@code length} pixels of its row, centred on it (edges clamped). */
  static RgbImage motionBlur(RgbImage img, int length) {
    int w = img.width(), h = img.height();
    byte[] src = img.pixels(), out = new byte[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int ch = 0; ch < 3; ch++) {
          int sum = 0;
          for (int d = 0; d < length; d++) {
            int xx = Math.min(w - 1, Math.max(0, x - length / 2 + d));
            sum += src[(y * w + xx) * 3 + ch] & 0xff;
          }
          out[(y * w + x) * 3 + ch] = (byte) Math.round((float) sum / length);
        }
      }
    }
    return new RgbImage(w, h, out);
  }
}
