package io.treeprop.jobs.data;

import static io.treeprop.jobs.data.Fixtures.fails;
import static io.treeprop.jobs.data.Fixtures.idx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.data.IdxReader;
import io.treeprop.spark.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IDX images and labels: byte-exact round trips, Fashion-MNIST, and each malformed input. */
@ExtendWith(LocalSpark.class)
class IdxSourceTest {
  private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir
  Path dir;

  /** Three 2x3 images whose pixels cover 0, 255 and bytes above 127 (unsigned), labels 9, 0, 200. */
  private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, (byte) 255, (byte) 128, 127, 10, 20, 30, 6, 7, 8, 9,
      (byte) 200, 11};
  private static final byte[] LABELS = {9, 0, (byte) 200};

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void readsTheBytesWrittenAsUnscaledFeaturesAndLabels(boolean gzip, SparkSession spark) throws Exception {
    SourceData d = DataSource.read(spark, SourceSpec.idx(write("img", new int[] {3, 2, 3}, PIXELS, gzip),
        write("lab", new int[] {3}, LABELS, gzip)));
    assertEquals(3, d.rows());
    assertEquals(6, d.features());
    assertEquals(io.treeprop.core.tensor.Shape.image(1, 2, 3), d.shape(), "rows x cols images are [1, rows, cols]");
    Fixtures.assertRows(new double[][] {{0, 1, 2, 3, 4, 5}, {255, 128, 127, 10, 20, 30}, {6, 7, 8, 9, 200, 11}},
        Fixtures.features(d));
    assertEquals(List.of(9.0, 0.0, 200.0), Fixtures.labels(d));
  }

  @Test
  void keepsFileOrderAcrossManyChunksAndPartitions(SparkSession spark) throws Exception {
    int n = IdxSource.CHUNK_ROWS * 2 + 7;
    byte[] pixels = new byte[n * 2];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      pixels[2 * i] = (byte) i;
      pixels[2 * i + 1] = (byte) (i >> 8);
      labels[i] = (byte) (i % 10);
    }
    SourceData d = DataSource.read(spark, SourceSpec.idx(write("img", new int[] {n, 2}, pixels, false),
        write("lab", new int[] {n}, labels, false)));
    assertTrue(d.frame().rdd().getNumPartitions() > 1, "the test needs several partitions");
    double[][] x = Fixtures.features(d);
    List<Object> y = Fixtures.labels(d);
    assertEquals(n, x.length);
    for (int i = 0; i < n; i++) {
      assertArrayEquals(new double[] {i & 0xFF, i >> 8}, x[i], "row " + i);
      assertEquals((double) (i % 10), y.get(i), "label of row " + i);
    }
  }

  @Test
  void imagesWithoutLabelsHaveNoLabelColumn(SparkSession spark) throws Exception {
    SourceData d = DataSource.read(spark, SourceSpec.idx(write("img", new int[] {3, 6}, PIXELS, false), null));
    assertFalse(d.labeled());
    assertEquals(List.of(SourceData.FEATURES), List.of(d.frame().columns()));
    assertEquals(3, Fixtures.features(d).length);
    assertEquals(null, d.shape(), "[count, n] items are vectors");
  }

  @Test
  void fashionMnistTestSetIsTenThousandRowsOf784PixelsAndLabelsZeroToNine(SparkSession spark) throws Exception {
    Path images = FASHION.resolve("t10k-images-idx3-ubyte.gz");
    Path labels = FASHION.resolve("t10k-labels-idx1-ubyte.gz");
    SourceData d = DataSource.read(spark, SourceSpec.idx(images.toString(), labels.toString()));
    assertEquals(10_000, d.rows());
    assertEquals(784, d.features());
    List<Row> rows = d.frame().collectAsList();
    IdxReader.IdxArray x = IdxReader.read(images);
    IdxReader.IdxArray y = IdxReader.read(labels);
    assertEquals(10_000, rows.size());
    int[] perClass = new int[10];
    for (int i = 0; i < rows.size(); i++) {
      double[] v = ((Vector) rows.get(i).get(0)).toArray();
      assertEquals(784, v.length);
      for (int j = 0; j < 784; j++) {
        if (v[j] != (x.data()[i * 784 + j] & 0xFF)) {
          throw new AssertionError("image " + i + ", pixel " + j + ": " + v[j] + " vs " + (x.data()[i * 784 + j] & 0xFF));
        }
      }
      double label = rows.get(i).getDouble(1);
      assertEquals(y.data()[i], (byte) label, "label " + i);
      perClass[(int) label]++;
    }
    // the published test set has 1,000 images of each of the 10 classes
    assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
  }

  @Test
  void badMagicNamesTheFileAndTheMagic(SparkSession spark) throws Exception {
    Path img = dir.resolve("bad-images");
    Files.write(img, new byte[] {0x12, 0x34, 0x08, 0x03, 0, 0, 0, 1});
    fails(() -> DataSource.read(spark, SourceSpec.idx(img.toString(), null)), img.toString(),
        "is not an IDX file: the magic is 0x12340803");
  }

  @Test
  void truncatedBodyNamesTheFileAndTheAnnouncedSize(SparkSession spark) throws Exception {
    Path img = dir.resolve("short-images");
    byte[] full = idx(new int[] {3, 2, 3}, PIXELS, false);
    Files.write(img, java.util.Arrays.copyOf(full, full.length - 1));
    fails(() -> DataSource.read(spark, SourceSpec.idx(img.toString(), null)), img.toString(), "is truncated",
        "announces 18 bytes");
  }

  @Test
  void imageAndLabelCountsMustMatch(SparkSession spark) throws Exception {
    String img = write("img", new int[] {3, 6}, PIXELS, false);
    String lab = write("lab", new int[] {2}, new byte[] {1, 2}, false);
    fails(() -> DataSource.read(spark, SourceSpec.idx(img, lab)), "holds 3 images", "holds 2 labels", img, lab,
        "the counts must match");
  }

  @Test
  void swappedImagesAndLabelsFilesAreNamed(SparkSession spark) throws Exception {
    String img = write("img", new int[] {3, 6}, PIXELS, false);
    String lab = write("lab", new int[] {3}, LABELS, false);
    fails(() -> DataSource.read(spark, SourceSpec.idx(lab, img)), "idx images at " + lab,
        "has dimensions [3]", "is it a labels file?");
    fails(() -> DataSource.read(spark, SourceSpec.idx(img, img)), "idx labels at " + img,
        "has dimensions [3, 6]", "is it an images file?");
  }

  @Test
  void missingFileIsNamed(SparkSession spark) throws Exception {
    String img = write("img", new int[] {3, 6}, PIXELS, false);
    String nope = dir.resolve("no-labels.gz").toString();
    fails(() -> DataSource.read(spark, SourceSpec.idx(img, nope)), "no such file: " + nope, "idx labels");
  }

  private String write(String name, int[] dims, byte[] data, boolean gzip) throws Exception {
    Path p = dir.resolve(name + (gzip ? ".gz" : ""));
    Files.write(p, idx(dims, data, gzip));
    return p.toString();
  }
}
