package org.likeness.video.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.likeness.engine.image.RgbImage;
import org.likeness.video.decode.Frames;
import org.likeness.video.decode.VideoDecodeException;
import org.likeness.video.decode.VideoLimits;
import org.likeness.video.decode.VideoSource;

/**
 * A picture as low-bitrate footage shows it: encoded as H.264 (the bundled FFmpeg's OpenH264
 * encoder) with every frame an I-frame, so each frame gets exactly its share of the bitrate as in
 * moving content, then decoded back. Used by the degraded-face benchmark.
 */
public final class LowBitrateH264 {
  /** Frames per second the bitrate is shared over. */
  public static final double FPS = 25;

  private LowBitrateH264() {}

  /** {@code image} after a round trip through H.264 at {@code bitsPerSecond} (at {@link #FPS}); sizes are made even. */
  public static RgbImage roundTrip(RgbImage image, long bitsPerSecond) throws IOException {
    VideoSource.silenceFfmpeg();
    int w = image.width() & ~1, h = image.height() & ~1;
    RgbImage even = w == image.width() && h == image.height() ? image : image.crop(0, 0, w, h);
    Path tmp = Files.createTempFile("likeness-h264", ".mp4");
    try {
      try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(tmp.toFile(), w, h, 0)) {
        rec.setFormat("mp4");
        rec.setVideoCodecName("libopenh264");
        rec.setFrameRate(FPS);
        rec.setGopSize(1);
        rec.setVideoBitrate((int) Math.min(Integer.MAX_VALUE, bitsPerSecond));
        rec.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
        rec.start();
        for (int i = 0; i < 3; i++) { // the rate control settles after the first frame
          rec.record(Frames.bgr(even, i / FPS));
        }
      }
      RgbImage[] last = {null};
      new VideoSource(tmp, VideoLimits.DEFAULT).scan(0, info -> { }, f -> last[0] = f.image());
      if (last[0] == null) {
        throw new IOException("the H.264 round trip gave no frame");
      }
      return last[0];
    } catch (VideoDecodeException | org.bytedeco.javacv.FrameRecorder.Exception e) {
      throw new IOException("H.264 round trip: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
