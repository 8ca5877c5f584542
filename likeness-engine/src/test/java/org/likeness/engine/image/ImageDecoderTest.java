package org.likeness.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.engine.Fixtures;

class ImageDecoderTest {
  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

  /** 16x12 lossless WebP made with cwebp: left half red, right half blue. */
  private static final String WEBP = "UklGRiYAAABXRUJQVlA4TBkAAAAvD8ACAA8Q87//8x8OxILJ/KV7Q4jof+QCAA==";

  @Test
  void decodesFixtureJpegAndRgbaPng() throws Exception {
    RgbImage jpg = decoder.decode(Fixtures.photo("examples/obama.jpg"));
    assertThat(jpg.width()).isEqualTo(910);
    assertThat(jpg.height()).isEqualTo(1137);
    RgbImage png32 = decoder.decode(Fixtures.photo("tests/test_images/32bit.png"));
    assertThat(png32.width()).isEqualTo(626);
    assertThat(png32.height()).isEqualTo(1200);
  }

  @Test
  void decodesWebp() throws Exception {
    RgbImage img = decoder.decode(Base64.getDecoder().decode(WEBP), "tiny.webp");
    assertThat(img.width()).isEqualTo(16);
    assertThat(img.height()).isEqualTo(12);
    assertThat(img.get(2, 6, 0)).isGreaterThan(200);
    assertThat(img.get(13, 6, 2)).isGreaterThan(200);
  }

  @Test
  void decodesBmpTiffAndGreyAndSixteenBitPng() throws Exception {
    BufferedImage rgb = halfRedHalfBlue(20, 10);
    for (String fmt : new String[] {"bmp", "tiff", "png"}) {
      RgbImage img = decoder.decode(encode(rgb, fmt), "x." + fmt);
      assertThat(img.get(2, 5, 0)).as(fmt).isEqualTo(255);
      assertThat(img.get(17, 5, 2)).as(fmt).isEqualTo(255);
    }
    BufferedImage grey16 = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
    grey16.getRaster().setSample(3, 3, 0, 0x8080);
    RgbImage g = decoder.decode(encode(grey16, "png"), "g16.png");
    // Display value 0x8080/0xffff = 128: not brightened by a linear-grey conversion.
    assertThat(g.get(3, 3, 0)).isEqualTo(128);
    assertThat(g.get(3, 3, 1)).isEqualTo(128);
    BufferedImage grey8 = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    grey8.getRaster().setSample(1, 1, 0, 77);
    assertThat(decoder.decode(encode(grey8, "png"), "g8.png").get(1, 1, 2)).isEqualTo(77);
  }

  @Test
  void transparentPixelsBecomeWhite() throws Exception {
    BufferedImage argb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(1, 1, 0xFF0000FF);
    RgbImage img = decoder.decode(encode(argb, "png"), "a.png");
    assertThat(img.get(0, 0, 0)).isEqualTo(255);
    assertThat(img.get(1, 1, 2)).isEqualTo(255);
    assertThat(img.get(1, 1, 0)).isZero();
  }

  @Test
  void honoursExifOrientation() throws Exception {
    byte[] jpeg = encode(halfRedHalfBlue(40, 20), "jpeg");
    assertThat(decoder.decode(jpeg, "plain.jpg").width()).isEqualTo(40);
    // Orientation 6: the viewer turns the image 90 degrees clockwise, so the left (red) half ends on top.
    RgbImage turned = decoder.decode(withExifOrientation(jpeg, 6), "rot.jpg");
    assertThat(turned.width()).isEqualTo(20);
    assertThat(turned.height()).isEqualTo(40);
    assertThat(turned.get(10, 5, 0)).isGreaterThan(200);
    assertThat(turned.get(10, 35, 2)).isGreaterThan(200);
    RgbImage eight = decoder.decode(withExifOrientation(jpeg, 8), "rot8.jpg");
    assertThat(eight.get(10, 35, 0)).isGreaterThan(200);
    RgbImage three = decoder.decode(withExifOrientation(jpeg, 3), "rot3.jpg");
    assertThat(three.width()).isEqualTo(40);
    assertThat(three.get(35, 10, 0)).isGreaterThan(200);
  }

  @Test
  void orientationTransformsAreConsistent() {
    Random rnd = new Random(3);
    byte[] px = new byte[5 * 3 * 3];
    rnd.nextBytes(px);
    RgbImage img = new RgbImage(5, 3, px);
    // Rotating by 6 (90 cw) twice equals 3 (180); 2 (mirror) twice is the identity.
    assertThat(Orientation.apply(Orientation.apply(img, 6), 6).pixels()).isEqualTo(Orientation.apply(img, 3).pixels());
    assertThat(Orientation.apply(Orientation.apply(img, 2), 2).pixels()).isEqualTo(px);
    assertThat(Orientation.apply(Orientation.apply(img, 6), 8).pixels()).isEqualTo(px);
  }

  @Test
  void emptyFileIsRefusedByName(@TempDir Path dir) throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.jpg"));
    assertThatThrownBy(() -> decoder.decode(empty)).isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("empty.jpg").hasMessageContaining("empty file");
  }

  @Test
  void missingFileIsReported(@TempDir Path dir) {
    assertThatThrownBy(() -> decoder.decode(dir.resolve("nope.png"))).isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("nope.png").hasMessageContaining("no such file");
  }

  @Test
  void randomBytesAreNotAnImage() {
    byte[] junk = new byte[4096];
    new Random(1).nextBytes(junk);
    junk[0] = 0x13;
    assertThatThrownBy(() -> decoder.decode(junk, "junk.bin")).isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("junk.bin").hasMessageContaining("not a supported image format");
  }

  @Test
  void truncatedJpegIsAnError() throws Exception {
    byte[] full = Files.readAllBytes(Fixtures.photo("examples/obama.jpg"));
    byte[] half = Arrays.copyOf(full, full.length / 2);
    assertThatThrownBy(() -> decoder.decode(half, "half.jpg")).isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("half.jpg").hasMessageContaining("truncated");
  }

  @Test
  void truncatedPngIsAnError() throws Exception {
    byte[] full = encode(halfRedHalfBlue(300, 200), "png");
    byte[] cut = Arrays.copyOf(full, full.length - 40);
    assertThatThrownBy(() -> decoder.decode(cut, "cut.png")).isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("cut.png");
  }

  @Test
  void decompressionBombIsRefusedFromTheHeader() {
    byte[] bomb = pngHeader(100_000, 100_000);
    assertThatThrownBy(() -> decoder.decode(bomb, "bomb.png")).isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("bomb.png").hasMessageContaining("100000x100000")
        .hasMessageContaining("refused before decoding");
  }

  @Test
  void oversizedFileIsRefused() throws Exception {
    ImageDecoder small = new ImageDecoder(new ImageLimits(50_000_000, 1000));
    Path obama = Fixtures.photo("examples/obama.jpg");
    assertThatThrownBy(() -> small.decode(obama)).isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("exceeds the limit of 1000 bytes");
  }

  /** Randomly damaged real images either decode or fail with ImageDecodeException, never anything else. */
  @Test
  void fuzzedImagesNeverEscapeAsOtherErrors() throws Exception {
    byte[][] seeds = {
        Files.readAllBytes(Fixtures.photo("examples/obama_small.jpg")),
        Files.readAllBytes(Fixtures.photo("examples/obama-240p.jpg")),
        encode(halfRedHalfBlue(64, 48), "png"),
        encode(halfRedHalfBlue(64, 48), "bmp"),
        Base64.getDecoder().decode(WEBP)};
    Random rnd = new Random(20261122);
    for (int i = 0; i < 1000; i++) {
      byte[] data = seeds[i % seeds.length].clone();
      int flips = 1 + rnd.nextInt(20);
      for (int f = 0; f < flips; f++) {
        data[rnd.nextInt(data.length)] = (byte) rnd.nextInt(256);
      }
      if (rnd.nextBoolean()) {
        data = Arrays.copyOf(data, 1 + rnd.nextInt(data.length));
      }
      try {
        RgbImage img = decoder.decode(data, "fuzz-" + i);
        assertThat(img.width()).isPositive();
      } catch (ImageDecodeException expected) {
        assertThat(expected.getMessage()).startsWith("fuzz-" + i + ": ");
      } catch (Throwable t) {
        fail("fuzz case " + i + " escaped as " + t, t);
      }
    }
  }

  static BufferedImage halfRedHalfBlue(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, x < w / 2 ? 0xFF0000 : 0x0000FF);
      }
    }
    return img;
  }

  static byte[] encode(BufferedImage img, String fmt) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, fmt, out)).as("writer for " + fmt).isTrue();
    return out.toByteArray();
  }

  /** Inserts an APP1 Exif segment holding one IFD0 entry, Orientation, right after SOI. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(26);
    tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
    tiff.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0);
    byte[] exif = "Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    int len = 2 + exif.length + tiff.capacity();
    ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + len);
    out.put(jpeg, 0, 2).put((byte) 0xFF).put((byte) 0xE1).putShort((short) len).put(exif).put(tiff.array());
    out.put(jpeg, 2, jpeg.length - 2);
    return out.array();
  }

  /** PNG pixels come from OpenCV's codec: the same pixels ImageIO gives (alpha over white), on a real RGBA photo. */
  @Test
  void fastPngPathMatchesImageIo() throws Exception {
    byte[] data = java.nio.file.Files.readAllBytes(Fixtures.photo("tests/test_images/32bit.png"));
    RgbImage fast = decoder.decode(data, "32bit.png");
    RgbImage reference = ImageDecoder.toRgb(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(data)));
    assertThat(fast.width()).isEqualTo(reference.width());
    int maxDiff = 0;
    for (int i = 0; i < fast.pixels().length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((fast.pixels()[i] & 0xff) - (reference.pixels()[i] & 0xff)));
    }
    assertThat(maxDiff).as("rounding of the alpha composite at most").isLessThanOrEqualTo(1);
  }

  /** A PNG signature and IHDR claiming {@code w x h} RGB, with no pixel data. */
  static byte[] pngHeader(int w, int h) {
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(w).putInt(h)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
    return png.array();
  }
}
