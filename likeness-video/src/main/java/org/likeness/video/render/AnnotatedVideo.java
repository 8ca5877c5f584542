package org.likeness.video.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.likeness.engine.geom.Box;
import org.likeness.engine.image.ImageEncoder;
import org.likeness.video.decode.Frames;
import org.likeness.video.decode.VideoDecodeException;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.decode.VideoSource;
import org.likeness.video.track.Sighting;
import org.likeness.video.track.Track;

/**
 * Writes a scanned video again with every track's box and label burnt in, on every frame: between
 * two sampled sightings the box is interpolated, so the overlay moves with the face. Encoded with
 * FFmpeg's own MPEG-4 Part 2 encoder (the bundled FFmpeg has no H.264 encoder), which desktop
 * players read.
 */
public final class AnnotatedVideo {
  private AnnotatedVideo() {}

  /** One track to draw and its label ("name 0.71", "unknown"). */
  public record Labelled(Track track, String label, boolean named) {}

  /** Decodes {@code video} again and writes {@code out} with the tracks drawn. */
  public static void write(Path video, List<Labelled> tracks, double fps, Path out) throws VideoDecodeException {
    VideoSource.silenceFfmpeg();
    FFmpegFrameRecorder[] rec = {null};
    try {
      new VideoSource(video, VideoLimits.DEFAULT).scan(0, info -> {
        rec[0] = new FFmpegFrameRecorder(out.toFile(), info.width(), info.height(), 0);
        rec[0].setFormat("mp4");
        rec[0].setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
        rec[0].setFrameRate(fps > 0 ? fps : 25);
        rec[0].setVideoQuality(3); // fixed quantiser: sharp enough to read the labels
        try {
          rec[0].start();
        } catch (FFmpegFrameRecorder.Exception e) {
          throw new IllegalStateException("cannot write " + out + ": " + e.getMessage(), e);
        }
      }, frame -> {
        BufferedImage bi = ImageEncoder.toBufferedImage(frame.image());
        draw(bi, tracks, frame.time());
        byte[] bgr = ((DataBufferByte) bi.getRaster().getDataBuffer()).getData(); // TYPE_3BYTE_BGR, packed
        try {
          rec[0].record(Frames.bgr(bgr, bi.getWidth(), bi.getHeight(), frame.time()));
        } catch (FFmpegFrameRecorder.Exception e) {
          throw new IllegalStateException("cannot write " + out + ": " + e.getMessage(), e);
        }
      });
    } finally {
      if (rec[0] != null) {
        try {
          rec[0].close();
        } catch (org.bytedeco.javacv.FrameRecorder.Exception e) {
          throw new VideoDecodeException("cannot finish " + out + ": " + e.getMessage(), e);
        }
      }
    }
  }

  static void draw(BufferedImage bi, List<Labelled> tracks, double t) {
    Graphics2D g = bi.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setStroke(new BasicStroke(Math.max(2f, bi.getWidth() / 320f)));
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, bi.getHeight() / 30)));
      for (Labelled l : tracks) {
        Box b = boxAt(l.track(), t);
        if (b == null) {
          continue;
        }
        g.setColor(l.named() ? new Color(0, 200, 0) : new Color(255, 160, 0));
        g.drawRect((int) b.x(), (int) b.y(), (int) b.width(), (int) b.height());
        g.drawString(l.label(), (int) b.x(), (int) Math.max(g.getFont().getSize(), b.y() - 4));
      }
    } finally {
      g.dispose();
    }
  }

  /** The track's box at time {@code t}, interpolated between sightings; null outside the track (a sampling step of slack). */
  static Box boxAt(Track track, double t) {
    List<Sighting> s = track.sightings();
    double slack = s.size() > 1 ? (track.end() - track.start()) / (s.size() - 1) : 0.2;
    if (t < track.start() - 1e-9 || t > track.end() + slack) {
      return null;
    }
    for (int i = 1; i < s.size(); i++) {
      Sighting a = s.get(i - 1), b = s.get(i);
      if (t <= b.time()) {
        double u = b.time() == a.time() ? 1 : (t - a.time()) / (b.time() - a.time());
        if (b.time() - a.time() > 3 * slack) { // a gap in the track (an occlusion): draw nothing
          return null;
        }
        return new Box(a.box().x() + u * (b.box().x() - a.box().x()), a.box().y() + u * (b.box().y() - a.box().y()),
            a.box().width() + u * (b.box().width() - a.box().width()), a.box().height() + u * (b.box().height() - a.box().height()));
      }
    }
    return s.getLast().box();
  }
}
