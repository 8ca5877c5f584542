package org.likeness.video.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Photo, video or neither, and the type to serve, from the first bytes of real files and of headers that lie about nothing else. */
class MediaKindTest {
  private static Path resource(String name) throws URISyntaxException {
    return Path.of(MediaKindTest.class.getResource("/" + name).toURI());
  }

  @Test
  void realVideosAreVideosWithTheTypeABrowserPlays() throws Exception {
    String[][] cases = {{"codecs/h264.mov", "video/quicktime"}, {"codecs/hevc.mkv", "video/webm"}, {"codecs/vp9.webm", "video/webm"},
        {"codecs/av1.mp4", "video/mp4"}, {"codecs/mpeg4.avi", "video/x-msvideo"}, {"hamilton-cut.mp4", "video/mp4"}};
    for (String[] c : cases) {
      assertThat(MediaKind.of(resource(c[0]))).as(c[0]).isEqualTo(MediaKind.VIDEO);
      assertThat(MediaKind.mimeType(resource(c[0]))).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void photoHeadersAndImpostors() {
    byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1};
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D};
    assertThat(MediaKind.of(jpeg)).isEqualTo(MediaKind.PHOTO);
    assertThat(MediaKind.mimeType(jpeg)).isEqualTo("image/jpeg");
    assertThat(MediaKind.of(png)).isEqualTo(MediaKind.PHOTO);
    assertThat(MediaKind.mimeType(png)).isEqualTo("image/png");
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(MediaKind.of(webp)).isEqualTo(MediaKind.PHOTO);
    assertThat(MediaKind.mimeType(webp)).isEqualTo("image/webp");
    byte[] heic = "\0\0\0\u0018ftypheic\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(MediaKind.of(heic)).as("a HEIF still is not a video").isEqualTo(MediaKind.OTHER);
    assertThat(MediaKind.mimeType(heic)).isEqualTo("application/octet-stream");
    byte[] text = "hello, I am a .jpg".getBytes(StandardCharsets.US_ASCII);
    assertThat(MediaKind.of(text)).isEqualTo(MediaKind.OTHER);
    assertThat(MediaKind.mimeType(text)).isEqualTo("application/octet-stream");
    for (String atom : new String[] {"wide", "free", "skip", "pnot"}) { // QuickTime files older than the ftyp box
      byte[] mov = ("\0\0\0\u0008" + atom + "\0\0\0\u0010mdat").getBytes(StandardCharsets.ISO_8859_1);
      assertThat(MediaKind.of(mov)).as(atom).isEqualTo(MediaKind.VIDEO);
      assertThat(MediaKind.mimeType(mov)).as(atom).isEqualTo("video/quicktime");
    }
    assertThat(MediaKind.of(new byte[0])).isEqualTo(MediaKind.OTHER);
    assertThat(MediaKind.mimeType(new byte[] {(byte) 0xFF})).isEqualTo("application/octet-stream");
  }
}
