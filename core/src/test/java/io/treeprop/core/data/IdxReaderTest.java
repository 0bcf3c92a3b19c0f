package io.treeprop.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading IDX files built byte by byte in the tests, plain and gzipped, and the errors for broken ones. */
class IdxReaderTest {
  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;
  private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir Path tmp;

  /** An IDX file: big-endian magic, big-endian dimensions, then the raw bytes. */
  private static byte[] idx(int magic, int[] dims, byte[] body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(body);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(raw);
    }
    return bytes.toByteArray();
  }

  /** {@code n} bytes covering the whole unsigned range, including values above 127. */
  private static byte[] body(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 37 + 200);
    }
    return b;
  }

  private static String error(byte[] file) {
    return assertThrows(IllegalArgumentException.class,
        () -> IdxReader.read(new ByteArrayInputStream(file), "test.idx")).getMessage();
  }

  private static void assertContains(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), () -> "expected \"" + p + "\" in: " + message);
    }
  }

  @Test
  void plainImageFileReadsBackDimsAndBytes() throws IOException {
    byte[] data = body(2 * 3 * 4);
    Path f = tmp.resolve("images-idx3-ubyte");
    Files.write(f, idx(IMAGES_MAGIC, new int[] {2, 3, 4}, data));

    IdxReader.IdxArray a = IdxReader.read(f);

    assertArrayEquals(new int[] {2, 3, 4}, a.dims());
    assertArrayEquals(data, a.data());
    assertEquals(2, a.count());
    assertEquals(12, a.itemSize());
  }

  @Test
  void valuesAreUnsignedWhenConvertedToFloats() throws IOException {
    byte[] data = {0, 1, 127, (byte) 128, (byte) 255, 51};
    IdxReader.IdxArray a = IdxReader.read(
        new ByteArrayInputStream(idx(IMAGES_MAGIC, new int[] {1, 2, 3}, data)), "x");
    assertArrayEquals(new float[] {0f, 1f / 255, 127f / 255, 128f / 255, 1f, 0.2f}, a.toFloats(1f / 255), 1e-7f);
  }

  @Test
  void gzippedFileReadsTheSameAsPlain() throws IOException {
    byte[] raw = idx(IMAGES_MAGIC, new int[] {3, 5, 5}, body(75));
    Path plain = tmp.resolve("images-idx3-ubyte");
    Path gz = tmp.resolve("images-idx3-ubyte.gz");
    Files.write(plain, raw);
    Files.write(gz, gzip(raw));

    IdxReader.IdxArray a = IdxReader.read(plain);
    IdxReader.IdxArray b = IdxReader.read(gz);

    assertArrayEquals(a.dims(), b.dims());
    assertArrayEquals(a.data(), b.data());
    assertArrayEquals(body(75), b.data());
  }

  @Test
  void labelsFileHasRankOne() throws IOException {
    byte[] labels = {3, 0, 9, 1, 1, 7, 2};
    Path f = tmp.resolve("labels-idx1-ubyte.gz");
    Files.write(f, gzip(idx(LABELS_MAGIC, new int[] {7}, labels)));

    IdxReader.IdxArray a = IdxReader.read(f);

    assertArrayEquals(new int[] {7}, a.dims());
    assertArrayEquals(labels, a.data());
    assertEquals(7, a.count());
    assertEquals(1, a.itemSize());
  }

  @Test
  void badMagicIsRejected() throws IOException {
    assertContains(error(idx(0x12340803, new int[] {1, 1, 1}, new byte[1])),
        "test.idx", "not an IDX file", "0x12340803");
  }

  @Test
  void nonByteDataTypeIsRejected() throws IOException {
    assertContains(error(idx(0x00000D03, new int[] {1, 1, 1}, new byte[4])),
        "test.idx", "type 0x0d", "not supported", "0x08");
  }

  @Test
  void rankOutsideOneToFourIsRejected() throws IOException {
    assertContains(error(idx(0x00000800, new int[0], new byte[1])), "rank 0");
    assertContains(error(idx(0x00000805, new int[] {1, 1, 1, 1, 1}, new byte[1])), "rank 5");
  }

  @Test
  void fileShorterThanTheMagicIsRejected() {
    assertContains(error(new byte[] {0, 0, 8}), "test.idx", "shorter than the 4-byte magic");
    assertContains(error(new byte[0]), "shorter than the 4-byte magic");
  }

  @Test
  void fileCutInsideTheHeaderIsRejected() throws IOException {
    byte[] whole = idx(IMAGES_MAGIC, new int[] {2, 3, 4}, body(24));
    assertContains(error(Arrays.copyOf(whole, 10)), "test.idx", "truncated inside its header", "dimension 1");
  }

  @Test
  void truncatedBodyIsRejectedWithTheAnnouncedSize() throws IOException {
    byte[] whole = idx(IMAGES_MAGIC, new int[] {2, 3, 4}, body(24));
    assertContains(error(Arrays.copyOf(whole, whole.length - 1)),
        "test.idx", "truncated", "[2, 3, 4]", "24 bytes");
  }

  @Test
  void truncatedGzippedBodyIsRejected() throws IOException {
    byte[] gz = gzip(idx(IMAGES_MAGIC, new int[] {4, 10, 10}, body(400)));
    assertContains(error(Arrays.copyOf(gz, gz.length - 30)), "test.idx", "truncated");
  }

  @Test
  void zeroDimensionIsRejected() throws IOException {
    assertContains(error(idx(IMAGES_MAGIC, new int[] {0, 28, 28}, new byte[0])),
        "test.idx", "dimension 0 is 0", "positive");
  }

  @Test
  void negativeDimensionFromAnUnsignedOverflowIsRejected() throws IOException {
    assertContains(error(idx(IMAGES_MAGIC, new int[] {1, 0x80000000, 1}, new byte[0])),
        "dimension 1 is -2147483648", "positive");
  }

  @Test
  void dimensionsTooLargeForOneArrayAreRejectedBeforeAllocating() throws IOException {
    assertContains(error(idx(IMAGES_MAGIC, new int[] {70_000, 70_000, 1}, new byte[0])),
        "[70000, 70000", "exceed");
  }

  @Test
  void fashionMnistTestSetReadsWhenPresent() throws IOException {
    Path labelsFile = FASHION.resolve("t10k-labels-idx1-ubyte.gz");
    Path imagesFile = FASHION.resolve("t10k-images-idx3-ubyte.gz");
    Assumptions.assumeTrue(Files.isRegularFile(labelsFile) && Files.isRegularFile(imagesFile),
        "Fashion-MNIST is not installed under " + FASHION);

    IdxReader.IdxArray labels = IdxReader.read(labelsFile);
    IdxReader.IdxArray images = IdxReader.read(imagesFile);

    assertArrayEquals(new int[] {10_000}, labels.dims());
    int[] perClass = new int[10];
    for (byte b : labels.data()) {
      int c = b & 0xFF;
      assertTrue(c <= 9, () -> "label " + c + " outside 0..9");
      perClass[c]++;
    }
    int[] thousandEach = new int[10];
    Arrays.fill(thousandEach, 1000);
    assertArrayEquals(thousandEach, perClass, "the Fashion-MNIST test set has 1000 images per class");
    assertArrayEquals(new int[] {10_000, 28, 28}, images.dims());
    assertEquals(784, images.itemSize());
    assertEquals(10_000 * 784, images.data().length);
  }
}
